"""A pair's temperature: for two actors, a monthly line from cooperation to conflict (the mean
Goldstein value of their events, either way round) over bars of their events by CAMEO quad
class, from articles and event records together (``geokg.graph.analysis.temperature``). Click a
point, or choose its month below the chart, to list that month's events with their evidence.
The time is the shared control's (sidebar); the pair and the month are kept in the URL."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geokg.graph.analysis.analytics import QUAD_NAMES
from geokg.graph.analysis.temperature import monthly, scored
from geokg.graph.errors import GeoKGError
from geokg.ui import charts, links, state, timectl

ACTORS = ("Country", "Person", "Organization")
#: The most events read each way round (newest first); a pair with more is told it is capped.
LIMIT = 5000


def temperature_chart(months: pd.DataFrame) -> alt.VConcatChart:
    """The mean Goldstein value per month (a line with points; selection ``month_pick``) over
    the month's events stacked by quad class. Tooltips hold numbers only, no article text."""
    df = months.drop(columns=["ids"]).copy()
    df["when"] = pd.to_datetime(df["month"] + "-01")
    pick = alt.selection_point(name="month_pick", fields=["month"], on="click", empty=False)
    x = alt.X("when:T", title=None, axis=alt.Axis(format="%b %Y", labelOverlap=True))
    line = alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=90, filled=True), color="#555555").encode(
        x=x, y=alt.Y("goldstein:Q", scale=alt.Scale(domain=[-10, 10]), title="mean Goldstein (conflict − / cooperation +)"),
        tooltip=[alt.Tooltip("month:N"), alt.Tooltip("goldstein:Q", title="mean Goldstein"), alt.Tooltip("events:Q"),
                 alt.Tooltip("scored:Q", title="with a score")],
    ).add_params(pick)
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#bbbbbb").encode(y="y:Q")
    counts = df.melt(id_vars=["month", "when"], value_vars=list(QUAD_NAMES.values()), var_name="quad", value_name="n")
    bars = alt.Chart(counts[counts.n > 0]).mark_bar().encode(
        x=x, y=alt.Y("n:Q", title="events"), color=alt.Color("quad:N", scale=charts.QUAD_SCALE, title="CAMEO quad class"),
        tooltip=[alt.Tooltip("month:N"), alt.Tooltip("quad:N"), alt.Tooltip("n:Q", title="events")])
    return alt.vconcat(alt.layer(zero, line).properties(height=260), bars.properties(height=140))


def _picked(event: object) -> str | None:
    selection = getattr(event, "selection", None) or {}
    for item in selection.get("month_pick") or []:
        if isinstance(item, dict) and item.get("month"):
            return str(item["month"])
    return None


def _restore(s) -> None:
    """The pair and month named by the URL (``a``, ``b``, ``month``), looked up before use."""
    ss = st.session_state
    for end in ("a", "b"):
        node = links.param(end)
        try:
            found = s.entity(node) if node and ":" in node else None
        except (ValueError, GeoKGError):
            found = None
        if found:
            ss[f"pair_{end}_q"], ss[f"pair_url_{end}"] = found.get("name") or "", node
    if links.param("month"):
        ss["pair_url_month"] = links.param("month")


def _events_of(pair: pd.DataFrame, month: str, names: dict[str, str]) -> None:
    shown = pair[pair["month"] == month].copy()
    st.markdown(f"**Events of {state.md(month)}** ({len(shown)})")
    shown["who"] = [f"{names.get(a, a)} → {names.get(t, t)}" for a, t in zip(shown.actor, shown.target)]
    shown["quad"] = shown["quad"].map(lambda q: QUAD_NAMES.get(q, "") if pd.notna(q) else "")
    shown["url"] = shown["url"].map(state.safe_url)
    st.dataframe(shown[["date", "who", "type", "score", "quad", "origin", "evidence", "url"]], hide_index=True,
                 width="stretch", key="pair_events",
                 column_config={"score": st.column_config.NumberColumn("Goldstein", format="%.1f"),
                                "url": st.column_config.LinkColumn("source", display_text="open ↗")})


def main() -> None:
    s = state.store()
    st.title("A pair's temperature")
    ss = st.session_state
    if links.arriving("pair"):
        _restore(s)
    period = timectl.control()
    d0, d1 = timectl.bounds(period)
    st.caption("Two actors' events either way round, month by month: the mean Goldstein value (−10 conflict .. "
               "+10 cooperation; GDELT's own score, else the CAMEO table's) and the events by CAMEO quad class.")
    with st.container(border=True):
        c1, c2 = st.columns(2)
        a = state.entity_picker("pair_a", "First actor", labels=ACTORS, container=c1, default=ss.pop("pair_url_a", None))
        b = state.entity_picker("pair_b", "Second actor", labels=ACTORS, container=c2, index=1,
                                default=ss.pop("pair_url_b", None))
    if a is None or b is None:
        links.publish(timectl.params(period))
        return
    if a == b:
        links.publish(timectl.params(period))
        st.info("Pick two different actors.")
        return
    names = {r: (s.entity(r) or {}).get("name", r) for r in (a, b)}
    pair = scored(s.pair_events(a, b, date_from=d0, date_to=d1, limit=LIMIT))
    months = monthly(pair)
    who = f"{state.md(names[a])} and {state.md(names[b])}"
    if months.empty:
        links.share(links.publish({"a": a, "b": b, **timectl.params(period)}))
        timectl.nothing_in(period, f"dated events between {who}")
        return
    undated = months.attrs.get("undated", 0)
    st.caption(f"{len(pair) - undated} events in {len(months)} months {timectl.describe(period)}"
               + (f" · {undated} undated, in no month" if undated else "")
               + (f" · capped at the newest {LIMIT} each way" if len(pair) >= LIMIT else ""))
    event = st.altair_chart(temperature_chart(months), width="stretch", on_select="rerun", key="pair_chart")
    options = list(months.month)[::-1]
    clicked = _picked(event)
    if ss.get("pair_url_month") in options:
        ss["pair_month"] = ss.pop("pair_url_month")
    if clicked in options and clicked != ss.get("pair_last_click"):
        ss["pair_last_click"] = ss["pair_month"] = clicked  # a click on a point wins once
    month = st.selectbox("Events of the month", options, index=None, key="pair_month", placeholder="a month…",
                         format_func=lambda m: f"{m} ({int(months.set_index('month').loc[m, 'events'])} events)")
    links.share(links.publish({"a": a, "b": b, "month": month, **timectl.params(period)}))
    with st.expander(f"Months ({len(months)})"):
        st.dataframe(months.drop(columns=["ids"]), hide_index=True, width="stretch", key="pair_months")
    if month:
        _events_of(pair, month, names)
    else:
        st.caption("Click a point of the line, or choose a month above, to list its events.")


main()
