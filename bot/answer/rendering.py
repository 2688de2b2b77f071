"""Render a Result: the computed fact first, then the rows that support it, then sources.

Never lists rows that were not asked for; every reply carries ``refs`` (the rows it
states, as ``target:id``) so adapters need not read the answer text back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.answer import compose, timeline
from bot.answer.execute import Result
from bot.answer.model import Reply, Source
from bot.answer.query import Anchor
from bot.answer.rows import Row
from bot.answer.understand.times import Days
from bot.format import clock, day_label, days_between
from bot.knowledge import Course, Due
from bot.knowledge.schema import WEEKDAYS, Meeting, OfficeHour, Reading, ReadingTopic, Session, StaffMember

NOUNS = {  # singular, plural
    "deliverable": ("deliverable", "deliverables"), "session": ("class", "classes"), "item": ("item", "items"),
    "reading": ("reading", "readings"), "topic": ("reading topic", "reading topics"),
    "staff": ("person on the course staff", "people on the course staff"),
    "slot": ("office-hour slot", "office-hour slots"), "meeting": ("class meeting", "class meetings"),
    "resource": ("resource", "resources"), "course": ("course", "courses"),
}


def render(result: Result, course: Course, now: dt.datetime) -> Reply:
    q = result.query
    edge_ops = ("list", "lookup", "exists", "count", "sum", "next")
    if result.outside_term and q.operation in edge_ops and (result.outside_term == "before" or not result.rows):
        if result.outside_term == "before":
            return _with_refs(timeline.before_term(course, now), ())
        lead = f"Nothing is on the calendar {q.days.label if q.days else ''}".strip()
        return _with_refs(timeline.after_term(course, lead), ())
    render_op = _RENDERERS.get(q.operation, _list)
    reply = render_op(result, course, now)
    return _with_refs(reply, result.rows)


# --- per operation --------------------------------------------------------------------------------

def _list(result: Result, course: Course, now: dt.datetime) -> Reply:
    q, rows = result.query, result.rows
    if not rows:
        return _nothing(result, course, now)
    if q.target == "deliverable" and len(rows) == 1 and q.projection:
        return Reply(_deliverable_fact(rows[0], q.projection, course, now), _sources(rows, course))
    if q.target == "deliverable" and q.projection[:1] == ("time",) and not any(r.time for r in rows):
        note = compose.deadline_note(course) or "The course page gives no time of day for these."
        return Reply(_lines(rows, course, now, note, ()), _sources(rows, course))
    if q.target == "session" and q.projection[:1] == ("week",) and q.refs is None and q.days is not None:
        weeks = sorted({r.week for r in rows if r.week is not None})
        lead = f"This is **week {weeks[0]}** of the term." if len(weeks) == 1 else ""
        return Reply(_lines(rows, course, now, f"{lead} {_header(result, course)}".strip(), ()), _sources(rows, course))
    if q.target == "session" and q.projection[:1] in (("date",), ("week",)) and q.refs is not None:
        head = _session_when(rows)
        return Reply(head, _sources(rows, course))
    header = _header(result, course)
    return Reply(_lines(rows, course, now, header, q.projection), _sources(rows, course))


def _count(result: Result, course: Course, now: dt.datetime) -> Reply:
    n = int(_amount(result))
    noun = _noun(result, n)
    scope = _scope(result)
    if n == 0:
        return _nothing(result, course, now, lead=f"There are no {noun}{scope}.")
    head = f"There {'is' if n == 1 else 'are'} **{n}** {noun}{scope}:"
    return Reply(_lines(result.rows, course, now, head, ()), _sources(result.rows, course))


def _sum(result: Result, course: Course, now: dt.datetime) -> Reply:
    rows = result.rows
    if not rows:
        return _nothing(result, course, now, lead=f"No {_noun(result, 2)}{_scope(result)} list points.")
    total = _number(_amount(result))
    parts = " + ".join(_number(r.points or 0) for r in rows)
    head = f"The {_noun(result, len(rows))}{_scope(result)} are worth **{total} points** in total ({parts}):"
    if len(rows) == 1:
        head = f"**{rows[0].name}** is worth **{total} points**:"
    return Reply(_lines(rows, course, now, head, ("points",)), _sources(rows, course))


def _extreme(result: Result, course: Course, now: dt.datetime) -> Reply:
    rows, q = result.rows, result.query
    if not rows:
        return _nothing(result, course, now)
    most = q.operation == "max"
    if result.value is None:  # by date: the latest or earliest
        which = "latest" if most else "earliest"
        return Reply(_lines(rows, course, now, f"The {which} {_noun(result, 1)}{_scope(result)}:", ()),
                     _sources(rows, course))
    pool = len(result.pool)
    names = " and ".join(f"**{r.name}**" for r in rows)
    verb = "are" if len(rows) > 1 else "is"
    head = (f"{names} {verb} worth the {'most' if most else 'least'} of the {pool} {_noun(result, pool)}"
            f"{_scope(result)}: {_number(_amount(result))} points.")
    return Reply(_lines(rows, course, now, head, ()), _sources(rows, course))


def _nth(result: Result, course: Course, now: dt.datetime) -> Reply:
    if not result.rows:
        return _nothing(result, course, now, lead=f"There aren't that many {_noun(result, 2)}{_scope(result)}.")
    n = result.query.nth or 1
    which = "last" if n == -1 else ("second to last" if n == -2 else _ordinal(n))
    head = f"The {which} {_noun(result, 1)}{_scope(result)}:"
    row = result.rows[0]
    if isinstance(row.entry, Due):
        return Reply(f"The {which} {_noun(result, 1)}{_scope(result)}: " + compose.due_line(course, row.entry, now),
                     _sources(result.rows, course))
    return Reply(_lines(result.rows, course, now, head, result.query.projection), _sources(result.rows, course))


def _next(result: Result, course: Course, now: dt.datetime) -> Reply:
    rows, q = result.rows, result.query
    if not rows:
        lead = "Nothing more is due" if q.target == "deliverable" else "There are no more classes"
        if q.anchor:
            return Reply(f"Nothing comes after {q.anchor.label} on the calendar.", _calendar(course))
        return timeline.after_term(course, lead)
    after = f" after {q.anchor.label}" if q.anchor else ""
    head = f"Next {'deadline' if q.target == 'deliverable' else _noun(result, 1)}{after}:"
    if len(rows) == 1 and isinstance(rows[0].entry, Due):
        return Reply(f"{head} {compose.due_line(course, rows[0].entry, now)}", _sources(rows, course))
    return Reply(_lines(rows, course, now, head, q.projection), _sources(rows, course))


def _previous(result: Result, course: Course, now: dt.datetime) -> Reply:
    rows, q = result.rows, result.query
    before = f" before {q.anchor.label}" if q.anchor else ""
    if not rows:
        return Reply(f"Nothing comes{before or ' before now'} on the calendar.", _calendar(course))
    head = f"The {'deadline' if q.target == 'deliverable' else _noun(result, 1)} just{before or ' before now'}:"
    return Reply(_lines(rows, course, now, head, q.projection), _sources(rows, course))


def _compare(result: Result, course: Course, now: dt.datetime) -> Reply:
    rows, q = result.rows, result.query
    if q.versus and len(rows) == 1 and rows[0].day:
        return Reply(_against_time(rows[0], q.versus, q.claim), _sources(rows, course))
    if len(rows) < 2:
        return _list(result, course, now)
    a, b = rows[0], rows[1]
    verdict = _verdict(q.claim, a, b, result.value if isinstance(result.value, Row) else None, q.projection)
    if q.projection[:1] == ("points",):
        win = result.value if isinstance(result.value, Row) else None
        if win is None:
            fact = f"**{a.name}** and **{b.name}** are worth the same: {_number(a.points or 0)} points each."
        else:
            lose = b if win is a else a
            fact = (f"**{win.name}** ({_number(win.points or 0)} points) is worth more than "
                    f"**{lose.name}** ({_number(lose.points or 0)} points).")
    else:
        fact = _date_comparison(a, b, result.value if isinstance(result.value, Row) else None)
    return Reply(_lines(rows, course, now, f"{verdict}{fact}", ()), _sources(rows, course))


def _against_time(row: Row, days: Days, claim: str | None) -> str:
    assert row.day is not None
    when = days.label.split(" ", 1)[1] if days.label.split(" ", 1)[0] in ("before", "after") else days.label
    if row.day < days.start:
        side, gap = "before", (days.start - row.day).days
    elif row.day > days.end:
        side, gap = "after", (row.day - days.end).days
    else:
        return f"**{row.name}** is on {when} itself ({day_label(row.day)})."
    verdict = "" if claim not in ("before", "after") else ("Yes — " if claim == side else "No — ")
    return f"{verdict}**{row.name}** ({day_label(row.day)}) comes {side} {when}, {gap} days {side}."


def _verdict(claim: str | None, a: Row, b: Row, winner: Row | None, projection: Sequence[str]) -> str:
    """ "Yes — " / "No — " for a yes/no comparison ("is the proposal worth more than hw1?"). The winner
    is the one worth more points, or the earlier one; the claim is about the first thing named."""
    if claim is None:
        return ""
    if claim == "same" or winner is None:
        return "Yes — " if (claim == "same") == (winner is None) else "No — "
    a_wins = winner is a
    claims = {"more": a_wins, "less": not a_wins} if projection[:1] == ("points",) else \
        {"before": a_wins, "after": not a_wins}
    if claim not in claims:
        return ""
    return "Yes — " if claims[claim] else "No — "


def _exists(result: Result, course: Course, now: dt.datetime) -> Reply:
    q, rows = result.query, result.rows
    when = q.days.label if q.days else (_relative_to(q.anchor) if q.anchor else "")
    real = [r for r in rows if not r.no_class]
    if real:
        head = f"Yes — {when}:" if when else "Yes:"
        return Reply(_lines(real, course, now, head, q.projection), _sources(real, course))
    if rows:  # a calendar row that says there is no class
        lines = [compose.session_line(r.entry) for r in rows if isinstance(r.entry, Session)]
        return Reply("No — " + "\n".join(lines), _sources(rows, course))
    what = "due" if q.target == "deliverable" else "scheduled"
    when = when or _weekday_label(q.weekdays)
    lead = f"No — nothing is {what} {when}." if when else f"No — there is no such {_noun(result, 1)}."
    if result.instead:
        actual = {r.day.weekday() for r in result.instead if r.day}
        said = f" but {_weekday_label(frozenset(actual))}" if q.weekdays and len(actual) == 1 else ""
        return Reply(_lines(result.instead, course, now, f"No — not {when}{said}:", q.projection),
                     _sources(result.instead, course))
    if q.target in ("session", "meeting") and q.weekdays and course.info.meetings:
        lead += " " + " ".join(compose.meeting_line(m, course) for m in course.info.meetings)
    return _nothing(result, course, now, lead=lead)


def _countdown(result: Result, course: Course, now: dt.datetime) -> Reply:
    if not result.rows:
        return _nothing(result, course, now)
    row, days = result.rows[0], int(_amount(result))
    when = days_between(now.date(), row.day) if row.day else ""
    verb = "is due" if row.target == "deliverable" else "is"
    if days < 0:
        verb = "was due" if row.target == "deliverable" else "was"
    text = f"**{row.name}** {verb} **{when}** ({day_label(row.day)})." if row.day else row.name
    if days > 13:
        text += f" That's about {days // 7} weeks."
    return Reply(text, _sources(result.rows, course))


_RENDERERS = {
    "lookup": _list, "list": _list, "count": _count, "sum": _sum, "max": _extreme, "min": _extreme, "nth": _nth,
    "next": _next, "previous": _previous, "compare": _compare, "exists": _exists, "countdown": _countdown,
}


# --- pieces ----------------------------------------------------------------------------------------

RELATION_WORDS = {"same_day": "the same day as", "same_week": "the same week as", "week_after": "the week after",
                  "week_before": "the week before", "day_before": "the day before", "day_after": "the day after"}


def _relative_to(anchor: Anchor) -> str:
    """ "the same week as Homework 1 (Tue, Oct 6)", "after Thanksgiving"."""
    return f"{RELATION_WORDS.get(anchor.relation, anchor.relation)} {anchor.label}"


def _weekday_label(weekdays: frozenset[int]) -> str:
    names = [WEEKDAYS[d] for d in sorted(weekdays)]
    return f"on a {' or '.join(names)}" if names else ""


def _nothing(result: Result, course: Course, now: dt.datetime, lead: str = "") -> Reply:
    q = result.query
    if not lead:
        what = "due" if q.target == "deliverable" else "on the calendar"
        lead = f"Nothing is {what} {q.days.label}." if q.days else f"I found no {_noun(result, 2)}{_scope(result)}."
    if result.after:
        lead += f" The next one after that: {_line(result.after[0], course, now, ())}"
    return Reply(lead, _calendar(course))


def _header(result: Result, course: Course) -> str:
    q = result.query
    if q.days:
        span = f"{day_label(q.days.start, False)} – {day_label(q.days.end)}" if q.days.start != q.days.end else \
            day_label(q.days.start)
        what = {"deliverable": "Due", "slot": "Office hours"}.get(q.target, "On the calendar")
        return f"{what} {q.days.label} ({span}):"
    if q.anchor:
        return f"{_noun(result, 2).capitalize()} {_relative_to(q.anchor)}:"
    return "Office hours:" if q.target == "slot" else ""


def _lines(rows: Sequence[Row], course: Course, now: dt.datetime, header: str, projection) -> str:
    body = [_line(r, course, now, projection) for r in rows]
    if len(body) == 1 and not header:
        return body[0]
    bullets = "\n".join(f"• {b}" for b in body)
    return f"{header}\n{bullets}" if header else bullets


def _line(row: Row, course: Course, now: dt.datetime, projection: Sequence[str]) -> str:
    entry = row.entry
    if isinstance(entry, Due):
        return compose.due_line(course, entry, now, bullet=True)[2:]
    if isinstance(entry, Session) and entry.date:
        due = [d for d in course.deliverables if d.date == entry.date]
        line = compose.session_line(entry)
        if due:
            line += " — due: " + ", ".join(d.name + (f" ({d.points_text})" if d.points_text else "") for d in due)
        return line
    if isinstance(entry, Session):  # a week-level item
        week = f"Week {row.week}: " if row.week is not None else ""
        return f"{week}{row.name}" + (f" <{row.link}>" if row.link else "")
    if isinstance(entry, ReadingTopic):
        return compose.topic_list(entry, row.id).text
    if isinstance(entry, Meeting):
        return compose.meeting_line(entry, course)
    if isinstance(entry, tuple) and isinstance(entry[1], Reading) and isinstance(entry[0], ReadingTopic):
        return compose.reading_line(entry[1]) + f" ({entry[0].topic})"
    if isinstance(entry, tuple) and isinstance(entry[0], StaffMember) and isinstance(entry[1], OfficeHour):
        return compose.slot_line(entry[0], entry[1])
    if isinstance(entry, StaffMember):
        extra = "".join(f" {x}" for x in (entry.email, f"<{entry.url}>" if entry.url else None) if x)
        return f"{entry.role[:1].upper()}{entry.role[1:]}: **{entry.name}**{extra}"
    if row.target == "resource":
        return f"**{row.name}**: {row.note or ''}" + (f" <{row.link}>" if row.link else "")
    return row.name


def _deliverable_fact(row: Row, projection: Sequence[str], course: Course, now: dt.datetime) -> str:
    due = row.entry
    assert isinstance(due, Due) and row.day is not None
    day = day_label(row.day)
    parts = []
    for attribute in projection:
        if attribute == "points" and due.points_text:
            parts.append(f"**{row.name}** is worth **{due.points_text}**.")
        elif attribute == "weekday":
            parts.append(f"**{row.name}** is due on a **{WEEKDAYS[row.day.weekday()]}** ({day}).")
        elif attribute == "week" and row.week is not None:
            parts.append(f"**{row.name}** is due in **week {row.week}** ({day}).")
        elif attribute == "time":
            parts.append(_due_time(row, course))
    line = compose.due_line(course, due, now)
    if not parts or "date" in projection:
        parts.insert(0, line)
    elif not any(day in p for p in parts):
        parts.append(f"({line})")
    return " ".join(dict.fromkeys(parts))


def _due_time(row: Row, course: Course) -> str:
    if row.time and row.day:
        return f"**{row.name}** is due at **{clock(row.time)}** on {day_label(row.day)}."
    note = compose.deadline_note(course)
    return note or f"The course page gives no time of day for {row.name}."


def _session_when(rows: Sequence[Row]) -> str:
    lines = [compose.session_line(r.entry) for r in rows if isinstance(r.entry, Session)]
    return lines[0] if len(lines) == 1 else "\n".join(f"• {line}" for line in lines)


def _date_comparison(a: Row, b: Row, first: Row | None) -> str:
    if first is None or a.day is None or b.day is None:
        when = f" ({day_label(a.day)})" if a.day else ""
        return f"**{a.name}** and **{b.name}** fall on the same day{when}."
    second = b if first is a else a
    assert first.day is not None and second.day is not None
    gap = (second.day - first.day).days
    return (f"**{first.name}** ({day_label(first.day, False)}) comes first, {gap} days before "
            f"**{second.name}** ({day_label(second.day, False)}).")


def _noun(result: Result, n: int) -> str:
    q = result.query
    if q.kind_label:
        return q.kind_label
    singular, plural = NOUNS[q.target]
    return singular if n == 1 else plural


def _scope(result: Result) -> str:
    q = result.query
    if q.days:
        return f" {q.days.label}"
    if q.anchor:
        return f" {_relative_to(q.anchor)}"
    return ""


def _sources(rows: Sequence[Row], course: Course) -> tuple[Source, ...]:
    targets = {r.target for r in rows}
    out: list[Source] = []
    if targets & {"deliverable", "session", "item"}:
        weeks = sorted({r.week for r in rows if r.week is not None})
        out.append(compose.calendar_source(course, ", ".join(f"week {w}" for w in weeks) or "schedule"))
    for r in rows:
        if r.target in ("reading", "topic"):
            out.append(Source("reading", r.id, r.name, r.link))
        elif r.target == "resource":
            out.append(Source("resource", r.id, r.name, r.link))
    if targets & {"staff", "slot", "meeting", "course"}:
        info = course.info
        out.append(Source("course", "staff" if targets & {"staff", "slot"} else "meetings",
                          f"{info.code} {info.title}: course information", info.url))
    return tuple(dict.fromkeys(out))[:5]


def _calendar(course: Course) -> tuple[Source, ...]:
    return (compose.calendar_source(course, "schedule"),)


def _with_refs(reply: Reply, rows: Sequence[Row]) -> Reply:
    from dataclasses import replace

    return replace(reply, refs=tuple(f"{r.target}:{r.id}" for r in rows))


def _amount(result: Result) -> float:
    """The computed number (a count, a total, days left); 0 when there is none."""
    value = result.value
    return float(value) if isinstance(value, int | float) else 0.0


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, f"{n}th")
