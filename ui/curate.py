"""Curate: merge duplicate entities, add aliases, delete a wrong relationship, mark one reviewed.

Edits persist and survive re-ingesting the same articles (stored articles are skipped); a merge
also leaves a redirect, so a new article naming the merged-away entity lands on the kept one.
"""

from __future__ import annotations

import streamlit as st

from geokg.graph.errors import GeoKGError
from geokg.graph.model import ref
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


def main() -> None:
    s = state.store()
    st.title("Curate")
    if st.session_state.get("curate_done"):
        st.success(st.session_state.pop("curate_done"))
    t1, t2, t3 = st.tabs(["Relationships", "Merge duplicates", "Aliases"])
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
        st.caption("The second entity is folded into the first: its relationships, events and mentions move over, "
                   "its name becomes an alias, and later articles that name it land on the first.")
        c1, c2 = st.columns(2)
        keep = state.entity_picker("cur_keep", "Keep", container=c1)
        drop = state.entity_picker("cur_drop", "Merge into it (removed)", container=c2, index=1)
        ok = st.checkbox("I am sure: merge them", key="cur_merge_ok")
        if st.button("Merge", key="cur_merge", disabled=not (keep and drop and ok), type="primary"):
            if keep == drop:
                st.error("Pick two different entities.")
            else:
                _apply(lambda w: w.merge_entities(keep, drop), f"Merged {drop} into {keep}.")
        red = s.redirects()
        if red:
            st.caption("Merged away: " + ", ".join(f"{a} → {b}" for a, b in sorted(red.items())))
    with t3:
        node = state.entity_picker("cur_alias", "Entity")
        if node:
            ent = s.entity(node) or {}
            st.text("Aliases: " + (", ".join(ent.get("aliases") or []) or "none"))
            alias = st.text_input("New alias", key="cur_alias_text")
            if st.button("Add alias", key="cur_alias_add", disabled=not alias.strip()):
                _apply(lambda w: w.add_alias(node, alias), f"Alias added to {node}.")


main()
