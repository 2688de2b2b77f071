"""Calendar arithmetic and the words for numbers, months and weekdays. Pure and small."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from bot.answer.understand._grammar import CARDINALS, MONTHS, ORDINALS, VAGUE_COUNTS, WEEKDAYS

ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist (Feb 30, month 13, year 0)."""
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def plus(day: dt.date, days: int) -> dt.date | None:
    """``day`` moved by ``days``, or None past the ends of the calendar."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday-to-Sunday week holding ``day``."""
    start = monday_of(day)
    return start, start + dt.timedelta(days=6)


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def month_week(year: int, month: int, n: int) -> tuple[dt.date, dt.date] | None:
    """The n-th seven days of a month (-1: its last seven), as people count them: "the first week of
    October" is Oct 1 – Oct 7 whatever weekday the month starts on."""
    first, last = month_span(year, month)
    if n < 0:
        return max(first, last - dt.timedelta(days=6)), last
    start = first + dt.timedelta(days=7 * (n - 1))
    if start > last:
        return None
    return start, min(last, start + dt.timedelta(days=6))


def short(day: dt.date) -> str:
    """Oct 15"""
    return f"{day:%b} {day.day}"


def day_label(day: dt.date) -> str:
    """Thu, Nov 26"""
    return f"{day:%a}, {day:%b} {day.day}"


def count(word: str) -> int | None:
    """ "3", "three", "a few" -> a number."""
    word = re.sub(r"\s+", " ", word)
    if word.isdigit():
        return int(word)
    return CARDINALS.get(word) or VAGUE_COUNTS.get(word)


def ordinal(word: str) -> int | None:
    """ "fifth", "5th" -> 5."""
    if word in ORDINALS:
        return ORDINALS[word]
    digits = word.rstrip("stndrh")
    return int(digits) if digits.isdigit() else None


def weekday_number(word: str) -> int:
    return WEEKDAYS[word[:3]]


def month_number(word: str) -> int:
    return MONTHS[word[:3]]


def nearest(days: list[dt.date], today: dt.date) -> dt.date | None:
    """The day closest to today; a tie goes to the later day (students mostly ask ahead)."""
    return min(days, key=lambda d: (abs((d - today).days), d < today), default=None)
