"""Resolvers for times relative to now and to the term: today, in 3 days, this week, so far,
the rest of the quarter, the end of the term, finals week, and the calendar's own holidays."""

from __future__ import annotations

import datetime as dt
import re

from bot.answer.understand import _grammar as g
from bot.answer.understand._calendar import Holiday, closest_word, holidays_named
from bot.answer.understand._dates import count, day_label, monday_of, plus, week_of
from bot.answer.understand._rules import Context, Hit, hit, said

_DAY_NAMES = {0: "today", 1: "tomorrow", -1: "yesterday", 2: "the day after tomorrow", -2: "the day before yesterday"}
_WEEK_SHIFT = {"this": 0, "current": 0, "the": 0, "over the": 0, "next": 1, "following": 1, "upcoming": 1,
               "coming": 1, "last": -1, "previous": -1, "prior": -1, "past": -1}


def _days(m: re.Match[str]) -> int | None:
    n = count(m["n"])
    return None if n is None else n * (7 if m["unit"] == "week" else 1)


def day_word(m: re.Match[str], ctx: Context) -> Hit | None:
    """today, tonight, this morning, tomorrow, yesterday, the day after tomorrow."""
    offset = {"tomorrow": 1, "yesterday": -1}.get(m["word"] or "", 0)
    offset += {"after": 1, "before": -1}.get(m["dir"] or "", 0)
    label = "tonight" if m["word"] == "tonight" and not m["dir"] else _DAY_NAMES[offset]
    day = plus(ctx.today, offset)
    return hit(m, "relative", "day", day, day, label)


def in_count(m: re.Match[str], ctx: Context) -> Hit | None:
    """in 3 days (that day); within 3 days / in the next 3 days (today .. today+3)."""
    days = _days(m)
    if days is None:
        return None
    if m["pre"] == "in":
        return hit(m, "relative", "day", plus(ctx.today, days), plus(ctx.today, days), " ".join(m[0].split()))
    return hit(m, "window", "day", ctx.today, plus(ctx.today, days), said(m))


def count_ago(m: re.Match[str], ctx: Context) -> Hit | None:
    """3 days ago, 2 weeks from now."""
    days = _days(m)
    day = plus(ctx.today, days if m["dir"] != "ago" else -days) if days is not None else None
    return hit(m, "relative", "day", day, day, " ".join(m[0].split()))


def window(m: re.Match[str], ctx: Context) -> Hit | None:
    """the next 3 days, coming two weeks (today .. today+N); the past 10 days (today-N .. today)."""
    days = _days(m)
    if days is None:
        return None
    if m["mod"] in ("past", "last", "previous"):
        return hit(m, "window", "day", plus(ctx.today, -days), ctx.today, said(m))
    return hit(m, "window", "day", ctx.today, plus(ctx.today, days), said(m))


def past_week(m: re.Match[str], ctx: Context) -> Hit | None:
    """the past week, in the last week: the last seven days and today ("last week" is the calendar week)."""
    return hit(m, "window", "day", plus(ctx.today, -7), ctx.today, said(m))


def relative_week(m: re.Match[str], ctx: Context) -> Hit | None:
    """this / next / last week (Monday to Sunday), this / next / last weekend."""
    mod = " ".join(m["mod"].split())
    mod = mod if mod in ("the", "over the") else mod.removeprefix("the ")
    if mod in ("the", "over the", "past") and not m["end"]:
        return None  # "the week" alone; "the past week" is the last seven days (past_week)
    shift = _WEEK_SHIFT[mod]
    monday = plus(monday_of(ctx.today), 7 * shift)
    word = {0: "this", 1: "next", -1: "last"}[shift]
    if m["end"]:
        return hit(m, "week", "week", plus(monday, 5), plus(monday, 6), f"{word} weekend") if monday else None
    return hit(m, "week", "week", monday, plus(monday, 6), f"{word} week") if monday else None


def week_after(m: re.Match[str], ctx: Context) -> Hit | None:
    """the week after next, the week before last."""
    shift = 2 if m["dir"].startswith("after") else -2
    monday = plus(monday_of(ctx.today), 7 * shift)
    return hit(m, "week", "week", monday, plus(monday, 6), f"the week {' '.join(m['dir'].split())}") if monday else None


def now(m: re.Match[str], ctx: Context) -> Hit | None:
    return hit(m, "moment", "moment", ctx.today, ctx.today, "now")


def _in_term(ctx: Context, day: dt.date) -> dt.date:
    first, last = ctx.facts.first, ctx.facts.last
    return min(max(day, first), last) if first and last else day


def so_far(m: re.Match[str], ctx: Context) -> Hit | None:
    """so far, until now, to date: from the first day of the term to today."""
    return hit(m, "window", "term", ctx.facts.first, _in_term(ctx, ctx.today), "so far")


def from_now_on(m: re.Match[str], ctx: Context) -> Hit | None:
    return hit(m, "window", "term", _in_term(ctx, ctx.today), ctx.facts.last, "from now on")


def rest_of_term(m: re.Match[str], ctx: Context) -> Hit | None:
    return hit(m, "window", "term", _in_term(ctx, ctx.today), ctx.facts.last, f"the rest of the {m['term']}")


def whole_term(m: re.Match[str], ctx: Context) -> Hit | None:
    return hit(m, "window", "term", ctx.facts.first, ctx.facts.last, f"this {m['term']}")


def term_edge(m: re.Match[str], ctx: Context) -> Hit | None:
    """the end of the term (its last dated day), the start of the quarter (its first)."""
    edge = "end" if m["edge"] in ("end", "close") else "start"
    day = ctx.facts.last if edge == "end" else ctx.facts.first
    return hit(m, "edge", "term", day, day, f"the {edge} of the {m['term']}")


def class_edge(m: re.Match[str], ctx: Context) -> Hit | None:
    """the first day of class (the first session that meets), the last day of the semester."""
    meets = m["what"] in ("class", "classes", "lecture", "lectures", "instruction")
    first = m["which"] in ("first", "1st")
    if meets:
        day = ctx.facts.first_class if first else ctx.facts.last_class
    else:
        day = ctx.facts.first if first else ctx.facts.last
    return hit(m, "edge", "term", day, day, f"the {'first' if first else 'last'} day of {m['what']}")


def finals_week(m: re.Match[str], ctx: Context) -> Hit | None:
    """finals week, when the calendar names it."""
    span = ctx.facts.finals
    return hit(m, "edge", "week", *span, "finals week") if span else None


def the_break(m: re.Match[str], ctx: Context) -> Hit | None:
    """the holiday / the break: the calendar's only one, else the next one (else the last one)."""
    breaks = ctx.facts.holidays
    coming = [h for h in breaks if h.day >= ctx.today] or breaks[-1:]
    chosen = [h for h in breaks if coming and h.name == coming[0].name]
    return _holiday_hit(m.start(), m.end(), ctx, chosen)


def holidays(ctx: Context) -> list[Hit]:
    """Every mention of a day off by a name the calendar uses ("thanksgiving", "thanksgiving break")."""
    facts, found = ctx.facts, []
    if facts.phrases:
        found += [(m.start(), m.end(), m[0]) for m in facts.phrases.finditer(ctx.text)]
    if facts.vocabulary:
        for m in g.WORD.finditer(ctx.text):
            word = closest_word(m[0], facts.vocabulary) if len(m[0]) >= 4 else None
            found += [(m.start(), m.end(), word)] if word else []
    hits = (_named(ctx, start, end, " ".join(name.split())) for start, end, name in found)
    return [h for h in hits if h]


def _named(ctx: Context, start: int, end: int, name: str) -> Hit | None:
    """The named day off, with "the" before it and "break" / "holiday" / "week" after it."""
    named = holidays_named(ctx.facts, name)
    the = g.THE_BEFORE.search(ctx.text, max(0, start - 8), start)
    suffix = g.BREAK_SUFFIX.match(ctx.text, end)
    start, end = the.start() if the else start, suffix.end() if suffix else end
    if suffix and suffix["what"] == "week" and named:
        first, last = week_of(_cluster(named, ctx.today)[0])
        return Hit(start, end, "holiday", "week", first, last, f"{named[0].name} week")
    return _holiday_hit(start, end, ctx, named)


def _holiday_hit(start: int, end: int, ctx: Context, named: list[Holiday]) -> Hit | None:
    """Said with the calendar's name for it and its days: "Thanksgiving (Thu, Nov 26)"."""
    if not named:
        return None
    first, last = _cluster(named, ctx.today)
    days = day_label(first) if first == last else f"{day_label(first)} – {day_label(last)}"
    return Hit(start, end, "holiday", "day", first, last, f"{named[0].name} ({days})")


def _cluster(named: list[Holiday], today: dt.date) -> tuple[dt.date, dt.date]:
    """The run of named days off (a gap of at most 4 days) holding the next one, else the last run."""
    days = sorted(h.day for h in named)
    runs: list[list[dt.date]] = [[days[0]]]
    for day in days[1:]:
        if (day - runs[-1][-1]).days <= 4:
            runs[-1].append(day)
        else:
            runs.append([day])
    run = next((r for r in runs if r[-1] >= today), runs[-1])
    return run[0], run[-1]
