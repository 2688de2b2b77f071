"""One resolver per grammar pattern: a match, today and the course's calendar -> a Hit (or None).

A resolver returns None when the words match but do not mean a time here ("homework 2 - 3",
"this may be", Feb 30); the other patterns still get their chance at the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.answer.understand import _grammar as g
from bot.answer.understand._calendar import Facts, course_week, last_week_number, term_date
from bot.answer.understand._dates import (
    count,
    month_number,
    month_span,
    month_week,
    nearest,
    ordinal,
    plus,
    safe_date,
    shift_month,
    short,
    weekday_number,
)


@dataclass(frozen=True)
class Hit:
    """A time expression found in the text, before relations and ranges are joined."""

    start: int
    end: int
    kind: str  # date weekday week month relative moment window edge holiday recurring range
    grain: str
    first: dt.date | None
    last: dt.date | None
    label: str
    weekdays: frozenset[int] = frozenset()
    relation: str = "on"


@dataclass(frozen=True)
class Context:
    text: str
    today: dt.date
    facts: Facts


Resolver = Callable[[re.Match[str], Context], Hit | None]


def hit(m: re.Match[str], kind: str, grain: str, first: dt.date | None, last: dt.date | None, label: str) -> Hit | None:
    if first is None or last is None or last < first:
        return None
    return Hit(m.start(), m.end(), kind, grain, first, last, label)


def said(m: re.Match[str]) -> str:
    """The words as written, single-spaced, without a leading preposition: a label."""
    words = m[0].split()
    return " ".join(words[1:] if words[0] in ("in", "over", "for", "during", "within") else words)


def _month_by_noun(ctx: Context, m: re.Match[str]) -> bool:
    """ "may deadlines?", "oct lectures": a month abbreviation (or "may") right before a course noun."""
    after = re.match(r"\s+([a-z]+)", ctx.text[m.end():])
    return after is not None and after[1] in g.MONTH_NOUNS


def word_before(ctx: Context, start: int) -> str:
    found = g.LAST_WORD.search(ctx.text, max(0, start - 24), start)
    return found[1] if found else ""


def _date_label(ctx: Context, day: dt.date) -> str:
    years = {ctx.facts.first.year, ctx.facts.last.year} if ctx.facts.first and ctx.facts.last else {ctx.today.year}
    return short(day) if day.year in years else f"{short(day)}, {day.year}"


def _written(m: re.Match[str], ctx: Context, month: int, day: int, year: int | None) -> Hit | None:
    found = term_date(ctx.facts, month, day, year, ctx.today.year)
    return hit(m, "date", "day", found, found, _date_label(ctx, found)) if found else None


def month_day(m: re.Match[str], ctx: Context) -> Hit | None:
    return _written(m, ctx, month_number(m["mon"]), int(m["day"]), int(m["year"]) if m["year"] else None)


def day_month(m: re.Match[str], ctx: Context) -> Hit | None:
    if word_before(ctx, m.start()) in g.NUMBERED_NOUNS:
        return None
    if m["mon"].startswith(("may", "mar")) and not (m["suf"] or m["of"]):
        return None  # "homework 10 may be late"
    return _written(m, ctx, month_number(m["mon"]), int(m["day"]), int(m["year"]) if m["year"] else None)


def numeric(m: re.Match[str], ctx: Context) -> Hit | None:
    """10/15, 10-15, 10/15/2020 (month first; 15/10 when the first number cannot be a month)."""
    if word_before(ctx, m.start()) in g.NUMBERED_NOUNS:
        return None
    month, day = int(m["m"]), int(m["d"])
    if month > 12 >= day:
        month, day = day, month
    year = int(m["year"]) + (2000 if len(m["year"]) == 2 else 0) if m["year"] else None
    found = _written(m, ctx, month, day, year)
    if found and found.first and year is None and ctx.facts.distance(found.first) > 45:
        return None  # "teams of 2-3", "1/2 of the grade": bare numbers far from the term are no date
    return found


def iso(m: re.Match[str], ctx: Context) -> Hit | None:
    return _written(m, ctx, int(m["m"]), int(m["d"]), int(m["year"]))


def weekday_nth(m: re.Match[str], ctx: Context) -> Hit | None:
    """ "thursday the 12th": the term's 12th that is a Thursday, the one nearest today."""
    if not (m["the"] or m["suf"]) or ctx.facts.first is None or ctx.facts.last is None:
        return None
    wd, first, last = weekday_number(m["wd"]), ctx.facts.first, ctx.facts.last
    months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
    days = [d for i in months if (d := safe_date(i // 12, i % 12 + 1, int(m["d"]))) and d.weekday() == wd]
    found = nearest(days, ctx.today)
    return hit(m, "date", "day", found, found, _date_label(ctx, found)) if found else None


def the_nth(m: re.Match[str], ctx: Context) -> Hit | None:
    """ "due the 12th?": the coming 12th (this month's, else next month's)."""
    today = ctx.today
    options = (safe_date(*shift_month(today.year, today.month, k), int(m["d"])) for k in range(3))
    found = next((d for d in options if d and d >= today), None)
    return hit(m, "date", "day", found, found, _date_label(ctx, found)) if found else None


def month_day_range(m: re.Match[str], ctx: Context) -> Hit | None:
    """oct 1 - 15, oct 1 to 15, between oct 10 and 31."""
    if m["to"] == "and" and not m["between"]:
        return None
    start = term_date(ctx.facts, month_number(m["mon"]), int(m["a"]), None, ctx.today.year)
    end = safe_date(start.year, start.month, int(m["b"])) if start else None
    return hit(m, "range", "day", start, end, f"{short(start)} – {short(end)}") if start and end else None


def _month_year(ctx: Context, month: int, year: str | None) -> int:
    found = term_date(ctx.facts, month, 15, int(year) if year else None, ctx.today.year)
    return found.year if found else ctx.today.year


def month_alone(m: re.Match[str], ctx: Context) -> Hit | None:
    """in november, during october, november: the whole month."""
    word = m["mon"]
    full = word in g.FULL_MONTHS and word != "may"
    if not (m["pre"] or full or word_before(ctx, m.start()) in g.MONTH_CONTEXT or _month_by_noun(ctx, m)):
        return None
    month = month_number(word)
    year = _month_year(ctx, month, m["year"])
    if not 1 <= year <= 9999:
        return None
    first, last = month_span(year, month)
    return hit(m, "month", "month", first, last, f"in {g.MONTH_NAMES[month - 1]}")


def month_part(m: re.Match[str], ctx: Context) -> Hit | None:
    """early november (1-10), mid october (11-20), late october / the end of october (the last 10 days)."""
    month = month_number(m["mon"])
    first, last = month_span(_month_year(ctx, month, None), month)
    part = next(w for w in m["part"].split() if w not in ("the", "of"))
    days = {"early": (0, 9), "beginning": (0, 9), "start": (0, 9), "mid": (10, 19), "middle": (10, 19)}
    low, high = days.get(part, ((last - first).days - 9, (last - first).days))
    name = g.MONTH_NAMES[month - 1]
    label = {"early": f"early {name}", "mid": f"mid-{name}", "late": f"late {name}"}.get(part, f"the {part} of {name}")
    return hit(m, "month", "month", plus(first, low), plus(first, high), label)


def relative_month(m: re.Match[str], ctx: Context) -> Hit | None:
    mod = m["mod"].split()[-1]
    shift = {"next": 1, "following": 1, "coming": 1, "last": -1, "previous": -1}.get(mod, 0)
    year, month = shift_month(ctx.today.year, ctx.today.month, shift)
    first, last = month_span(year, month) if 1 <= year <= 9999 else (None, None)
    return hit(m, "month", "month", first, last, {1: "next month", -1: "last month"}.get(shift, "this month"))


def recurring(m: re.Match[str], ctx: Context) -> Hit | None:
    """thursdays, on a thursday, every tuesday: a weekday, no particular date."""
    number = weekday_number(m["wd"])
    return Hit(m.start(), m.end(), "recurring", "weekday", None, None, f"on {g.WEEKDAY_NAMES[number]}s",
               frozenset({number}))


def weekday_one(m: re.Match[str], ctx: Context) -> Hit | None:
    """thursday / this thursday (the coming one, today included), next tuesday (the first one after
    today: tomorrow when said on a Monday, a week on when said on a Tuesday), last friday (the one before)."""
    word, mod = m["wd"], " ".join((m["mod"] or "").split())
    ambiguous = word in g.AMBIGUOUS_WEEKDAYS and not g.DATE_FOLLOWS.match(ctx.text, m.end())
    if not mod and ambiguous and word_before(ctx, m.start()) not in g.WEEKDAY_CONTEXT:
        return None
    number, today = weekday_number(word), ctx.today
    ahead = (number - today.weekday()) % 7
    if mod == "next":
        offset, prefix = ahead or 7, "next "
    elif mod in ("last", "previous", "past", "this past"):
        offset, prefix = -((today.weekday() - number) % 7 or 7), "last "
    else:
        offset, prefix = ahead, ""
    day = plus(today, offset)
    return hit(m, "weekday", "day", day, day, prefix + g.WEEKDAY_NAMES[number])


def _course_week(m: re.Match[str], ctx: Context, n: int | None, label: str) -> Hit | None:
    span = course_week(ctx.facts, n) if n is not None else None
    return hit(m, "week", "week", *span, label) if span else None


def week_number(m: re.Match[str], ctx: Context) -> Hit | None:
    """week 5, week # 5, week five."""
    n = count(m["n"])
    return _course_week(m, ctx, n, f"week {n}")


def week_ordinal(m: re.Match[str], ctx: Context) -> Hit | None:
    """the fifth week, 5th week, the second week of the term."""
    n = ordinal(m["n"])
    return _course_week(m, ctx, n, f"week {n}")


def week_last(m: re.Match[str], ctx: Context) -> Hit | None:
    """the last week of the term / of classes, the final week."""
    n = last_week_number(ctx.facts)
    return _course_week(m, ctx, n, f"the last week (week {n})")


def week_range(m: re.Match[str], ctx: Context) -> Hit | None:
    """weeks 3 - 5, weeks 3 to 5, between weeks 2 and 4."""
    a, b = int(m["a"]), int(m["b"])
    if m["to"] == "and" and not (m["between"] or (m["plural"] and b == a + 1)):
        return None
    low, high = course_week(ctx.facts, a), course_week(ctx.facts, b)
    return hit(m, "range", "week", low[0], high[1], f"weeks {a}–{b}") if low and high and a <= b else None


def first_weeks(m: re.Match[str], ctx: Context) -> Hit | None:
    """the first 3 weeks (weeks 1-3), the last 2 weeks of the term (the last two course weeks)."""
    n, last = count(m["n"] or m["k"]), last_week_number(ctx.facts)
    if not n or last is None:
        return None
    a, b = (1, n) if m["first"] else (max(last - n + 1, 1), last)
    low, high = course_week(ctx.facts, a), course_week(ctx.facts, b)
    return hit(m, "range", "week", low[0], high[1], f"weeks {a}–{b}") if low and high else None


def week_of_month(m: re.Match[str], ctx: Context) -> Hit | None:
    """the first week of november (Nov 1-7), the last week of october (its last seven days)."""
    n = -1 if m["n"] in ("last", "final") else ordinal(m["n"])
    month = month_number(m["mon"])
    span = month_week(_month_year(ctx, month, None), month, n) if n else None
    word = "last" if n == -1 else m["n"]
    return hit(m, "week", "week", *span, f"the {word} week of {g.MONTH_NAMES[month - 1]}") if span else None
