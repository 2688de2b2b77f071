"""Time expressions in a question, resolved to days of the course calendar.

Pure: a function of (normalised text, now, course). Nothing here reads the clock.

Every pattern of the time grammar (``_grammar``) proposes hits; where hits overlap the
longest wins. Neighbours are then joined: a weekday and its date ("tue oct 20"), a list of
weekdays ("tuesdays and thursdays"), "the week of <day>", ranges ("from oct 1 to oct 15",
"between week 2 and week 4"); last, a relation word just before a mention is taken into it
("before oct 10", "by friday", "since monday", "on oct 8").

Choices:
- "thursday" / "this thursday": the coming one, today included. "next tuesday": the first
  Tuesday after today (said on a Monday, tomorrow; said on a Tuesday, a week later).
  "last friday": the Friday before today.
- "next week" / "the coming week": the next Monday-to-Sunday week; "the next 3 days",
  "coming two weeks": today .. today+N. "last week" is the previous calendar week, "the
  past week" the last seven days and today.
- A date without a year takes the term's year; a term crossing New Year gives it the year
  that puts it in (or nearest) the term. "before X" keeps X's days: the planner makes the range.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal, cast

from bot.answer.understand import _grammar as g
from bot.answer.understand import _relative as rel
from bot.answer.understand import _rules as r
from bot.answer.understand._calendar import facts
from bot.answer.understand._dates import plus, safe_date, week_of
from bot.answer.understand._rules import Context, Hit
from bot.knowledge import Course

Relation = Literal["on", "before", "after", "until", "since"]
Grain = Literal["day", "week", "month", "term", "weekday", "moment"]


@dataclass(frozen=True)
class Days:
    """An inclusive range of calendar days, with how to say it in an answer."""

    start: dt.date
    end: dt.date
    label: str  # "tomorrow", "in November", "Oct 10 – Oct 31", "week 5", "before Thanksgiving"


@dataclass(frozen=True)
class TimeMention:
    start: int  # character span in the text
    end: int
    text: str
    grain: Grain
    relation: Relation = "on"
    days: Days | None = None  # None for a recurring weekday with no particular date ("on thursdays")
    weekdays: frozenset[int] = frozenset()  # 0 = Monday; set for "thursdays", "on a tuesday"


RULES: tuple[tuple[re.Pattern[str], r.Resolver], ...] = (
    (g.MONTH_DAY, r.month_day), (g.DAY_MONTH, r.day_month), (g.NUMERIC, r.numeric), (g.ISO, r.iso),
    (g.WEEKDAY_NTH, r.weekday_nth), (g.THE_NTH, r.the_nth), (g.MONTH_DAY_RANGE, r.month_day_range),
    (g.MONTH_ALONE, r.month_alone), (g.MONTH_PART, r.month_part), (g.RELATIVE_MONTH, r.relative_month),
    (g.EVERY_WEEKDAY, r.recurring), (g.ON_A_WEEKDAY, r.recurring), (g.WEEKDAYS_PLURAL, r.recurring),
    (g.WEEKDAY_ONE, r.weekday_one),
    (g.WEEK_NUMBER, r.week_number), (g.WEEK_ORDINAL, r.week_ordinal), (g.WEEK_LAST, r.week_last),
    (g.WEEK_RANGE, r.week_range), (g.FIRST_WEEKS, r.first_weeks), (g.MONTH_WEEK, r.week_of_month),
    (g.RELATIVE_WEEK, rel.relative_week), (g.WEEK_AFTER, rel.week_after),
    (g.DAY_WORD, rel.day_word), (g.IN_COUNT, rel.in_count), (g.COUNT_AGO, rel.count_ago), (g.WINDOW, rel.window),
    (g.PAST_WEEK, rel.past_week), (g.NOW, rel.now), (g.SO_FAR, rel.so_far), (g.FROM_NOW_ON, rel.from_now_on),
    (g.REST_OF_TERM, rel.rest_of_term), (g.WHOLE_TERM, rel.whole_term), (g.TERM_EDGE, rel.term_edge),
    (g.CLASS_EDGE, rel.class_edge), (g.FINALS_WEEK, rel.finals_week), (g.THE_BREAK, rel.the_break),
)
_ENDPOINTS = frozenset({"date", "weekday", "week", "month", "relative", "moment", "holiday", "edge"})
_SAID = {"before": "before", "after": "after", "until": "by", "since": "from"}


def find_times(text: str, now: dt.datetime, course: Course) -> list[TimeMention]:
    """Every time expression in ``text``, in order of appearance, non-overlapping."""
    ctx = Context(text, _today(now, course), facts(course))
    hits = _choose(_candidates(ctx), len(text))
    hits = _join(_join(hits, ctx, _weekday_date), ctx, _weekday_list)
    hits = _join(_prefixed(hits, ctx, _week_of), ctx, _range)
    hits = _prefixed(_join(hits, ctx, _weekday_offset), ctx, _unit_offset)
    return [_mention(h, text) for h in _prefixed(hits, ctx, _related)]


def _today(now: dt.datetime, course: Course) -> dt.date:
    """Today in the course's time zone (a naive ``now`` is taken to be course time)."""
    aware = now if now.tzinfo is not None else now.replace(tzinfo=course.tz)
    return aware.astimezone(course.tz).date()


def _candidates(ctx: Context) -> list[Hit]:
    found = [h for pattern, resolve in RULES for m in pattern.finditer(ctx.text) if (h := resolve(m, ctx))]
    return found + rel.holidays(ctx)


def _choose(hits: list[Hit], size: int) -> list[Hit]:
    """Non-overlapping hits, the longest first (then the earliest), in text order."""
    taken, chosen = bytearray(size), []
    for h in sorted(hits, key=lambda h: (h.start - h.end, h.start)):
        if taken.find(1, h.start, h.end) == -1:
            taken[h.start:h.end] = b"\x01" * (h.end - h.start)
            chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)


Merge = Callable[[Hit, Hit, Context, int], Hit | None]


def _join(hits: list[Hit], ctx: Context, merge: Merge) -> list[Hit]:
    """Merge each hit into the one before it where ``merge`` says they are one expression."""
    out: list[Hit] = []
    for h in hits:
        joined = merge(out[-1], h, ctx, out[-2].end if len(out) > 1 else 0) if out else None
        if joined:
            out[-1] = joined
        else:
            out.append(h)
    return out


def _prefixed(hits: list[Hit], ctx: Context, extend: Callable[[Hit, Context, int], Hit]) -> list[Hit]:
    """Let each hit take words before it, never reaching into the hit before."""
    return [extend(h, ctx, hits[i - 1].end if i else 0) for i, h in enumerate(hits)]


def _weekday_date(a: Hit, b: Hit, ctx: Context, floor: int) -> Hit | None:
    """ "tue oct 20", "friday, 10 / 16": the date, spoken with its weekday."""
    if a.kind == "weekday" and b.kind == "date" and g.DATE_AFTER_WEEKDAY.fullmatch(ctx.text, a.end, b.start):
        return replace(b, start=a.start)
    return None


def _weekday_list(a: Hit, b: Hit, ctx: Context, floor: int) -> Hit | None:
    """ "tuesdays and thursdays", "every monday and wednesday": one recurring mention."""
    if a.kind != "recurring" or b.kind not in ("recurring", "weekday"):
        return None
    if not g.LIST_GAP.fullmatch(ctx.text, a.end, b.start):
        return None
    days = a.weekdays | b.weekdays | ({b.first.weekday()} if b.first else set())
    names = " and ".join(g.WEEKDAY_NAMES[d] + "s" for d in sorted(days))
    return Hit(a.start, b.end, "recurring", "weekday", None, None, f"on {names}", days)


def _week_of(h: Hit, ctx: Context, floor: int) -> Hit:
    """ "the week of oct 12", "the week of thanksgiving": that Monday-to-Sunday week."""
    prefix = g.WEEK_OF.search(ctx.text, max(floor, h.start - 16), h.start)
    if not prefix or h.first is None or h.kind not in ("date", "holiday", "weekday", "relative"):
        return h
    first, last = week_of(h.first)
    return Hit(prefix.start(), h.end, "week", "week", first, last, f"the week of {h.label}")


def _range(a: Hit, b: Hit, ctx: Context, floor: int) -> Hit | None:
    """ "oct 1 through nov 3", "from monday to friday", "between week 2 and week 4"."""
    if a.kind not in _ENDPOINTS or b.kind not in _ENDPOINTS or not (a.first and b.last):
        return None
    opener = g.RANGE_OPENER.search(ctx.text, max(floor, a.start - 10), a.start)
    between = opener is not None and opener["word"] == "between"
    gap = (a.end, b.start)
    if not (g.RANGE_GAP.fullmatch(ctx.text, *gap) or between and g.AND_GAP.fullmatch(ctx.text, *gap)):
        return None
    last = b.last if b.last >= a.first else _later(b, a.first)
    if last is None:
        return None
    grain = a.grain if a.grain == b.grain else "day"
    return Hit(opener.start() if opener else a.start, b.end, "range", grain, a.first, last, _range_label(a, b))


def _later(b: Hit, after: dt.date) -> dt.date | None:
    """The end of a range written before its start: a date in the next year, a weekday the next week."""
    if b.kind == "date" and b.last:
        day = safe_date(b.last.year + 1, b.last.month, b.last.day)
    elif b.kind == "weekday" and b.last:
        day = plus(b.last, 7)
    else:
        return None
    return day if day and day >= after else None


def _range_label(a: Hit, b: Hit) -> str:
    weeks = [re.fullmatch(r"week (\d+)", h.label) for h in (a, b)]
    if weeks[0] and weeks[1]:
        return f"weeks {weeks[0][1]}–{weeks[1][1]}"
    return f"{a.label.removeprefix('in ')} – {b.label.removeprefix('in ')}"


def _weekday_offset(a: Hit, b: Hit, ctx: Context, floor: int) -> Hit | None:
    """ "the tuesday before thanksgiving", "the monday after week 5": that weekday just before / after."""
    gap = g.OFFSET_GAP.fullmatch(ctx.text, a.end, b.start)
    the = g.THE_BEFORE.search(ctx.text, max(floor, a.start - 8), a.start)
    if not (gap and the and a.first and a.label in g.WEEKDAY_NAMES and b.kind in _ENDPOINTS and b.first and b.last):
        return None
    weekday = a.first.weekday()
    if gap["dir"] == "before":
        day = plus(b.first, -((b.first.weekday() - weekday) % 7 or 7))
    else:
        day = plus(b.last, (weekday - b.last.weekday()) % 7 or 7)
    return Hit(the.start(), b.end, "date", "day", day, day, f"the {a.label} {gap['dir']} {b.label}") if day else None


def _unit_offset(h: Hit, ctx: Context, floor: int) -> Hit:
    """ "the day before thanksgiving" (one day), "the week after week 5" (the Monday week after)."""
    found = g.UNIT_OFFSET.search(ctx.text, max(floor, h.start - 24), h.start)
    if not found or h.kind not in _ENDPOINTS or not (h.first and h.last):
        return h
    after, label = found["dir"] == "after", f"the {found['unit']} {found['dir']} {h.label}"
    if found["unit"] == "day":
        day = plus(h.last, 1) if after else plus(h.first, -1)
        return Hit(found.start(), h.end, "date", "day", day, day, label) if day else h
    anchor = plus(h.last, 7) if after else plus(h.first, -7)
    return Hit(found.start(), h.end, "week", "week", *week_of(anchor), label) if anchor else h


def _related(h: Hit, ctx: Context, floor: int) -> Hit:
    """Take a relation word before the hit into it: before, after, by/until, since/from, on."""
    found = g.RELATION.search(ctx.text, max(floor, h.start - 24), h.start) if h.kind != "recurring" else None
    if not found:
        return h
    relation = next(k for k in ("before", "after", "until", "since", "on") if found[k])
    if relation == "on" or h.kind == "range" and found["since"] == "from":
        return replace(h, start=found.start())  # "on oct 8", "from oct 1 - 15": the days themselves
    said = "since" if found["since"] == "since" else _SAID[relation]
    return replace(h, start=found.start(), relation=relation, label=f"{said} {h.label}")


def _mention(h: Hit, text: str) -> TimeMention:
    days = Days(h.first, h.last, h.label) if h.first and h.last else None
    return TimeMention(h.start, h.end, text[h.start:h.end], cast(Grain, h.grain), cast(Relation, h.relation),
                       days, h.weekdays)
