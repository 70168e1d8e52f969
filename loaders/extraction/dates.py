"""Dates of events: relative expressions resolved against the article's publication date.

>>> resolve_date("on Wednesday", "2023-03-01")   # a Wednesday itself
('2023-03-01', 'day')
>>> resolve_date("last week", "2023-03-01")
('2023-02-22', 'week')
>>> resolve_date("in 2020", "2023-03-01")
('2020-01-01', 'year')
>>> resolve_date("a year ago", "2023-03-01")
('2022-03-01', 'year')
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["resolve_date"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "several": 3, "few": 3}
#: A month's name or its abbreviation, as a whole word ("decades" is no December).
_MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_UNIT = re.compile(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few)\s+"
                   r"(day|week|month|year)s?\s+(ago|earlier|before)\b")


def _shift_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    day = min(d.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
                      31, 31, 30, 31, 30, 31][month - 1])
    return dt.date(year, month, day)


def resolve_date(expr: str, published: str | None) -> tuple[str | None, str]:
    """(YYYY-MM-DD, precision) for a date expression; the article date (or None) when not understood.

    Precision is one of day, week, month, year. Weekday names and month-day dates without a year
    are taken as the latest such day on or before the publication date (news report the past).
    """
    if not published:
        m = re.search(r"\b(1[89]\d\d|20\d\d)\b", expr)
        return (f"{m.group(1)}-01-01", "year") if m else (None, "day")
    base = dt.date.fromisoformat(published)
    e = expr.lower().strip()
    if re.search(r"\b(today|tonight|this morning|this afternoon|this evening)\b", e):
        return base.isoformat(), "day"
    if "yesterday" in e:
        return (base - dt.timedelta(days=1)).isoformat(), "day"
    if "tomorrow" in e:
        return (base + dt.timedelta(days=1)).isoformat(), "day"
    m = _UNIT.search(e)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else _NUM[m.group(1)]
        unit = m.group(2)
        if unit == "day":
            return (base - dt.timedelta(days=n)).isoformat(), "day"
        if unit == "week":
            return (base - dt.timedelta(weeks=n)).isoformat(), "week"
        return _shift_months(base, -n * (12 if unit == "year" else 1)).isoformat(), unit
    m = re.search(r"\b(last|next|this)\s+(week|month|year)\b", e)
    if m:
        step = {"last": -1, "next": 1, "this": 0}[m.group(1)]
        if m.group(2) == "week":
            return (base + dt.timedelta(weeks=step)).isoformat(), "week"
        if m.group(2) == "month":
            return _shift_months(base, step).isoformat()[:8] + "01", "month"
        return f"{base.year + step}-01-01", "year"
    for i, name in enumerate(_WEEKDAYS):
        if re.search(rf"\b{name}\b", e):
            back = (base.weekday() - i) % 7
            if re.search(r"\bnext\b", e):
                return (base + dt.timedelta(days=(i - base.weekday()) % 7 or 7)).isoformat(), "day"
            if re.search(r"\blast\b", e) and back == 0:
                back = 7
            return (base - dt.timedelta(days=back)).isoformat(), "day"
    m = re.search(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", e) or re.search(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?", e)
    if m:
        a, b, year = m.groups()
        month, day = (_MONTHS[a[:3]], int(b)) if a[:3] in _MONTHS else (_MONTHS[b[:3]], int(a))
        try:
            d = dt.date(int(year) if year else base.year, month, day)
        except ValueError:
            return base.isoformat(), "day"
        if not year and (d - base).days > 183:
            d = dt.date(d.year - 1, month, day)
        return d.isoformat(), "day"
    m = re.search(rf"\b{_MONTH}\s+(?:of\s+)?(\d{{4}})\b", e)
    if m:
        return f"{m.group(2)}-{_MONTHS[m.group(1)[:3]]:02d}-01", "month"
    m = re.search(rf"\b{_MONTH}(?![\w-])", e)
    if m and not re.search(r"\d", e):
        # a month with no year (the text is a DATE the parser found, so "May" is the month): the
        # latest such month on or before publication; "next June" the coming one
        month = _MONTHS[m.group(1)[:3]]
        year = base.year if month <= base.month else base.year - 1
        if re.search(r"\bnext\b", e) and month <= base.month:
            year = base.year + 1
        elif re.search(r"\bnext\b", e):
            year = base.year
        return f"{year}-{month:02d}-01", "month"
    m = re.search(r"\b(?:past|last|previous|coming|next)\s+(?:\w+\s+)?(day|week|month|year|decade)s\b", e) or \
        re.search(r"\brecent\s+(day|week|month|year)s\b", e) or re.search(r"\bearlier this (week|month|year)\b", e)
    if m:
        # "the past two weeks", "in recent months", "earlier this year": around publication, no finer
        unit = {"decade": "year"}.get(m.group(1), m.group(1))
        return base.isoformat(), unit
    m = re.search(r"\b(1[89]\d\d|20\d\d)s?\b", e)
    if m:
        return f"{m.group(1)}-01-01", "year"
    return base.isoformat(), "day"
