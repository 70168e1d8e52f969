"""The query console's gate: which of a user's queries may run at all.

The console is read-only on both backends, and each engine is the last wall (Neo4j runs the
query in a READ transaction after its own ``EXPLAIN`` said "read"; LadybugDB runs it on a
read-only handle). But "does not write to the graph" is not "harmless": on a read-only handle
LadybugDB still reads any file (``LOAD FROM '/etc/passwd'``), writes files (``COPY (…) TO``),
downloads extensions (``INSTALL``), changes the connection's time limit (``CALL timeout=0``)
and wedges itself on ``CHECKPOINT``; Neo4j calls ``LOAD CSV`` a read and lets a READ
transaction ``TERMINATE TRANSACTIONS`` or run side-effecting ``db.*`` procedures. So a query
passes three checks, the first shared, the others per engine:

1. :func:`check_console_query` reads the text the way the engines do (comments, string
   literals and ```quoted names``` skipped) and refuses, with one line naming the culprit:
   more than one statement; letters outside quotes that are not ASCII (look-alikes such as a
   full-width ``ＣＲＥＡＴＥ`` or a Cyrillic ``С``); any clause that writes, touches files or
   other databases, installs code or controls transactions; a query not starting with a read
   clause; and ``CALL`` of anything but the read-only procedures in :data:`READ_PROCEDURES`.
2. :func:`neo4j_plan_refusal` / :func:`ladybug_plan_refusal` look at the engine's own plan
   (``EXPLAIN``), so a trick the text check missed still meets the engine's parser.
3. The engine itself: READ transaction / read-only handle, with a timeout and a row cap.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from geokg.graph.errors import QueryError, ReadOnlyViolation

__all__ = ["Token", "tokens", "check_console_query", "check_console_size", "MAX_QUERY_CHARS", "MAX_QUERY_TOKENS",
           "MAX_NESTING", "explain", "neo4j_plan_refusal", "ladybug_plan_refusal",
           "ladybug_plan_operators", "READ_PROCEDURES", "REFUSED_CLAUSES"]

#: Procedures and table functions the console may CALL (lower case): schema look-ups only.
READ_PROCEDURES = frozenset({
    # Neo4j
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
    # LadybugDB
    "show_tables", "table_info", "show_connection", "db_version",
})

_WRITES = "writes to the graph"
_FILES = "reads or writes files on the server"
_OTHER_DB = "switches to another database"
_CODE = "installs or loads extension code"
_TX = "controls transactions"
_ADMIN = "administers the server"

#: Keywords refused anywhere in a console query (outside quotes and comments), and why.
REFUSED_CLAUSES: dict[str, str] = {
    **dict.fromkeys(("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "FOREACH",
                     "INSERT", "RENAME"), _WRITES),
    **dict.fromkeys(("LOAD", "COPY", "EXPORT", "IMPORT"), _FILES),
    **dict.fromkeys(("USE", "ATTACH"), _OTHER_DB),
    **dict.fromkeys(("INSTALL", "UNINSTALL", "EXTENSION"), _CODE),
    **dict.fromkeys(("BEGIN", "COMMIT", "ROLLBACK", "CHECKPOINT", "TRANSACTIONS"), _TX),
    **dict.fromkeys(("TERMINATE", "SHOW", "GRANT", "DENY", "REVOKE"), _ADMIN),
}

#: What a console query may start with (after an optional EXPLAIN or PROFILE).
_READ_STARTS = ("MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL")

_READ_ONLY = "the query console is read-only"


@dataclass(frozen=True)
class Token:
    """One piece of code: ``word``, ``number``, ``string`` (a literal), ``name`` (a
    backtick-quoted identifier) or ``punct`` (one character); ``pos`` is its offset."""

    kind: str
    text: str
    pos: int


def _column(query: str, pos: int) -> str:
    line = query.count("\n", 0, pos) + 1
    col = pos - (query.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {col}"


def _closing(query: str, start: int, quote: str) -> int:
    """Offset just past the literal or quoted name opened at ``start``. Strings end at the
    first unescaped quote (a backslash escapes the next character, as in both engines);
    backtick names at a backtick not doubled. An unclosed one is a QueryError."""
    i = start + 1
    while i < len(query):
        ch = query[i]
        if quote != "`" and ch == "\\":
            i += 2
            continue
        if ch == quote:
            if quote == "`" and query.startswith("``", i):
                i += 2
                continue
            return i + 1
        i += 1
    raise QueryError(f"unclosed {quote} quote opened at {_column(query, start)}")


def tokens(query: str) -> Iterator[Token]:
    """The code of ``query`` as tokens: comments dropped, literals and quoted names whole.
    A non-ASCII character outside them is refused here (engines never read a look-alike as a
    keyword, so it can only be a disguise or a typo; quote names that need one)."""
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace() and ch.isascii():
            i += 1
        elif query.startswith("//", i):
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif query.startswith("/*", i):
            end = query.find("*/", i + 2)
            if end < 0:
                raise QueryError(f"unclosed /* comment opened at {_column(query, i)}")
            i = end + 2
        elif ch in "'\"`":
            end = _closing(query, i, ch)
            yield Token("name" if ch == "`" else "string", query[i:end], i)
            i = end
        elif not ch.isascii():
            name = unicodedata.name(ch, "unnamed character")
            raise ReadOnlyViolation(f"{_READ_ONLY}: it refuses {ch!r} (U+{ord(ch):04X} {name}) outside quotes at "
                                    f"{_column(query, i)}; write keywords in ASCII and quote names that need it")
        elif ch.isalpha() or ch == "_":
            m = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(query, i)
            assert m is not None
            yield Token("word", m.group(), i)
            i = m.end()
        elif ch.isdigit():
            m = re.compile(r"[0-9]+").match(query, i)  # digits only: "1CREATE" is 1 and CREATE
            assert m is not None
            yield Token("number", m.group(), i)
            i = m.end()
        else:
            yield Token("punct", ch, i)
            i += 1


#: Words after which both engines expect an expression, never a clause: a refused word there is
#: a variable (``RETURN use``, ``WHERE set.x = 1``, ``ORDER BY load``). Left out on purpose are
#: words after which a clause may follow: ``IN`` (``IN TRANSACTIONS``), ``THEN``/``ELSE``
#: (Cypher 25's conditional queries), and anything that can end a clause (``*``, DESC, a literal).
_EXPRESSION_AFTER = frozenset({"RETURN", "WITH", "WHERE", "AND", "OR", "XOR", "NOT", "DISTINCT", "BY", "UNWIND",
                               "CONTAINS"})
#: Punctuation after which an expression or a pattern's variable follows, never a clause. Not
#: ``{`` (a subquery: ``CALL { DELETE … }``), ``|`` (``FOREACH (x IN l | SET …)``), ``)`` or ``*``.
_NAME_AFTER = frozenset(",=<>+-/%^([")


def _label_expressions(toks: list[Token]) -> list[bool]:
    """For each token, whether it is a label or relationship type: after ``:`` (``(n:Show)``,
    ``[:SET]``, ``WHERE n:Load``; also a map value, ``{a: use}``, an expression), or further
    along a label expression (``[:LEADS|SET]``, ``n:A&!Load``).

    One forward pass: ``after[j]`` says whether a word following token ``j`` would be in a
    label expression, from ``after[j-1]`` (``!``) or ``after[j-2]`` (``|``/``&`` after a
    word). Walking back from every word instead cost O(n²) on ``[:A|A|A|…]`` (30 KB: 7 s)."""
    after = [False] * len(toks)
    for j, t in enumerate(toks):
        if t.kind != "punct":
            continue
        if t.text == ":":
            after[j] = True
        elif t.text == "!":
            after[j] = j >= 1 and after[j - 1]
        elif t.text in "|&" and j >= 1 and toks[j - 1].kind in ("word", "name"):
            after[j] = j >= 2 and after[j - 2]
    return [k > 0 and after[k - 1] for k in range(len(toks))]



def _is_name(toks: list[Token], k: int, labels: list[bool]) -> bool:
    """A word where the engines read a name, so a refused keyword there is harmless: a
    property or namespace (``n.set``, ``db.labels``), a parameter (``$load``), an alias
    (``AS show``), a map key (``{use: 1}``), a label or type (``(n:Show)``), a pattern's
    variable (``(use)``, ``[set:LEADS]``) or a variable in an expression (``RETURN use``,
    ``count(set)``). Each is a place where grammar allows no clause, so a word the engine
    would run as a clause is never taken for a name (``WITH n AS set SET n.a = 1`` still meets
    the second SET, after a name, as a keyword)."""
    if toks[k].kind != "word" or k == 0:
        return False
    prev = toks[k - 1]
    after = toks[k + 1] if k + 1 < len(toks) else None
    if prev.kind == "punct":
        if prev.text in ".$" or prev.text in _NAME_AFTER:
            return True
        if prev.text == "{" and after is not None and after.text == ":":
            return True  # a map key
        return labels[k]
    return prev.kind == "word" and (prev.text.upper() == "AS" or prev.text.upper() in _EXPRESSION_AFTER)


def _procedure(toks: list[Token], k: int) -> tuple[str, int]:
    """The dotted name after ``CALL`` at ``k`` and the index just past it."""
    parts, j = [], k + 1
    while j < len(toks) and toks[j].kind in ("word", "name"):
        parts.append(toks[j].text.strip("`"))
        if j + 1 < len(toks) and toks[j + 1].text == ".":
            j += 2
        else:
            j += 1
            break
    return ".".join(parts), j


#: The longest console query, in characters. Research queries are a few hundred; the cap keeps
#: every step before the engine (this check, the embedded store's translation) and the
#: engine's own parser short, so one analyst's paste cannot stall the server for the others.
MAX_QUERY_CHARS = 20_000
#: The most tokens a query may have: LadybugDB's parser, outside the query's time limit, needs
#: 0.2 s for ``RETURN 1+1+…`` of 2,000 tokens, 0.7 s for 4,000, 3.4 s for 5,000 and 8.5 s for 8,000.
MAX_QUERY_TOKENS = 2_000
#: The deepest nesting of ``( [ {``: LadybugDB's parser needs 4 s for 1,000 nested parentheses
#: and crashes the whole process (segmentation fault) at 3,000.
MAX_NESTING = 48

_OPENS, _CLOSES = "([{", ")]}"


def check_console_size(query: str) -> None:
    """Refuse, in one line and before reading it, a query longer than :data:`MAX_QUERY_CHARS`."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(query):,} characters long; the console takes at most "
                         f"{MAX_QUERY_CHARS:,} (pass long lists as a parameter, e.g. $ids)")


def _check_shape(query: str, toks: list[Token]) -> None:
    """Refuse a query with more than :data:`MAX_QUERY_TOKENS` tokens or brackets nested deeper
    than :data:`MAX_NESTING`, naming where."""
    depth = 0
    for t in toks:
        if t.kind != "punct":
            continue
        if t.text in _OPENS:
            depth += 1
            if depth > MAX_NESTING:
                raise QueryError(f"the query nests brackets more than {MAX_NESTING} deep ({_column(query, t.pos)}); "
                                 "split it with WITH")
        elif t.text in _CLOSES:
            depth = max(0, depth - 1)
    if len(toks) > MAX_QUERY_TOKENS:
        raise QueryError(f"the query has {len(toks):,} tokens; the console takes at most {MAX_QUERY_TOKENS:,} "
                         "(pass long lists as a parameter, e.g. $ids)")


def check_console_query(query: str) -> None:
    """Refuse, as :class:`ReadOnlyViolation` with a one-line reason, a console query that is
    not a single read (see the module docstring); an unclosed quote or comment is a
    :class:`QueryError`. Returns quietly for a query the engine may see."""
    check_console_size(query)
    toks = list(tokens(query))
    if not toks:
        raise QueryError("the query is empty")
    _check_shape(query, toks)
    labels = _label_expressions(toks)
    for k, t in enumerate(toks):
        if t.kind == "punct" and t.text == ";" and k + 1 < len(toks):
            raise ReadOnlyViolation(f"{_READ_ONLY}: it runs one statement at a time (a ';' at {_column(query, t.pos)} "
                                    "is followed by another)")
        if t.kind != "word" or _is_name(toks, k, labels):
            continue
        word = t.text.upper()
        if word in REFUSED_CLAUSES:
            raise ReadOnlyViolation(f"{_READ_ONLY}: {word} {REFUSED_CLAUSES[word]} ({_column(query, t.pos)})")
        if word == "CALL":
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if nxt is not None and nxt.kind == "punct" and nxt.text in "({":
                continue  # a subquery: its own clauses are checked like the rest
            name, j = _procedure(toks, k)
            if name.lower() not in READ_PROCEDURES or j >= len(toks) or toks[j].text != "(":
                allowed = ", ".join(sorted(READ_PROCEDURES))
                raise ReadOnlyViolation(f"{_READ_ONLY}: CALL {name or '…'} is not one of the procedures it allows "
                                        f"({allowed}) ({_column(query, t.pos)})")
    words = [t.text.upper() for t in toks[:2] if t.kind == "word"]
    first = words[1] if words[:1] in (["EXPLAIN"], ["PROFILE"]) and len(words) > 1 else (words or [""])[0]
    if toks[0].kind != "word" or first not in _READ_STARTS:
        raise ReadOnlyViolation(f"{_READ_ONLY}: a query starts with {', '.join(_READ_STARTS)} "
                                f"(this one starts with {toks[0].text[:20]!r})")


# --- the engines' plans -------------------------------------------------------------------------

_NEO4J_REFUSED_OPERATORS = {
    "LoadCSV": _FILES, "TransactionApply": _TX, "TransactionForeach": _TX,
    "TerminateTransactions": _ADMIN, "AdministrationCommand": _ADMIN,
}


def _plan_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("children") or []:
        yield from _plan_nodes(child)


def neo4j_plan_refusal(query_type: str | None, plan: dict[str, Any] | None) -> str | None:
    """Why Neo4j's ``EXPLAIN`` of a console query means it must not run, or None.

    ``query_type`` must be ``r`` (not ``w``, ``rw`` or ``s``: writes, schema and DBMS
    procedures); the plan must hold no ``LOAD CSV``, ``IN TRANSACTIONS``, ``SHOW``/
    ``TERMINATE`` command or call of a procedure outside :data:`READ_PROCEDURES`."""
    if query_type != "r":
        what = "writes" if "w" in (query_type or "") else "changes the schema or the server"
        return f"{_READ_ONLY}: the server says this query {what}"
    for node in _plan_nodes(plan or {}):
        op = str(node.get("operatorType", "")).split("@")[0]
        if op in _NEO4J_REFUSED_OPERATORS:
            return f"{_READ_ONLY}: the server's plan has {op}, which {_NEO4J_REFUSED_OPERATORS[op]}"
        if op.startswith(("Show", "Terminate", "Create", "Drop", "Alter")):
            return f"{_READ_ONLY}: the server's plan has {op}, which {_ADMIN}"
        if op == "ProcedureCall":
            details = str((node.get("args") or {}).get("Details", ""))
            name = details.split("(")[0].strip()
            if name.lower() not in READ_PROCEDURES:
                return f"{_READ_ONLY}: it does not call the procedure {name or '?'}"
    return None


_LADYBUG_OPERATOR = re.compile(r"│\s*([A-Z][A-Z0-9_]*)\[\d+\]\s*│")
#: Parts of LadybugDB plan operator names that mean more than reading the graph.
_LADYBUG_REFUSED = ("COPY", "INSTALL", "EXTENSION", "STANDALONE_CALL", "TRANSACTION", "DATABASE", "ATTACH",
                    "DETACH", "EXPORT", "IMPORT", "CHECKPOINT", "MACRO")


def ladybug_plan_operators(plan_text: str) -> list[str]:
    """Operator names in the box drawing LadybugDB's ``EXPLAIN`` returns."""
    return _LADYBUG_OPERATOR.findall(plan_text)


_LADYBUG_FUNCTION = re.compile(r"Function: ([A-Z0-9_]+)")
#: Table functions a console plan may use: the engine's own scan of intermediate results
#: (``RETURN 1``, shortest paths) and the schema look-ups of :data:`READ_PROCEDURES`.
#: ``LOAD FROM`` shows up here as READ_CSV_*, READ_PARQUET, ... and is refused.
_LADYBUG_FUNCTIONS = frozenset({"READ_FTABLE"} | {p.upper() for p in READ_PROCEDURES if "." not in p})


def ladybug_plan_refusal(plan_text: str) -> str | None:
    """Why LadybugDB's ``EXPLAIN`` of a console query means it must not run, or None."""
    for op in ladybug_plan_operators(plan_text):
        if any(part in op for part in _LADYBUG_REFUSED):
            return f"{_READ_ONLY}: the engine's plan has {op}, which is more than a read"
    for fn in _LADYBUG_FUNCTION.findall(plan_text):
        if fn not in _LADYBUG_FUNCTIONS:
            return f"{_READ_ONLY}: the engine's plan calls {fn}, which reads outside the graph"
    return None


def explain(query: str) -> str:
    """``EXPLAIN`` of a console query (a leading EXPLAIN or PROFILE of its own replaced), so
    the engine plans it without running it."""
    first = next(tokens(query), None)
    if first is not None and first.kind == "word" and first.text.upper() in ("EXPLAIN", "PROFILE"):
        query = query[first.pos + len(first.text):]
    return f"EXPLAIN {query}"
