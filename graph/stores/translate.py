"""Neo4j's Cypher, as an analyst types it in the console, in LadybugDB's dialect.

The console promises one query language on both stores. What LadybugDB can run is rewritten:

- ``type(r)`` -> ``label(r)``; ``labels(n)`` -> ``[label(n)]`` (a list, as Neo4j returns);
- ``shortestPath((a)-[:T*..4]-(b))`` -> ``(a)-[:T* SHORTEST 1..4]-(b)`` (``allShortestPaths``:
  ``ALL SHORTEST``);
- label predicates in expressions: ``WHERE NOT x:Article`` -> ``NOT (label(x) = 'Article')``,
  ``x:Country|Person`` -> ``(label(x) IN ['Country', 'Person'])``;
- list comprehensions ``[n IN nodes(p) WHERE … | n.name]`` -> ``list_transform(list_filter(…))``;
- ``CALL db.labels()`` -> the node tables; ``CALL db.relationshipTypes()`` -> the types in use;
- names LadybugDB reserves (``AS on``) quoted.

What it cannot run the same way is refused with one line saying what to write instead
(:class:`UnsupportedQuery`), never run to a wrong answer: LadybugDB reads
``size((c)<-[:SANCTION]-())`` as something else and returns 4 or 5 for every country.

Linear in the query: one pass of :func:`geokg.graph.console.tokens`, brackets matched with one
stack, edits collected as (start, end, text) and applied once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from geokg.graph.console import Token, tokens
from geokg.graph.errors import QueryError
from geokg.graph.model import NODE_LABELS

__all__ = ["translate_console_query", "UnsupportedQuery"]


class UnsupportedQuery(QueryError):
    """A Neo4j construct the embedded store cannot run with the same meaning; the message says
    what to write instead."""


_ON_EMBEDDED = "the embedded store cannot run"

#: Clause words after which a pattern follows (labels in it are the engine's own syntax).
_PATTERN_CLAUSES = frozenset({"MATCH"})
#: Words after which an expression follows (``x:Label`` there is a predicate to rewrite).
_EXPRESSION_WORDS = frozenset({"WHERE", "RETURN", "WITH", "UNWIND", "ORDER", "SKIP", "LIMIT", "YIELD", "WHEN",
                               "THEN", "ELSE", "AND", "OR", "XOR", "NOT", "CASE"})
#: Words before ``{`` that open a subquery (a pattern or a MATCH follows), not a map.
_SUBQUERY_WORDS = frozenset({"EXISTS", "COUNT", "COLLECT", "CALL"})

#: Words LadybugDB's grammar reserves that Neo4j takes as names (``RETURN b.name AS on``,
#: ``MATCH (group:Organization)``): quoted as ```on``` wherever they stand, except before ``(``.
#: Found by trying ``RETURN 1 AS w`` for every keyword of both grammars; left out are the ones
#: that are keywords in Neo4j's Cypher too (NOT, CASE, DISTINCT, SHORTEST, …) and LadybugDB's
#: own syntax (DBTYPE, HEADERS, HINT/JOIN, TRAIL/ACYCLIC, WSHORTEST, GLOB, MACRO), so a statement in
#: its dialect still reaches its parser and plan checks as written.
_LADYBUG_RESERVED = frozenset({"ON", "GROUP", "TABLE", "COLUMN", "DEFAULT", "PRIMARY", "ONLY", "FOR"})

_PROCEDURES = {
    # Neo4j lists the labels its schema knows (each of the graph's has a key constraint) and any
    # other label in use (a curation MergeRecord); the store's other tables are bookkeeping
    "db.labels": ("CALL show_tables() WITH name AS label, type AS _geokg_t WHERE _geokg_t = 'NODE' AND (label IN ["
                  + ", ".join(f"'{lab}'" for lab in NODE_LABELS)
                  + "] OR EXISTS { MATCH (_geokg_m) WHERE label(_geokg_m) = label }) WITH label", "label"),
    "db.relationshiptypes": ("MATCH ()-[_geokg_r]->() WITH DISTINCT label(_geokg_r) AS relationshipType",
                             "relationshipType"),
}
_NO_PROCEDURE = ("CALL show_tables() lists the tables (labels and relationship types) and "
                 "CALL table_info('Country') the properties of one")


@dataclass
class _Edit:
    start: int
    end: int
    text: str


def _quote(name: str) -> str:
    return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _unquote(tok: Token) -> str:
    return tok.text[1:-1].replace("``", "`") if tok.kind == "name" else tok.text


class _Translator:
    def __init__(self, query: str):
        self.q = query
        self.t = list(tokens(query))
        self.match = self._match_brackets()
        self.edits: list[_Edit] = []
        self.skip_labels: set[int] = set()  # token indices of ':' that belong to patterns or maps
        self.bars: set[int] = set()  # token indices of the '|' of list comprehensions

    def _match_brackets(self) -> dict[int, int]:
        """Index of the closing bracket for each opening one (unbalanced ones left out: the
        engine's parser reports them)."""
        pairs, stack = {}, []
        for i, tok in enumerate(self.t):
            if tok.kind != "punct":
                continue
            if tok.text in "([{":
                stack.append(i)
            elif tok.text in ")]}" and stack:
                pairs[stack.pop()] = i
        return pairs

    def _is(self, i: int, text: str, kind: str = "punct") -> bool:
        return 0 <= i < len(self.t) and self.t[i].kind == kind and (
            self.t[i].text == text if kind == "punct" else self.t[i].text.upper() == text)

    def _word(self, i: int) -> str:
        return self.t[i].text.upper() if 0 <= i < len(self.t) and self.t[i].kind == "word" else ""

    def _end(self, i: int) -> int:
        return self.t[i].pos + len(self.t[i].text)

    def _edit(self, i: int, j: int, text: str) -> None:
        """Replace tokens ``i..j`` (inclusive) with ``text``."""
        self.edits.append(_Edit(self.t[i].pos, self._end(j), text))

    def _refuse(self, i: int, what: str, instead: str) -> NoReturn:
        raise UnsupportedQuery(f"{_ON_EMBEDDED} {what} (at offset {self.t[i].pos}); {instead}")

    # --- the walk ---------------------------------------------------------------------------

    def run(self) -> str:
        modes = ["expr"]  # pattern | expr | map, one per open brace
        i, n = 0, len(self.t)
        while i < n:
            tok, word = self.t[i], self._word(i)
            prev_dot = i > 0 and self.t[i - 1].text in (".", ":", "$") and self.t[i - 1].kind == "punct"
            if word in _LADYBUG_RESERVED and not self._is(i + 1, "(") and not self._is(i - 1, "$"):
                self._edit(i, i, f"`{tok.text}`")
                i += 1
                continue
            if word and not prev_dot:
                if word in _PATTERN_CLAUSES:
                    modes[-1] = "pattern"
                elif word in _EXPRESSION_WORDS and modes[-1] != "map":
                    modes[-1] = "expr"
                if self._is(i + 1, "("):
                    i = self._function(i, word, modes[-1])
                    continue
                if word == "CALL":
                    i = self._call(i)
                    continue
            if tok.kind == "punct" and tok.text == "{":
                if self._word(i - 1) in _SUBQUERY_WORDS:
                    modes.append("pattern")
                elif self._is(i + 1, "}") or self._is(i + 2, ":"):
                    modes.append("map")
                else:
                    modes.append(modes[-1])
            elif tok.kind == "punct" and tok.text == "}":
                if len(modes) > 1:
                    modes.pop()
            elif tok.kind == "punct" and tok.text == "[" and modes[-1] == "expr" and self._is(i - 1, "-"):
                self._skip_labels_in(i)  # a relationship of a pattern predicate
            elif tok.kind == "punct" and tok.text == "[" and modes[-1] == "expr":
                self._list(i)
            elif tok.kind == "punct" and tok.text == "(" and modes[-1] == "expr" and self._pattern_node(i):
                self._skip_labels_in(i)
            elif tok.kind in ("word", "name") and self._is(i + 1, ":") and modes[-1] == "expr" \
                    and (i + 1) not in self.skip_labels and not prev_dot:
                i = self._label_predicate(i)
                continue
            i += 1
        return self._apply()

    def _pattern_node(self, i: int) -> bool:
        """``(`` at ``i`` opens a node of a pattern predicate (``WHERE (a)-[:X]->(b:Country)``)."""
        close = self.match.get(i)
        if close is None:
            return False
        before = self._is(i - 1, "-") or (self._is(i - 1, ">") and self._is(i - 2, "-"))
        after = self._is(close + 1, "-") or (self._is(close + 1, "<") and self._is(close + 2, "-"))
        return before or after

    def _skip_labels_in(self, i: int) -> None:
        for k in range(i + 1, self.match.get(i, i)):
            if self._is(k, ":"):
                self.skip_labels.add(k)

    def _function(self, i: int, word: str, mode: str) -> int:
        """A call ``word(`` at ``i``; returns the index to go on from."""
        open_, close = i + 1, self.match.get(i + 1)
        if word == "TYPE":
            self._edit(i, i, "label")
        elif word == "LABELS" and close is not None:
            self._edit(i, i, "[label")
            self._edit(close, close, ")]")
        elif word == "SIZE" and self._is(open_ + 1, "(") and self._pattern_node(open_ + 1):
            self._refuse(i, "size() of a pattern (it counts something else there)",
                         "write COUNT { MATCH (c)<-[:SANCTION]-() } instead of size((c)<-[:SANCTION]-())")
        elif word in ("SHORTESTPATH", "ALLSHORTESTPATHS"):
            self._shortest(i, word, close)
            return open_ + 1
        return open_

    def _shortest(self, i: int, word: str, close: int | None) -> None:
        """``shortestPath((a)-[…*lo..hi]-(b))``: drop the call, mark the relationship SHORTEST."""
        instead = "write shortestPath((a)-[:TYPE*..4]-(b)): one relationship with an upper bound"
        start = i + 2
        a_close = self.match.get(start) if self._is(start, "(") else None
        if close is None or a_close is None:
            self._refuse(i, f"this {self.t[i].text}", instead)
        k = a_close + 1
        k += self._is(k, "<")
        rel_open = k + 1 if self._is(k, "-") and self._is(k + 1, "[") else None
        rel_close = self.match.get(rel_open) if rel_open is not None else None
        if rel_open is None or rel_close is None:
            self._refuse(i, f"{self.t[i].text} without a relationship in brackets", instead)
        k = rel_close + 1
        if not self._is(k, "-"):
            self._refuse(i, f"this {self.t[i].text}", instead)
        k += 1 + self._is(k + 1, ">")
        b_close = self.match.get(k) if self._is(k, "(") else None
        if b_close is None or b_close + 1 != close:
            self._refuse(i, f"{self.t[i].text} of more than one relationship", instead)
        assert rel_open is not None  # a bracket closes only after it opened (rel_close is set)
        stars = [s for s in range(rel_open + 1, rel_close) if self._is(s, "*")]
        kind = "ALL SHORTEST" if word == "ALLSHORTESTPATHS" else "SHORTEST"
        if not stars:
            self._edit(rel_close, rel_close, f"* {kind} 1..1]")
        else:
            s = stars[0]
            lo, hi, k = "1", None, s + 1
            if self.t[k].kind == "number":
                lo = hi = self.t[k].text
                k += 1
            if self._is(k, ".") and self._is(k + 1, "."):
                hi = self.t[k + 2].text if self.t[k + 2].kind == "number" else None
                k += 3 if hi else 2
            if hi is None:
                self._refuse(s, f"{self.t[i].text} without an upper bound", instead)
            self._edit(s, k - 1, f"* {kind} {lo}..{hi}")
        self._edit(i, i + 1, "")
        self._edit(close, close, "")
        for c in range(start, close):
            if self._is(c, ":"):
                self.skip_labels.add(c)

    def _call(self, i: int) -> int:
        """``CALL db.labels()`` and ``CALL db.relationshipTypes()``, with an optional YIELD."""
        parts, k = [], i + 1
        while self.t[k:k + 1] and self.t[k].kind in ("word", "name"):
            parts.append(_unquote(self.t[k]))
            if not self._is(k + 1, "."):
                k += 1
                break
            k += 2
        shown = ".".join(parts)
        name = shown.lower()
        if not name.startswith("db."):
            return i + 1  # a subquery or LadybugDB's own show_tables()/table_info()
        if name not in _PROCEDURES or not self._is(k, "("):
            self._refuse(i, f"CALL {shown}()", _NO_PROCEDURE)
        close = self.match.get(k)
        if close is None or close != k + 1:
            self._refuse(i, f"CALL {shown} with arguments", _NO_PROCEDURE)
        text, column = _PROCEDURES[name]
        end = close
        if self._word(close + 1) == "YIELD":
            items, j = close + 2, close + 2
            while j < len(self.t) and (self.t[j].kind in ("word", "name") or self._is(j, ",") or self._is(j, "*")) \
                    and self._word(j) not in ("WHERE", "RETURN", "WITH", "ORDER", "SKIP", "LIMIT", "MATCH", "UNWIND"):
                j += 1
            yielded = self.q[self.t[items].pos:self._end(j - 1)] if j > items else "*"
            end = j - 1
            if yielded.strip() not in ("*", column):
                text += f" WITH {yielded}"
        if end + 1 >= len(self.t):
            text += f" RETURN {column if end == close else '*'}"
        self._edit(i, end, text)
        return end + 1

    def _list(self, i: int) -> None:
        """``[v IN list WHERE p | e]`` -> list_filter / list_transform; ``[(a)-->(b) | …]`` refused."""
        close = self.match.get(i)
        if close is None:
            return
        if (self._is(i + 1, "(") and self._pattern_node(i + 1)) or \
                (self.t[i + 1].kind == "word" and self._is(i + 2, "=") and self._is(i + 3, "(")):
            self._refuse(i, "a pattern comprehension", "write a MATCH (or OPTIONAL MATCH) and collect()")
        if not (self.t[i + 1].kind in ("word", "name") and self._word(i + 2) == "IN"):
            return
        var = self.t[i + 1].text
        depth, where, bar = 0, None, None
        for k in range(i + 3, close):
            tok = self.t[k]
            if tok.kind == "punct" and tok.text in "([{":
                depth += 1
            elif tok.kind == "punct" and tok.text in ")]}":
                depth -= 1
            elif depth == 0 and where is None and bar is None and self._word(k) == "WHERE":
                where = k
            elif depth == 0 and bar is None and self._is(k, "|"):
                bar = k
        if bar is not None:
            self.bars.add(bar)
        if where is not None and bar is not None:
            self._edit(i, i + 2, "list_transform(list_filter(")
            self._edit(where, where, f", {var} ->")
            self._edit(bar, bar, f"), {var} ->")
        elif where is not None:
            self._edit(i, i + 2, "list_filter(")
            self._edit(where, where, f", {var} ->")
        elif bar is not None:
            self._edit(i, i + 2, "list_transform(")
            self._edit(bar, bar, f", {var} ->")
        else:
            self._edit(i, i + 2, "(")
        self._edit(close, close, ")")

    def _label_predicate(self, i: int) -> int:
        """``x:A``, ``x:A|B`` or ``x:A:B`` in an expression at ``i``; returns the index after it."""
        var = self.t[i].text
        groups: list[list[str]] = []
        k = i + 1
        while self._is(k, ":"):
            names, k = [], k + 1
            while self.t[k:k + 1] and self.t[k].kind in ("word", "name"):
                names.append(_unquote(self.t[k]))
                if not self._is(k + 1, "|") or (k + 1) in self.bars:
                    k += 1
                    break
                k += 2
            if not names or (k < len(self.t) and self.t[k].kind == "punct" and self.t[k].text in "&!%"):
                self._refuse(i, f"the label expression after {var}:",
                             f"write {var}:A, {var}:A|B, NOT {var}:A or {var}:A AND {var}:B")
            groups.append(names)
        tests = [f"label({var}) = {_quote(g[0])}" if len(g) == 1 else
                 f"label({var}) IN [{', '.join(map(_quote, g))}]" for g in groups]
        self._edit(i, k - 1, "(" + " AND ".join(tests) + ")")
        return k

    def _apply(self) -> str:
        out, at = [], 0
        for e in sorted(self.edits, key=lambda e: (e.start, e.end)):
            if e.start < at:
                continue  # inside an edit already made (cannot happen for well-formed input)
            out.append(self.q[at:e.start])
            out.append(e.text)
            at = e.end
        out.append(self.q[at:])
        return "".join(out)


def translate_console_query(query: str) -> str:
    """``query`` (Neo4j Cypher, already through :func:`geokg.graph.console.check_console_query`)
    in LadybugDB's dialect; :class:`UnsupportedQuery` for what cannot mean the same there."""
    return _Translator(query).run()
