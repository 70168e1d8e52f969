"""Curate: review duplicate candidates, merge (and undo), add aliases, delete a wrong
relationship, mark one reviewed.

Edits persist and survive re-ingesting the same articles (stored articles are skipped); a merge
also leaves a redirect, so a new article naming the merged-away entity lands on the kept one,
and a record of what it moved, so it can be undone. Nothing destructive is pre-selected: every
picker starts empty, and merging two countries asks for the removed country's code typed out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geokg.graph.analysis.duplicates import store_candidates
from geokg.graph.errors import GeoKGError
from geokg.graph.model import parse_ref, ref
from geokg.graph.stores.protocol import DeletedRelation
from geokg.ui import state


def _apply(action, done) -> None:
    """Run ``action`` on a writing store; ``done`` is the message, or a function of what the
    action returned (a deletion says what it deleted)."""
    try:
        with state.writer() as w:
            result = action(w)
    except GeoKGError as e:
        st.error(f"Not changed: {state.md(e)}", icon=":material/error:")
        return
    st.session_state["curate_done"] = done(result) if callable(done) else done
    st.rerun()


def _deleted(d: DeletedRelation, shown: str) -> str:
    """What a deletion did, ``shown`` being how the relationship list named it: another
    curator may have deleted it first."""
    if not d.count:
        return f"Nothing deleted: {shown} is no longer in the graph."
    return f"Deleted: {shown}"


@st.cache_data(show_spinner=False, ttl=60)
def _candidates(key: str, min_score: float) -> pd.DataFrame:
    """The store's duplicate candidates (``key``: the settings, so a change of store recomputes;
    every write clears this cache)."""
    rows = [{"score": c.score, "first": c.a_name, "second": c.b_name, "label": c.label, "reason": c.reason,
             "a": c.a, "b": c.b} for c in store_candidates(state.get_store(), min_score=min_score)]
    return pd.DataFrame(rows, columns=["score", "first", "second", "label", "reason", "a", "b"])


def _pick(s, prefix: str, label: str, container=None) -> str | None:
    """A search box and a select box that starts empty: a merge names both entities on purpose."""
    c = container or st
    q = c.text_input(f"Find {label.lower()}", key=f"{prefix}_q", placeholder="name or alias, e.g. Belarus")
    found = s.search(q.strip(), limit=50)
    options = {r.ref: f"{r.name} ({r.label}, {r.mentions} mentions)" for r in found.itertuples()}
    return c.selectbox(label, list(options), index=None, format_func=options.get, key=f"{prefix}_entity",
                       placeholder="choose an entity…")


def _describe(s, node: str) -> str:
    e = s.entity(node) or {}
    extra = [f"{k}: {e[k]}" for k in ("country", "role", "kind") if e.get(k)]
    aliases = ", ".join(e.get("aliases") or [])
    return " · ".join([f"**{state.md(e.get('name', node))}**", f"`{state.md(node)}`", f"{e.get('mentions') or 0} mentions",
                       *map(state.md, extra), *([f"aliases: {state.md(aliases)}"] if aliases else [])])


def merge_guard(keep: str | None, drop: str | None, prefix: str) -> bool:
    """Whether the merge of ``drop`` into ``keep`` may go ahead: two different entities of one
    label, the analyst's "I am sure", and for two countries the removed one's code typed out."""
    if not (keep and drop):
        return False
    if keep == drop:
        st.error("Pick two different entities.")
        return False
    (lk, _), (ld, kd) = parse_ref(keep), parse_ref(drop)
    if lk != ld:
        st.error(f"A {state.md(ld)} cannot be merged into a {state.md(lk)}: only entities of one kind are merged.")
        return False
    ok = st.checkbox("I am sure: merge them", key=f"{prefix}_ok")
    if lk == "Country":
        st.warning(f"Both are **countries**: the merge removes {state.md(kd)} from every view, its borders, "
                   "leaders and events move to the kept one.", icon=":material/warning:")
        typed = st.text_input(f"Type {kd} to confirm merging two countries", key=f"{prefix}_country_ok")
        ok = ok and typed.strip().upper() == kd.upper()
    return ok


def _candidates_tab(s) -> None:
    min_score = st.slider("Lowest score", 0.5, 1.0, 0.8, 0.05, key="cur_cand_min")
    cand = _candidates(state._cache_key(state.current_settings()), float(min_score))
    rejected = len(s.not_same())
    st.caption(f"{len(cand)} pairs that are probably one entity (same label; spelling variants, initials, titles, "
               f"acronyms; same country and shared neighbours raise the score) · {rejected} pairs marked different")
    if cand.empty:
        st.info("No duplicate candidates.")
        return
    st.dataframe(cand[["score", "first", "second", "label", "reason"]], hide_index=True, width="stretch",
                 key="cur_cand_table")
    labels = {i: f"{r.first} ~ {r.second} ({r.score:.2f})" for i, r in enumerate(cand.itertuples())}
    pick = st.selectbox("Review a pair", list(labels), index=None, format_func=labels.get, key="cur_cand_pick",
                        placeholder="choose a pair…")
    if pick is None:
        return
    row = cand.iloc[pick]
    st.markdown(f"Reason: {state.md(row.reason)} · score {row.score:.2f}")
    keep = st.radio("Keep", [row.a, row.b], index=None, key="cur_cand_keep",
                    format_func=lambda r: (s.entity(r) or {}).get("name", r) + f" ({r})")
    for node in (row.a, row.b):
        st.markdown("- " + _describe(s, node))
    drop = None if keep is None else (row.b if keep == row.a else row.a)
    c1, c2 = st.columns(2)
    with c1:
        ok = merge_guard(keep, drop, "cur_cand")
        if st.button("Merge the other into it", key="cur_cand_merge", type="primary", disabled=not ok, width="stretch"):
            _apply(lambda w: w.merge_entities(keep, drop), f"Merged {drop} into {keep}. (Undo on the Undo tab.)")
    with c2:
        if st.button("Not the same", icon=":material/block:", key="cur_cand_reject", width="stretch"):
            _apply(lambda w: w.reject_duplicate(row.a, row.b), f"Remembered: {row.a} and {row.b} are different.")


def _merge_tab(s) -> None:
    st.caption("The second entity is folded into the first: its relationships, events and mentions move over, "
               "its name becomes an alias, and later articles that name it land on the first. Undoable.")
    c1, c2 = st.columns(2)
    keep = _pick(s, "cur_keep", "Keep", container=c1)
    drop = _pick(s, "cur_drop", "Remove (merged into the kept one)", container=c2)
    ok = merge_guard(keep, drop, "cur_merge")
    if st.button("Merge", key="cur_merge", disabled=not ok, type="primary"):
        _apply(lambda w: w.merge_entities(keep, drop), f"Merged {drop} into {keep}.")
    red = s.redirects()
    if red:
        st.caption("Merged away: " + state.md(", ".join(f"{a} → {b}" for a, b in sorted(red.items()))))


def _undo_tab(s) -> None:
    merges = s.merges()
    if merges.empty:
        st.caption("No merge to undo.")
        return
    st.dataframe(merges[["at", "keep", "dropped"]], hide_index=True, width="stretch", key="cur_undo_table")
    ids = {f"{r.dropped} → {r.keep} ({r.at[:19]})": r.id for r in merges.itertuples()}
    pick = st.selectbox("Merge", list(ids), index=None, key="cur_undo_pick", placeholder="choose a merge…")
    if st.button("Undo merge", icon=":material/undo:", key="cur_undo", disabled=pick is None):
        _apply(lambda w: w.undo_merge(ids[pick]), f"Undone: {pick}")


def main() -> None:
    s = state.store()
    st.title("Curate")
    if st.session_state.get("curate_done"):
        st.success(state.md(st.session_state.pop("curate_done")))
    t1, t0, t2, t3, t4 = st.tabs(["Relationships", "Duplicate candidates", "Merge duplicates", "Aliases", "Undo"])
    with t0:
        _candidates_tab(s)
    with t1:
        node = state.entity_picker("cur_rel", "Entity")
        if node:
            rel = s.relations(entity=node, limit=2000)
            if rel.empty:
                st.caption("No relationships.")
            else:
                rows = {i: r for i, r in enumerate(rel.itertuples())}
                label = {i: f"{r.source} —{r.type}→ {r.target} ({r.mentions} mentions{', reviewed' if r.reviewed else ''})"
                         for i, r in rows.items()}
                st.dataframe(rel[["source", "type", "target", "mentions", "first_seen", "evidence", "reviewed"]],
                             hide_index=True, width="stretch", key="cur_rel_table")
                pick = st.selectbox("Relationship", list(rows), format_func=label.__getitem__, key="cur_rel_pick")
                r = rows[pick]
                src, dst = ref(r.source_label, r.source_id), ref(r.target_label, r.target_id)
                c1, c2 = st.columns(2)
                if c1.button("Mark reviewed", icon=":material/task_alt:", key="cur_review", width="stretch"):
                    _apply(lambda w: w.mark_reviewed(src, r.type, dst), f"Marked reviewed: {label[pick]}")
                confirm = c2.checkbox("I am sure: delete it", key="cur_delete_ok")
                if c2.button("Delete relationship", icon=":material/delete:", key="cur_delete", disabled=not confirm,
                             width="stretch"):
                    _apply(lambda w: w.delete_relation(src, r.type, dst), lambda d: _deleted(d, label[pick]))
    with t2:
        _merge_tab(s)
    with t3:
        node = state.entity_picker("cur_alias", "Entity")
        if node:
            ent = s.entity(node) or {}
            st.text("Aliases: " + (", ".join(ent.get("aliases") or []) or "none"))
            alias = st.text_input("New alias", key="cur_alias_text")
            if st.button("Add alias", key="cur_alias_add", disabled=not alias.strip()):
                _apply(lambda w: w.add_alias(node, alias), f"Alias added to {node}.")
    with t4:
        _undo_tab(s)


main()
