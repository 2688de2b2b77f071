"""Run a Query over the course: a pure function of (query, tables, now).

Filters narrow the target's rows; the operation computes the fact (a count, a total, the
extreme, the nth, the next one, a comparison, yes or no, days left). The Result keeps the
rows that support the fact, so the renderer never lists rows that were not asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bot.answer.query import Anchor, Query
from bot.answer.rows import Row, Tables
from bot.answer.understand.times import Days


@dataclass(frozen=True)
class Result:
    query: Query
    rows: tuple[Row, ...]  # the rows the fact is about, in the order to state them
    value: float | bool | Row | None = None  # count or total, yes/no, days left, or the compared winner
    pool: tuple[Row, ...] = ()  # the filtered rows the operation chose from
    after: tuple[Row, ...] = ()  # for an empty day range: what comes next
    outside_term: str = ""  # "before" / "after" when the days asked fall outside the term


def execute(query: Query, tables: Tables, now: dt.datetime) -> Result:
    course = tables.course
    rows = _filter(query, tables[query.target], tables, now)
    edge = _outside_term(query, tables)
    operation = _OPERATIONS[query.operation]
    result = operation(query, rows, now.astimezone(course.tz), tables)
    result = replace(result, pool=tuple(rows), outside_term=edge)
    if not result.rows and query.days and query.operation in ("list", "exists", "lookup"):
        later = [r for r in tables[query.target] if r.day and r.day > query.days.end and not r.no_class]
        result = replace(result, after=tuple(_same_day(later)))
    return result


# --- filters -------------------------------------------------------------------------------

def _filter(query: Query, rows: Sequence[Row], tables: Tables, now: dt.datetime) -> list[Row]:
    out = list(rows)
    if query.refs is not None:
        wanted = set(query.refs)
        out = [r for r in out if r.id in wanted or r.person in wanted]
    weekdays = set(query.weekdays)
    if query.days:
        weekly = [r for r in out if r.weekdays and r.day is None]
        if weekly:  # office hours and class meetings repeat every week: a day range means its weekdays
            weekdays |= _weekdays_in(query.days)
        else:
            out = [r for r in out if _within(r, query.days, tables.weeks)]
    if weekdays:
        out = [r for r in out if _on_weekdays(r, frozenset(weekdays))]
    if query.anchor:
        out = _relative_to(out, query.anchor)
    if query.upcoming:
        out = [r for r in out if (m := r.moment(tables.course)) is not None and m >= now]
    return out


def _weekdays_in(days: Days) -> set[int]:
    span = (days.end - days.start).days + 1
    return set(range(7)) if span >= 7 else {(days.start + dt.timedelta(n)).weekday() for n in range(span)}


def _within(row: Row, days: Days, weeks: dict[int, tuple[dt.date, dt.date]]) -> bool:
    if row.day is None:  # a week-level item: inside if its week's classes are
        span = weeks.get(row.week) if row.week is not None else None
        return span is not None and span[0] <= days.end and span[1] >= days.start
    start = row.opens or row.day
    return start <= days.end and row.day >= days.start


def _on_weekdays(row: Row, weekdays: frozenset[int]) -> bool:
    if row.weekdays:
        return bool(set(row.weekdays) & weekdays)
    return row.day is not None and row.day.weekday() in weekdays


def _relative_to(rows: list[Row], anchor: Anchor) -> list[Row]:
    first, last = min(anchor.days), max(anchor.days)
    keep = [r for r in rows if r.day and r.id not in anchor.refs and _related(r.day, first, last, anchor.relation)]
    return keep


def _related(day: dt.date, first: dt.date, last: dt.date, relation: str) -> bool:
    monday = first - dt.timedelta(days=first.weekday())
    if relation == "before":
        return day < first
    if relation == "after":
        return day > last
    if relation == "same_day":
        return first <= day <= last
    if relation == "same_week":
        return monday <= day <= monday + dt.timedelta(days=6)
    if relation == "week_after":
        return monday + dt.timedelta(days=7) <= day <= monday + dt.timedelta(days=13)
    if relation == "week_before":
        return monday - dt.timedelta(days=7) <= day <= monday - dt.timedelta(days=1)
    if relation == "day_before":
        return day == first - dt.timedelta(days=1)
    if relation == "day_after":
        return day == last + dt.timedelta(days=1)
    return False


def _outside_term(query: Query, tables: Tables) -> str:
    course = tables.course
    if not query.days or not course.dated_sessions:
        return ""
    if query.days.end < course.first_day:
        return "before"
    if query.days.start > course.last_day:
        return "after"
    return ""


# --- operations ------------------------------------------------------------------------------

Operation = Callable[[Query, list[Row], dt.datetime, Tables], Result]


def _list(query: Query, rows: list[Row], now: dt.datetime, tables: Tables) -> Result:
    return Result(query, tuple(_ordered(rows)))


def _count(query: Query, rows: list[Row], now: dt.datetime, tables: Tables) -> Result:
    counted = [r for r in rows if not r.no_class]
    return Result(query, tuple(_ordered(counted)), value=len(counted))


def _sum(query: Query, rows: list[Row], now: dt.datetime, tables: Tables) -> Result:
    scored = [r for r in rows if r.points is not None]
    return Result(query, tuple(_ordered(scored)), value=sum(r.points or 0.0 for r in scored))


def _extreme(sign: int) -> Operation:
    def run(query: Query, rows: list[Row], now: dt.datetime, tables: Tables) -> Result:
        if query.projection[:1] == ("date",) or not any(r.points is not None for r in rows):
            dated = _ordered([r for r in rows if r.day])
            pick = dated[-1:] if sign > 0 else dated[:1]
            return Result(query, tuple(pick))
        scored = [r for r in rows if r.points is not None]
        best = max(r.points or 0.0 for r in scored) if sign > 0 else min(r.points or 0.0 for r in scored)
        return Result(query, tuple(_ordered([r for r in scored if r.points == best])), value=best)
    return run


def _nth(query: Query, rows: list[Row], now: dt.datetime, tables: Tables) -> Result:
    ordered = [r for r in _ordered(rows) if not r.no_class]
    n = query.nth or 1
    if not ordered or n > len(ordered) or -n > len(ordered):
        return Result(query, ())
    return Result(query, (ordered[n - 1] if n > 0 else ordered[n],))


def _next(query: Query, rows: list[Row], now: dt.datetime, tables: Tables) -> Result:
    course = tables.course
    if query.anchor:
        later = _ordered(rows)
    else:
        later = [r for r in _ordered(rows) if (m := r.moment(course)) is not None and m >= now]
    later = [r for r in later if not r.no_class]
    return Result(query, tuple(_same_day(later)))


def _previous(query: Query, rows: list[Row], now: dt.datetime, tables: Tables) -> Result:
    course = tables.course
    if query.anchor:
        earlier = _ordered(rows)
    else:
        earlier = [r for r in _ordered(rows) if (m := r.moment(course)) is not None and m < now]
    earlier = [r for r in earlier if not r.no_class]
    if not earlier:
        return Result(query, ())
    day = earlier[-1].day
    return Result(query, tuple(r for r in earlier if r.day == day))


def _compare(query: Query, rows: list[Row], now: dt.datetime, tables: Tables) -> Result:
    if not query.pair and query.versus and rows:  # "is the project meeting before or after thanksgiving"
        return Result(query, tuple(_ordered(rows))[:1])
    if not query.pair:
        return Result(query, tuple(_ordered(rows)))
    by_id = {r.id: r for r in tables[query.target]}
    left = [by_id[i] for i in query.pair[0] if i in by_id]
    right = [by_id[i] for i in query.pair[1] if i in by_id]
    if not left or not right:
        return Result(query, ())
    a, b = left[0], right[0]
    if query.projection[:1] == ("points",):
        winner = None if a.points == b.points else (a if (a.points or 0) > (b.points or 0) else b)
    else:
        winner = None if a.day == b.day else (a if (a.day or dt.date.max) < (b.day or dt.date.max) else b)
    return Result(query, (a, b), value=winner)


def _exists(query: Query, rows: list[Row], now: dt.datetime, tables: Tables) -> Result:
    real = [r for r in rows if not r.no_class]
    return Result(query, tuple(_ordered(rows)), value=bool(real))


def _countdown(query: Query, rows: list[Row], now: dt.datetime, tables: Tables) -> Result:
    upcoming = [r for r in _ordered(rows) if r.day and r.day >= now.date()]
    chosen = upcoming[:1] or _ordered(rows)[-1:]
    if not chosen or chosen[0].day is None:
        return Result(query, ())
    return Result(query, tuple(chosen), value=(chosen[0].day - now.date()).days)


_OPERATIONS: dict[str, Operation] = {
    "lookup": _list, "list": _list, "count": _count, "sum": _sum, "max": _extreme(1), "min": _extreme(-1),
    "nth": _nth, "next": _next, "previous": _previous, "compare": _compare, "exists": _exists,
    "countdown": _countdown,
}


# --- helpers ---------------------------------------------------------------------------------

def _ordered(rows: Sequence[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r.day or dt.date.max, r.weekdays[:1] or (9,), r.time or dt.time.max))


def _same_day(rows: Sequence[Row]) -> list[Row]:
    """The first row and any others on its day (deliverables due together)."""
    if not rows:
        return []
    return [r for r in rows if r.day == rows[0].day]
