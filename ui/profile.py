"""Entity profile: a country's leaders, memberships, borders, allies, relations by type, events
and the articles that mention it; a person's offices, meetings and statements."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geokg.graph.analysis.offices import leaders_as_of
from geokg.graph.model import parse_ref, ref
from geokg.ui import charts, state, timectl


def _side(rel: pd.DataFrame, node: str) -> pd.DataFrame:
    """Relations of ``node`` with the other end and the direction."""
    if rel.empty:
        return rel.assign(direction=[], other=[], other_ref=[])
    out = rel.copy()
    src = [ref(a, b) for a, b in zip(out.source_label, out.source_id)]
    out["direction"] = ["out" if r == node else "in" for r in src]
    out["other"] = [t if d == "out" else s_ for s_, t, d in zip(out.source, out.target, out.direction)]
    return out


def _list(df: pd.DataFrame, title: str, cols: list[str], key: str, empty: str = "none recorded") -> None:
    st.markdown(f"**{title}** ({len(df)})")
    if df.empty:
        st.caption(empty)
    else:
        st.dataframe(df[cols], hide_index=True, width="stretch", key=key)


def _led_as_of(leads: pd.DataFrame, day: str | None) -> None:
    """'Who led it as of' the end of the shared time control's window (graph.analysis.offices):
    from the periods the LEADS sources support."""
    if leads.empty or not day:
        return
    holders = leaders_as_of(leads, day)
    st.markdown(f"**Who led it as of {day}**")
    if not holders:
        st.caption(f"No source names a leader on or before {day}.")
    for h in holders:
        how = (f"sources from {h.first_seen} to {h.last_seen}" if h.status == "supported"
               else f"the latest known: no source after {h.last_seen}")
        st.caption(f"{state.md(h.name)} ({how})")


def main() -> None:
    s = state.store()
    st.title("Entity profile")
    period = timectl.control_in_link()
    d0, d1 = timectl.bounds(period)
    node = state.entity_picker("profile", "Entity")
    if node is None:
        return
    ent = s.entity(node) or {}
    lab, key = parse_ref(node)
    st.header(state.md(ent.get("name", key)))
    facts = [f"{lab}", f"id `{key}`" if "`" not in key else ""]
    for k in ("role", "country", "kind", "iso2", "region"):
        if ent.get(k):
            facts.append(f"{k}: {state.md(ent[k])}")
    if ent.get("aliases"):
        facts.append("also: " + ", ".join(state.md(a) for a in ent["aliases"][:12]))
    facts.append(f"{ent.get('mentions') or 0} mentions")
    st.caption(" · ".join(f for f in facts if f))

    rel = _side(s.relations(entity=node, limit=2000, date_from=d0, date_to=d1), node)
    events = s.entity_events(node, limit=1000, date_from=d0, date_to=d1)
    if period:
        st.caption(f"Relationships seen and events dated {timectl.describe(period)} (the time control is in the sidebar).")
        if rel.empty and events.empty:
            timectl.nothing_in(period, f"relationships or events of {state.md(ent.get('name', key))}")

    if lab == "Country":
        c1, c2 = st.columns(2)
        with c1:
            leads = rel[(rel.type == "LEADS") & (rel.direction == "in")]
            _list(leads.rename(columns={"other": "leader"}), "Leaders", ["leader", "first_seen", "last_seen", "evidence"],
                  "pf_leaders")
            _led_as_of(leads, d1)
            member = rel[(rel.type == "MEMBER_OF") & (rel.direction == "out")]
            _list(member.rename(columns={"other": "organisation"}), "Memberships",
                  ["organisation", "first_seen", "evidence"], "pf_member")
        with c2:
            borders = rel[rel.type == "BORDERS"]
            _list(borders.rename(columns={"other": "country"}), "Borders", ["country", "evidence"], "pf_borders")
            allies = rel[rel.type == "ALLIED_WITH"]
            _list(allies.rename(columns={"other": "ally"}), "Allies", ["ally", "first_seen", "evidence"], "pf_allies")
    elif lab == "Person":
        c1, c2 = st.columns(2)
        with c1:
            offices = rel[(rel.type == "LEADS") & (rel.direction == "out")].rename(columns={"other": "of"})
            _list(offices, "Offices held", ["of", "first_seen", "last_seen", "evidence"], "pf_offices")
        with c2:
            meets = rel[rel.type == "MEET"].rename(columns={"other": "met"})
            _list(meets, "Meetings", ["met", "mentions", "first_seen", "last_seen", "evidence"], "pf_meetings")
        said = events[(events.role == "actor") & events.type.isin(["STATEMENT", "APPEAL", "DEMAND", "DISAPPROVE",
                                                                   "REJECT", "THREATEN", "INTENT_TO_COOPERATE"])]
        _list(said, "Statements", ["date", "type", "targets", "evidence"], "pf_statements")

    st.subheader("Relations by type")
    if rel.empty:
        st.caption("No relationships.")
    else:
        counts = rel.groupby(["type", "direction"]).size().reset_index(name="count")
        counts["class"] = counts["type"].map(charts.quad_of)
        counts["label"] = counts["type"] + " (" + counts["direction"] + ")"
        c1, c2 = st.columns([1, 2])
        c1.altair_chart(charts.bars(counts, "count", "label", "class", charts.QUAD_SCALE), width="stretch")
        c2.dataframe(rel[["direction", "type", "other", "mentions", "first_seen", "last_seen", "evidence"]],
                     hide_index=True, width="stretch", key="pf_rel")

    st.subheader("Events")
    if events.empty:
        st.caption("No events involve this entity.")
    else:
        st.altair_chart(charts.event_strip(events), width="stretch")
        ev = events.copy()
        for c in ("actors", "targets"):
            ev[c] = ev[c].map(lambda v: ", ".join(v) if isinstance(v, list) else v)
        st.caption(f"{len(ev):,} events · {int(ev.reports.sum()):,} reports")
        st.dataframe(ev[["date", "type", "role", "actors", "targets", "reports", "evidence"]], hide_index=True,
                     width="stretch", key="pf_events")

    st.subheader("Articles that mention it")
    arts = s.articles_about(node, limit=200, events=events, date_from=d0, date_to=d1)
    if arts.empty:
        st.caption("No article mentions it (a structured record or a curated entity).")
    else:
        arts["url"] = arts["url"].map(state.safe_url)
        arts["evidence"] = arts["evidence"].map(lambda v: "\n".join(v) if isinstance(v, list) else "")
        st.dataframe(arts[["published", "source", "title", "evidence", "url"]], hide_index=True, width="stretch",
                     key="pf_articles", row_height=60,
                     column_config={"url": st.column_config.LinkColumn("link", display_text="open ↗"),
                                    "evidence": st.column_config.TextColumn("evidence sentences", width="large")})


main()
