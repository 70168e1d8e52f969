"""A folder ingest takes in articles only: a data set's README/LICENSE/CHANGELOG/COPYING files
are skipped in folders (the BBC corpus's README.TXT became an article), read when named
explicitly, and one line says which files were taken as what."""

from __future__ import annotations

from pathlib import Path

import pytest

from geokg.loaders.sources import HOUSEKEEPING_REASON, housekeeping_reason, intake, iter_documents, iter_files


@pytest.mark.parametrize("name", ["README.TXT", "readme.md", "LICENSE", "LICENCE.txt", "CHANGELOG.md", "COPYING",
                                  "README-es.md", "LICENSE_en.txt", "AUTHORS.txt"])
def test_housekeeping_file_names_are_recognised(name):
    assert housekeeping_reason(Path(name)) == HOUSEKEEPING_REASON


@pytest.mark.parametrize("name", ["readmission-rates.txt", "licensing-row-in-parliament.txt", "news.txt", "017.txt",
                                  "copyright-reform-vote.html", "licence-fee-row.html", "readme-please.txt"])
def test_articles_named_like_housekeeping_are_taken(name):
    assert housekeeping_reason(Path(name)) is None


def test_folder_walk_skips_the_data_sets_readme(bbc_folder):
    assert "README.TXT" not in [p.name for p in iter_files([bbc_folder])]


def test_folder_walk_reads_no_readme_text_as_an_article(bbc_folder):
    texts = [d.text for d in iter_documents([bbc_folder]) if hasattr(d, "text")]
    assert (len(texts), any("Natural Classes" in t for t in texts)) == (3, False)


def test_readme_named_explicitly_is_read(bbc_folder):
    assert [p.name for p in iter_files([bbc_folder / "README.TXT"])] == ["README.TXT"]


def test_intake_line_says_what_was_taken_and_what_skipped(bbc_folder):
    assert intake([bbc_folder]).line() == ("taken: 3 article files (text 3), 1 GDELT file; "
                                           "skipped: README.TXT (not an article: readme/licence file)")
