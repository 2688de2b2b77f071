"""Dates, weekdays, times and time zones as course pages write them.

"Thu Sep 17", "Tue Apr 02", "9/17", "2020-09-17", "September 17th", "17 Sep";
"4:20pm - 5:40pm", "3-5pm", "6pm - 8pm"; "Tuesday/Thursday", "Tuesdays and
Thursdays", "MWF", "TTh"; "Central Time". Pure functions, no page structure here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = re.compile(
    r"\b(mon|tue|tues|tu|wed|weds|thu|thur|thurs|th|fri|sat|sun)(?:day|nesday|rsday|sday|urday)?s?\b\.?",
    re.IGNORECASE,
)
_WEEKDAY_INDEX = {"mon": 0, "tu": 1, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "th": 3, "thu": 3,
                  "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b")
_MONTH_DAY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?", re.IGNORECASE)
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4}))?", re.IGNORECASE)
_TERM = re.compile(r"\b(fall|autumn|spring|summer|winter)\s*(?:quarter|semester|term)?\s*'?(\d{4}|\d{2})\b",
                   re.IGNORECASE)
_CLOCK = r"(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?|noon)?"
_RANGE = re.compile(_CLOCK + r"\s*(?:-|–|—|to|until)\s*" + _CLOCK, re.IGNORECASE)
_SINGLE_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])|\b(\d{1,2}):(\d{2})\b",
                          re.IGNORECASE)
# (words, any case; abbreviations, upper case only) -> IANA zone
ZONES = (
    ("central", "CST|CDT|CT", "America/Chicago"),
    ("eastern", "EST|EDT|ET", "America/New_York"),
    ("mountain", "MST|MDT|MT", "America/Denver"),
    ("pacific", "PST|PDT|PT", "America/Los_Angeles"),
    ("london|uk time", "GMT|BST", "Europe/London"),
    ("central european", "CET|CEST", "Europe/Berlin"),
    ("coordinated universal", "UTC", "UTC"),
)


@dataclass(frozen=True)
class DayText:
    """A day as written: month and day, plus the weekday and year if the text gave them."""

    month: int
    day: int
    weekday: int | None
    year: int | None

    def on(self, year: int) -> dt.date | None:
        try:
            return dt.date(self.year or year, self.month, self.day)
        except ValueError:
            return None


def weekday_in(text: str) -> int | None:
    match = _WEEKDAY.search(text)
    return _WEEKDAY_INDEX[match[1].lower()] if match else None


def weekdays_in(text: str) -> list[int]:
    days = [_WEEKDAY_INDEX[m[1].lower()] for m in _WEEKDAY.finditer(text)]
    return list(dict.fromkeys(days)) or _compact_days(text)


def _compact_days(text: str) -> list[int]:
    """ "MWF", "TTh", "TR", "MW" written as one token."""
    for token in re.findall(r"\b[MTWRFSUhau]{2,7}\b", text):
        days = [{"M": 0, "T": 1, "Tu": 1, "W": 2, "R": 3, "Th": 3, "F": 4, "Sa": 5, "Su": 6}[part]
                for part in re.findall(r"Th|Tu|Sa|Su|[MTWRF]", token)]
        if days and "".join(re.findall(r"Th|Tu|Sa|Su|[MTWRF]", token)) == token:
            return list(dict.fromkeys(days))
    return []


def day_text(text: str) -> DayText | None:
    """The first date written in ``text``, or None."""
    if match := _ISO.search(text):
        return DayText(int(match[2]), int(match[3]), weekday_in(text), int(match[1]))
    for pattern, month_first in ((_MONTH_DAY, True), (_DAY_MONTH, False)):
        if match := pattern.search(text):
            month_word, day = (match[1], match[2]) if month_first else (match[2], match[1])
            year = int(match[3]) if match[3] else None
            return DayText(MONTHS[month_word.lower()[:3]], int(day), weekday_in(text), year)
    if match := _NUMERIC.search(text):
        year = int(match[3]) if match[3] else None
        year = year + 2000 if year is not None and year < 100 else year
        return DayText(int(match[1]), int(match[2]), weekday_in(text), year)
    return None


def term_year(text: str) -> tuple[str, int] | None:
    """("Fall", 2020) from "FALL 20", "Fall 2020", "Spring '24"."""
    match = _TERM.search(text)
    if not match:
        return None
    year = int(match[2])
    return match[1].capitalize(), (year + 2000 if year < 100 else year)


def resolve_years(days: list[DayText], start_year: int | None, near: int) -> tuple[list[dt.date | None], int, bool]:
    """Dates for ``days`` in page order: (dates, start year, guessed?).

    The year comes from the term name when there is one; a month that goes backwards
    (Dec -> Jan) moves to the next year. The stated weekdays pick the start year when
    the term gives none (the fitting year nearest ``near``), and override the term's
    year when another year fits them strictly better.
    """
    anchor = start_year or near
    candidates = sorted(range(anchor - 15, anchor + 2), key=lambda y: (y != start_year, abs(y - anchor), -y))
    best = max(candidates, key=lambda year: (_weekday_fit(days, year), -candidates.index(year)))
    return _place(days, best), best, best != start_year


def _place(days: list[DayText], year: int) -> list[dt.date | None]:
    result: list[dt.date | None] = []
    previous_month = 0
    for day in days:
        if day.year is None and day.month < previous_month - 3:
            year += 1
        previous_month = day.month
        result.append(day.on(year))
        if day.year:
            year = day.year
    return result


def _weekday_fit(days: list[DayText], year: int) -> int:
    return sum(1 for day, date in zip(days, _place(days, year), strict=True)
               if date and day.weekday is not None and date.weekday() == day.weekday)


def _to_time(hour: str, minute: str | None, meridiem: str | None) -> dt.time | None:
    h, m = int(hour), int(minute or 0)
    word = (meridiem or "").lower().replace(".", "")
    if word == "noon":
        return dt.time(12, m) if h == 12 else None
    if word:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if word.startswith("p") else 0)
    return dt.time(h, m) if h < 24 and m < 60 else None


def time_range(text: str) -> tuple[dt.time, dt.time, bool, re.Match[str]] | None:
    """(start, end, guessed, match) of the first "3-5pm"-style range in ``text``."""
    for match in _RANGE.finditer(text):
        start_meridiem, end_meridiem = match[3], match[6]
        guessed = False
        if not start_meridiem and end_meridiem:
            start_meridiem = end_meridiem
            start, end = _to_time(match[1], match[2], start_meridiem), _to_time(match[4], match[5], end_meridiem)
            if start and end and start > end:  # "11-1pm": the start is in the morning
                start = _to_time(match[1], match[2], "am")
        else:
            if not start_meridiem and not end_meridiem and int(match[1]) < 8 and not match[2]:
                start_meridiem = end_meridiem = "pm"  # "1-3" on a course page means afternoon
                guessed = True
            start, end = _to_time(match[1], match[2], start_meridiem), _to_time(match[4], match[5], end_meridiem)
        if start and end and start < end and (match[2] or match[3] or match[5] or match[6]):
            return start, end, guessed, match
    return None


def single_time(text: str) -> dt.time | None:
    match = _SINGLE_TIME.search(text)
    if not match:
        return None
    if match[1]:
        return _to_time(match[1], match[2], match[3])
    return _to_time(match[4], match[5], None)


def timezone_in(text: str) -> str | None:
    for words, abbreviations, zone in ZONES:
        if re.search(rf"\b({words})\s+(standard\s+|daylight\s+)?time\b", text, re.IGNORECASE):
            return zone
        if re.search(rf"\b({abbreviations})\b", text):
            return zone
    return None


def full_weekdays_in(text: str) -> list[int]:
    """Weekdays named in full ("Tuesday", "Thursdays") in running text."""
    names = "|".join(WEEKDAY_NAMES)
    return list(dict.fromkeys(WEEKDAY_NAMES.index(m[1].capitalize())
                              for m in re.finditer(rf"\b({names})s?\b", text, re.IGNORECASE)))


def clock(value: dt.time) -> str:
    return value.strftime("%H:%M")
