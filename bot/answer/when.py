"""Find the time a question is about: a date, a week number, or a moment relative to now.

Pure functions of (expanded text, now, course year); nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAY_NUM = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
            "last": -1, "final": -1}

_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+(\d{{4}}))?")
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:\s+(\d{{4}}))?")
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAY = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|rsday|rs|r|urday)?s?\b"
)
_WEEK_NUM = re.compile(r"\bweek\s*(?:#|no\.?|number)?\s*(\d{1,2})\b|\b(\d{1,2})(?:st|nd|rd|th)\s+week\b")
_WEEK_ORD = re.compile(r"\b(" + "|".join(ORDINALS) + r")\s+week\b")


@dataclass(frozen=True)
class Span:
    """An inclusive range of days, with how the student said it."""

    start: dt.date
    end: dt.date
    label: str


def explicit_dates(text: str, year: int) -> list[dt.date]:
    """Calendar dates written in the text ("oct 15", "15 october", "10/15", "2020-10-15")."""
    found: list[dt.date] = []
    for match in _ISO.finditer(text):
        _add(found, int(match[1]), int(match[2]), int(match[3]))
    for match in _MONTH_DAY.finditer(text):
        _add(found, int(match[3] or year), MONTHS[match[1][:3]], int(match[2]))
    for match in _DAY_MONTH.finditer(text):
        _add(found, int(match[3] or year), MONTHS[match[2][:3]], int(match[1]))
    for match in _NUMERIC.finditer(text):
        yr = match[3]
        full = int(yr) + (2000 if len(yr) == 2 else 0) if yr else year
        _add(found, full, int(match[1]), int(match[2]))
    return found


def _add(found: list[dt.date], year: int, month: int, day: int) -> None:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return
    if value not in found:
        found.append(value)


def week_number(text: str, last_week: int) -> int | None:
    """ "week 5", "wk 5", "5th week", "the last week" -> a week number."""
    match = _WEEK_NUM.search(text)
    if match:
        return int(match[1] or match[2])
    match = _WEEK_ORD.search(text)
    if match:
        value = ORDINALS[match[1]]
        return last_week if value == -1 else value
    return None


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def relative_span(text: str, today: dt.date) -> Span | None:
    """today / tonight / tomorrow / yesterday / this week / next week / this weekend / a weekday."""
    if re.search(r"\b(today|tonight|this evening|this morning|this afternoon)\b", text):
        return Span(today, today, "today")
    if re.search(r"\btomorrow\b", text):
        day = today + dt.timedelta(days=1)
        return Span(day, day, "tomorrow")
    if re.search(r"\byesterday\b", text):
        day = today - dt.timedelta(days=1)
        return Span(day, day, "yesterday")
    if re.search(r"\bthis weekend\b", text):
        sat = monday_of(today) + dt.timedelta(days=5)
        return Span(sat, sat + dt.timedelta(days=1), "this weekend")
    if re.search(r"\b(next|coming|upcoming) week\b|\bweek after this\b", text):
        start = monday_of(today) + dt.timedelta(days=7)
        return Span(start, start + dt.timedelta(days=6), "next week")
    if re.search(r"\b(last|previous|past) week\b", text):
        start = monday_of(today) - dt.timedelta(days=7)
        return Span(start, start + dt.timedelta(days=6), "last week")
    if re.search(r"\b(this|current) week\b|\bthis wk\b|\bweek of\b(?!\s+\w+\s+\d)", text):
        start = monday_of(today)
        return Span(start, start + dt.timedelta(days=6), "this week")
    match = _WEEKDAY.search(text)
    if match and not re.search(r"\b(every|each|on)\s+" + match[0] + "s\\b", text):
        offset = (WEEKDAY_NUM[match[1]] - today.weekday()) % 7
        if re.search(r"\bnext\s+" + match[0], text) and offset == 0:
            offset = 7
        day = today + dt.timedelta(days=offset)
        return Span(day, day, day.strftime("%A"))
    return None


def asks_next_class(text: str) -> bool:
    return bool(re.search(r"\b(next|upcoming|coming)\s+(class|lecture|session|meeting)\b", text))


def asks_countdown(text: str) -> bool:
    return bool(re.search(r"\bhow (many|much) (days|weeks|time|hours)\b|\bdays (left|until|till|til|to go)\b"
                          r"|\bhow long (until|till|til|before|do i have)\b|\bcountdown\b", text))


_CLASS_ORDINAL = re.compile(
    r"\b(" + "|".join(ORDINALS) + r"|very first|very last)\s+(?:real\s+|actual\s+|proper\s+)?(?:day\s+of\s+)?(class|lecture|session|meeting)"
)


_TERM_EDGE = re.compile(r"\bwhen (does|do|did|will) (the )?(class|classes|course|lectures?|quarter|semester|term) "
                        r"(start|begin|end|finish)")


_ORDINAL = re.compile(r"\b(" + "|".join(ORDINALS) + r")\b")


def ordinal(text: str) -> int | None:
    """The first ordinal word in the text: "first" -> 1, "last"/"final" -> -1."""
    match = _ORDINAL.search(text)
    return ORDINALS[match[1]] if match else None


def class_ordinal(text: str) -> int | None:
    """ "the first lecture" -> 1, "last class" / "when does the course end" -> -1."""
    match = _CLASS_ORDINAL.search(text)
    if match:
        return ORDINALS[match[1].split()[-1]]
    edge = _TERM_EDGE.search(text)
    if edge:
        return 1 if edge[4] in ("start", "begin") else -1
    return None
