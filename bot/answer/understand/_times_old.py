"""Temporary: the old engine's date reading behind the new interface, until times.py lands."""

from __future__ import annotations

import datetime as dt
import re

from bot.answer import when
from bot.answer.understand.times import Days, TimeMention
from bot.knowledge import Course


def find_times(text: str, now: dt.datetime, course: Course) -> list[TimeMention]:
    today = now.astimezone(course.tz).date()
    out = []
    for d in when.explicit_dates(text, course.first_day.year):
        m = re.search(d.strftime("%b").lower() + r"[a-z]*\.?\s+0?" + str(d.day), text) or re.search(
            rf"\b{d.month}/{d.day}\b", text)
        s, e = (m.start(), m.end()) if m else (0, 0)
        out.append(TimeMention(s, e, text[s:e], "day", days=Days(d, d, when.compose_day(d) if hasattr(when, "x") else f"{d:%b} {d.day}")))
    if out:
        return out
    span = when.relative_span(text, today)
    if span:
        m = re.search(span.label.lower().split()[0], text)
        s, e = (m.start(), m.end()) if m else (0, 0)
        grain = "week" if "week" in span.label else "day"
        out.append(TimeMention(s, e, text[s:e], grain, days=Days(span.start, span.end, span.label)))
    wk = when.week_number(text, max((x.week or 0) for x in course.sessions))
    if wk is not None:
        days = [x.date for x in course.dated_sessions if x.week == wk and x.date]
        m = re.search(r"week\s*\d+", text)
        s, e = (m.start(), m.end()) if m else (0, 0)
        if days:
            out.append(TimeMention(s, e, text[s:e], "week", days=Days(min(days), max(days), f"week {wk}")))
    return out
