"""HTML pages -> documents: the article's main text and its metadata, offline, via trafilatura.

trafilatura finds the main text (menus, adverts, share bars, comments and "related" links are
left out: it runs with ``favor_precision``) and the page metadata: title, date (normalised to
YYYY-MM-DD by htmldate), canonical URL and site name. It only ever sees the string read from
disk, so nothing is fetched. Three small corrections on top of it, each for a pattern seen on
real pages:

* the URL falls back to ``<link rel=canonical>`` / ``og:url`` when trafilatura returns none;
* a ``" | CNN Politics"``-style suffix naming the site is cut from the title, and a first text
  line that repeats the title is dropped;
* pages rendered by JavaScript carry the body only in schema.org JSON-LD (``articleBody``); when
  that is more than twice as long as what trafilatura found, it is used instead.

A page without an article (fewer than :data:`MIN_WORDS` words of main text) is a LoadError, as
is a file over the size cap shared with ``loaders/text.py``.

>>> doc = parse_html('<html><head><title>Talks | Example News</title>'
...                  '<meta property="og:site_name" content="Example News"></head><body><article>'
...                  '<p>' + 'Xi met Lukashenko in Beijing on Wednesday. ' * 6 + '</p></article></body></html>')
>>> doc.article.title, doc.article.source, doc.text.split()[:3]
('Talks', 'Example News', ['Xi', 'met', 'Lukashenko'])
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geokg.graph.errors import LoadError
from geokg.graph.model import Article, Document
from geokg.loaders.formats.text import MAX_BYTES, clean_text, decode_bytes, normalise_date, read_capped

__all__ = ["parse_html", "read_html_file", "html_to_text", "MIN_WORDS"]

#: Fewer words of main text than this and the page "has no article" (a login page, an index).
MIN_WORDS = 25

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·)\s+")
_BLOCK_TAGS = ("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "tr", "table", "section", "article", "pre", "figure", "figcaption", "dd", "dt", "hr")


def _decode_html(data: bytes, where: str) -> str:
    """Binary check and UTF-8/UTF-16/cp1252 as for text files, but a ``<meta charset>`` that is
    not UTF-8 wins when the bytes are not valid UTF-8 (e.g. a GB2312 or Shift_JIS page)."""
    text = decode_bytes(data, where)
    m = _CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii").lower()
        if declared.replace("-", "").replace("_", "") not in ("utf8", "utf16"):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    return data.decode(declared, errors="replace")
                except LookupError:
                    pass
    return text


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment (a feed summary, a JSON-LD body): one line per block.

    >>> html_to_text("<p>One &amp; two.</p><p>Three<br>four</p><script>x()</script>")
    'One & two.\\nThree\\nfour'
    """
    if "<" not in fragment:
        return _tidy(fragment)
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _tidy(re.sub(r"<[^>]+>", " ", fragment))
    for bad in root.xpath("//script|//style|//noscript|//iframe"):
        bad.drop_tree()
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n" + (el.tail or "")
    return _tidy(root.text_content())


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[\"'“”‘’]", "", s).lower().split())


def _clean_title(title: str, site: str | None) -> str:
    """Cut a trailing "| Site name" when the last segment names the site (CNN, "CNN Politics")."""
    parts = _TITLE_SEPARATORS.split(title)
    if site and len(parts) > 1:
        last, site_n = _norm(parts[-1]), _norm(site)
        if len(last.split()) <= 6 and (site_n in last or last in site_n):
            return title[: title.rfind(parts[-1])].rstrip(" |-–—:·").strip()
    return title.strip()


def _page_url(tree: Any) -> str | None:
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content',
                  '//meta[@name="og:url"]/@content'):
        for value in tree.xpath(xpath):
            value = str(value).strip()
            if re.match(r"https?://[^\s/]+", value):
                return value
    return None


def _json_ld_bodies(tree: Any) -> Iterator[str]:
    """Every schema.org ``articleBody`` string in the page's JSON-LD blocks."""
    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            body = node.get("articleBody")
            if isinstance(body, str):
                yield body
            for value in node.values():
                if isinstance(value, (dict, list)):
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            yield from walk(json.loads(script.text_content()))
        except (ValueError, RecursionError):
            continue


def _extract(html: str) -> tuple[dict[str, Any], list[str], str | None]:
    """trafilatura's result, the JSON-LD article bodies and the page URL, from one parse."""
    import trafilatura

    tree = trafilatura.load_html(html)
    if tree is None:
        return {}, [], None
    # read what trafilatura's cleaning removes (scripts, <link>) before handing it the tree
    bodies, url = list(_json_ld_bodies(tree)), _page_url(tree)
    result = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False,
                                        include_tables=False, favor_precision=True)
    meta = result.as_dict() if result is not None and hasattr(result, "as_dict") else dict(result or {})
    return meta, bodies, url


#: libxml2 stops building the tree at 256 levels and drops everything nested deeper.
_DEPTH_LIMIT = 255


def _too_deep(html: str) -> bool:
    """True when the parsed page reaches the parser's depth limit, so a page of 100,000 nested
    ``<div>`` is reported as such, not only as "too short". Only asked for a refused page."""
    from lxml import etree

    try:
        tree = etree.fromstring(html.encode("utf-8", "replace"), etree.HTMLParser())
    except (etree.LxmlError, ValueError):
        return False
    if tree is None:
        return False
    return any(sum(1 for _ in leaf.iterancestors()) >= _DEPTH_LIMIT - 1 for leaf in tree.iter() if len(leaf) == 0)


def parse_html(html: str, where: str = "<html>") -> Document:
    """One HTML page -> Document; raises LoadError when the page holds no article text."""
    html = clean_text(html)  # lxml refuses NUL and other control characters
    try:
        meta, bodies, page_url = _extract(html)
        text = _tidy(meta.get("text") or "")
        body = max((html_to_text(b) for b in bodies), key=len, default="")
    except RecursionError:
        raise LoadError(where, "HTML nested too deeply to parse") from None
    except Exception as exc:  # a third-party parser on untrusted input: one page, not the batch
        reason = str(exc).splitlines()[0] if str(exc) else ""
        raise LoadError(where, f"HTML could not be parsed ({type(exc).__name__}{': ' if reason else ''}{reason})") from None
    if len(body) > 2 * len(text):
        text = body
    url = meta.get("url") or page_url
    site = meta.get("sitename") or meta.get("hostname") or None
    title = _clean_title(meta.get("title") or "", site)
    first, _, rest = text.partition("\n")
    if title and _norm(first) == _norm(title):
        text = rest
    if len(text.split()) < MIN_WORDS:
        deep = " and nests elements past the HTML parser's depth limit, which drops what is inside" \
            if _too_deep(html) else ""
        raise LoadError(where, "no article text found (the page has fewer than "
                               f"{MIN_WORDS} words of main text{deep})")
    published = normalise_date(meta["date"]) if meta.get("date") else None
    extra = {k: str(meta[k]) for k in ("author", "description") if meta.get(k)}
    article = Article(id=Article.make_id(url, text), title=title, url=url, published=published,
                      source=site, metadata=extra)
    return Document(article=article, text=text, path=None if where == "<html>" else where)


def read_html_file(path: str | Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read one ``.html``/``.htm`` page; raises LoadError (naming the file) for unreadable input."""
    where = str(path)
    data = read_capped(path, max_bytes)
    html = _decode_html(data, where)
    if not html.strip():
        raise LoadError(where, "empty file (only whitespace)")
    return parse_html(html, where)
