"""Dates, weekdays, times, time zones and "not decided yet" as course pages write them.

"Thu Sep 17", "Tu 9/30", "2020-09-17", "September 17th", "17 Sep", "Oct 28–30", "Aug 30–Sep 3";
"4:20pm - 5:40pm", "3-5pm", "11am-Noon", "12 PM - 1:30 PM", "noon–1pm", "from 1:00 to 2:20 p.m.";
"Tuesday/Thursday", "MWF", "TTh", "Tu", "Thurs", "Wendesday"; "Central Time", "ET", "America/Chicago".
Pure functions over one line or cell of text. Every pattern uses bounded repetition only, so
each is linear in the length of the text (no backtracking blow-up on hostile input).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
          "nov": 11, "dec": 12}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = re.compile(r"\b(mon|tues|tue|tu|weds|wed|thurs|thur|thu|th|fri|sat|sun)(?:day|nesday|rsday|sday|urday)?"
                      r"s?\b\.?", re.IGNORECASE)
_WEEKDAY_INDEX = {"mon": 0, "tu": 1, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "th": 3, "thu": 3, "thur": 3,
                  "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
_DAYISH = re.compile(r"\b[A-Za-z]{5,10}days?\b")  # a misspelt weekday ("Wendesday", "Thrusday")
_LETTER_DAYS = re.compile(r"\b(?:M|T|W|R|F|Th|Tu|Sa|Su)(?:[/&,+]?(?:M|T|W|R|F|Th|Tu|Sa|Su)){0,6}\b")
_LETTER = {"M": 0, "T": 1, "Tu": 1, "W": 2, "R": 3, "Th": 3, "F": 4, "Sa": 5, "Su": 6}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?"
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_MONTH_DAY = re.compile(r"\b" + _MONTH + r",?[ \t]{1,3}(\d{1,2})(?:st|nd|rd|th)?\b(?:,?[ \t]{1,3}(\d{4})\b)?",
                        re.IGNORECASE)
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?(?:[ \t]{1,3}|-)(?:of[ \t]{1,3})?" + _MONTH
                        + r"(?:,?[ \t]{1,3}(\d{4}))?", re.IGNORECASE)
_RANGE_TO = re.compile(r"[ \t]{0,3}(?:-|–|—|to|through|thru|until)[ \t]{0,3}", re.IGNORECASE)
_TERM = re.compile(r"\b(fall|autumn|spring|summer|winter)[ \t]{0,3}(?:quarter|semester|term)?[ \t]{0,3}"
                   r"'?(\d{4}|\d{2})\b", re.IGNORECASE)
_CLOCK = r"(?:(\d{1,2})(?:[:.](\d{2}))?(?:[ \t]?([ap])\.?[ \t]?m\b\.?)?|(noon|midnight))"
_TIME_RANGE = re.compile(rf"(?<![\d:/]){_CLOCK}[ \t]{{0,3}}(?:-|–|—|to|until|till)[ \t]{{0,3}}{_CLOCK}(?![\d/])",
                         re.IGNORECASE)
_SINGLE_TIME = re.compile(r"(?<![\d:])(\d{1,2})(?::(\d{2}))?[ \t]?([ap])\.?[ \t]?m\b\.?|(?<![\d:])(\d{1,2}):(\d{2})\b"
                          r"|\b(noon|midnight)\b", re.IGNORECASE)
_IANA = re.compile(r"\b((?:America|Europe|Asia|Australia|Africa|Pacific|Atlantic|Indian)/[A-Z][A-Za-z_]{1,30}"
                   r"(?:/[A-Z][A-Za-z_]{1,30})?)\b")
# (words, any case; abbreviations, upper case only) -> IANA zone
ZONES = (
    ("central", "CST|CDT|CT", "America/Chicago"),
    ("eastern", "EST|EDT|ET", "America/New_York"),
    ("mountain", "MST|MDT|MT", "America/Denver"),
    ("pacific", "PST|PDT|PT", "America/Los_Angeles"),
    ("london|uk", "GMT|BST", "Europe/London"),
    ("central european", "CET|CEST", "Europe/Berlin"),
)
_ZONE_WORDS = [(re.compile(rf"\b(?:{words})(?:[ \t]{{1,3}}(?:standard|daylight))?[ \t]{{1,3}}time\b|\b(?:{words})"
                           rf"[ \t]{{0,3}}\((?:{abbreviations})\)", re.IGNORECASE),
                re.compile(rf"\b(?:{abbreviations})\b"), zone) for words, abbreviations, zone in ZONES]
UNDECIDED = re.compile(r"\b(?:TBD|TBA|TBC|to[ \t]be[ \t](?:determined|announced|decided|confirmed|assigned|posted)"
                       r"|not[ \t](?:yet[ \t])?(?:been[ \t])?(?:determined|decided|assigned|announced|set))\b",
                       re.IGNORECASE)


@dataclass(frozen=True)
class DayText:
    """A day as written: month and day, plus the weekday and year if the text gave them."""

    month: int
    day: int
    weekday: int | None
    year: int | None
    start: int = 0  # where in the text it was written
    end: int = 0

    def on(self, year: int) -> dt.date | None:
        try:
            return dt.date(self.year or year, self.month, self.day)
        except ValueError:
            return None


@dataclass(frozen=True)
class TimeSpan:
    start: dt.time
    end: dt.time
    guessed: bool  # am/pm not written: afternoon assumed
    begin: int  # where in the text
    finish: int


def weekday_in(text: str) -> int | None:
    days = weekdays_in(text)
    return days[0] if days else None


def weekday_spans(text: str) -> list[tuple[int, int, int]]:
    """(weekday, start, end) of every weekday written in ``text``, in order."""
    found = [(_WEEKDAY_INDEX[m[1].lower()], m.start(), m.end()) for m in _WEEKDAY.finditer(text)
             if not (m[0][:1].islower() and m[0].rstrip(".").lower() in ("sun", "sat", "wed", "tu", "th"))]
    for match in _DAYISH.finditer(text):
        if not any(s <= match.start() < e for _, s, e in found):
            word = match[0].lower().rstrip("s")
            close = difflib.get_close_matches(word, [d.lower() for d in WEEKDAY_NAMES], n=1, cutoff=0.8)
            if close:
                found.append((WEEKDAY_NAMES.index(close[0].capitalize()), match.start(), match.end()))
    for match in _LETTER_DAYS.finditer(text):
        if any(s <= match.start() < e for _, s, e in found):
            continue
        token = match[0]
        letters = re.findall(r"Th|Tu|Sa|Su|[MTWRF]", token)
        compact = "".join(letters) == token.replace("/", "").replace("&", "").replace(",", "").replace("+", "")
        if compact and (len(letters) > 1 and len(token) > 1 or _followed_by_time(text, match.end())):
            for letter in letters:
                found.append((_LETTER[letter], match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])


def _followed_by_time(text: str, end: int) -> bool:
    return bool(re.match(r"[ \t,:]{0,3}\d", text[end:end + 4]))


def weekdays_in(text: str) -> list[int]:
    return list(dict.fromkeys(day for day, _, _ in weekday_spans(text)))


def _month(word: str) -> int | None:
    return MONTHS.get(word.lower()[:3])


def days_in(text: str) -> list[DayText]:
    """Every date written in ``text`` (ISO, "Sep 17", "17 Sep", "9/17"), in order, without overlaps."""
    found: list[DayText] = []
    taken: list[tuple[int, int]] = []

    def add(month: int | None, day: str, year: str | None, start: int, end: int) -> None:
        if month is None or any(s < end and start < e for s, e in taken) or not 1 <= int(day) <= 31:
            return
        taken.append((start, end))
        number = int(year) if year else None
        number = number + 2000 if number is not None and number < 100 else number
        found.append(DayText(month, int(day), _weekday_near(text, start, end), number, start, end))

    for m in _ISO.finditer(text):
        add(int(m[2]), m[3], m[1], m.start(), m.end())
    for m in _MONTH_DAY.finditer(text):
        if m[0][0].isupper():
            add(_month(m[1]), m[2], m[3], m.start(), m.end())
    for m in _DAY_MONTH.finditer(text):
        word = m[0][len(m[0]) - len(m[0].lstrip("0123456789")):]
        if re.search(r"[A-Z]", word):
            add(_month(m[2]), m[1], m[3], m.start(), m.end())
    for m in _NUMERIC.finditer(text):
        if 1 <= int(m[1]) <= 12:
            add(int(m[1]), m[2], m[3], m.start(), m.end())
    return sorted(found, key=lambda d: d.start)


def _weekday_near(text: str, start: int, end: int) -> int | None:
    """The weekday written just before ("Tue Sep 17", "Tuesday, Sep 17") or after ("Sep 17 (Tue)") a date."""
    before = [day for day, _, e in weekday_spans(text[max(0, start - 12):start]) if e >= min(start, 12) - 3]
    if before:
        return before[-1]
    after = weekday_spans(text[end:end + 8])
    return after[0][0] if after and after[0][1] <= 3 else None


def day_text(text: str) -> DayText | None:
    """The first date written in ``text``, or None."""
    found = days_in(text)
    return found[0] if found else None


def day_range(text: str) -> tuple[DayText, DayText] | None:
    """ "Oct 28–30", "Aug 30–Sep 3", "10/28-10/30", "Dec 8 to Dec 10": the first range of days written."""
    for first in days_in(text):
        joint = _RANGE_TO.match(text, first.end)
        if not joint:
            continue
        rest = text[joint.end():joint.end() + 40]
        second = day_text(rest)
        if second and second.start == 0:
            return first, second
        bare = re.match(r"(\d{1,2})(?![\d:/]|[ \t]?[ap]\.?m)", rest, re.IGNORECASE)
        if bare and int(bare[1]) > first.day:
            end = joint.end() + bare.end()
            return first, DayText(first.month, int(bare[1]), None, first.year, joint.end(), end)
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
    start = year
    previous_month = 0
    for day in days:
        if day.year is None and previous_month >= 9 and day.month <= 4:  # a winter term crosses New Year
            year += 1
        elif day.year is None and previous_month <= 4 and day.month >= 9 and year > start:  # a list starts over
            year -= 1
        previous_month = day.month
        result.append(day.on(year))
        if day.year:
            year = day.year
    return result


def _weekday_fit(days: list[DayText], year: int) -> int:
    return sum(1 for day, date in zip(days, _place(days, year), strict=True)
               if date and day.weekday is not None and date.weekday() == day.weekday)


def _to_time(hour: str | None, minute: str | None, meridiem: str | None, word: str | None) -> dt.time | None:
    if word:
        return dt.time(12) if word.lower() == "noon" else dt.time(23, 59)
    h, m = int(hour or 0), int(minute or 0)
    if meridiem:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if meridiem.lower() == "p" else 0)
    return dt.time(h, m) if h < 24 and m < 60 else None


def time_ranges(text: str) -> list[TimeSpan]:
    """Every "3-5pm"-style range in ``text``; a range needs am/pm, noon or minutes somewhere."""
    spans = []
    for match in _TIME_RANGE.finditer(text):
        span = _span(match)
        if span:
            spans.append(span)
    return spans


def _span(match: re.Match[str]) -> TimeSpan | None:
    h1, m1, ap1, w1, h2, m2, ap2, w2 = match.groups()
    if not (m1 or ap1 or w1 or m2 or ap2 or w2):
        return None
    guessed = False
    end = _to_time(h2, m2, ap2, w2)
    if w1 or ap1:
        start = _to_time(h1, m1, ap1, w1)
        if start and end and not (ap2 or w2) and end <= start and end.hour < 12:  # "11am-1"
            end = _to_time(h2, m2, "p", None)
    elif ap2:
        start = _to_time(h1, m1, ap2, None)
        if start and end and start >= end:  # "11-1pm", "10:00-12:15pm": the start is in the morning
            start = _to_time(h1, m1, "a", None)
    elif w2:  # "9-noon"
        start = _to_time(h1, m1, None, None)
    else:
        start, end = _to_time(h1, m1, None, None), _to_time(h2, m2, None, None)
        if start and end and start.hour < 8 and end.hour <= 12:  # "1:30-2:30" on a course page means afternoon
            start, end, guessed = _to_time(h1, m1, "p", None), _to_time(h2, m2, "p", None), True
    if start is None or end is None or not start < end:
        return None
    return TimeSpan(start, end, guessed, match.start(), match.end())


def time_range(text: str) -> tuple[dt.time, dt.time, bool, int, int] | None:
    """(start, end, guessed, begin, finish) of the first range in ``text``."""
    spans = time_ranges(text)
    if not spans:
        return None
    span = spans[0]
    return span.start, span.end, span.guessed, span.begin, span.finish


def single_time(text: str) -> dt.time | None:
    match = _SINGLE_TIME.search(text)
    if not match:
        return None
    if match[1]:
        return _to_time(match[1], match[2], match[3], None)
    if match[6]:
        return _to_time(None, None, None, match[6])
    return _to_time(match[4], match[5], None, None)


def timezone_in(text: str) -> str | None:
    """The IANA zone a text states ("Central Time", "(CT)", "ET", "America/Chicago"), else None."""
    for match in _IANA.finditer(text):
        try:
            ZoneInfo(match[1])
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return match[1]
    for words, abbreviations, zone in _ZONE_WORDS:
        if words.search(text) or abbreviations.search(text):
            return zone
    return None


def undecided(text: str) -> re.Match[str] | None:
    """ "TBD", "TBA", "to be determined", "not yet assigned"."""
    return UNDECIDED.search(text)


def clock(value: dt.time) -> str:
    return value.strftime("%H:%M")
