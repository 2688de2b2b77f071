"""Rows of every schedule on the page -> calendar.yaml sessions (dated, merged, numbered, with ids).

The year comes from the term name, checked against the weekdays the rows state; a date
mentioned inside a row ("final exam Thursday 3/12") takes the year that puts it nearest
that row. Deliverables named elsewhere on the page (an "Assignments" list) are merged in
by date and name (the shorter name kept, the longer one kept as an alias).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from bot.instructor import dates
from bot.instructor.calendar_table import Row
from bot.instructor.document import Inline, sentences
from bot.instructor.emit import Guess, unwrap
from bot.instructor.rows import Piece, RowResult, is_off, read_row
from bot.instructor.words import free_id, undecorate, unique_ids, words


@dataclass
class CalendarResult:
    sessions: list[dict[str, Any]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    undetermined: list[dict[str, Any]] = field(default_factory=list)
    readings: list[tuple[str, Any]] = field(default_factory=list)  # (session topic, Inline of one reading)
    year: int | None = None


@dataclass
class _Dates:
    anchor: dt.date

    def near(self, day: dates.DayText, to: dt.date | None = None) -> dt.date | None:
        base = to or self.anchor
        options = [d for d in (day.on(base.year - 1), day.on(base.year), day.on(base.year + 1)) if d]
        if day.year:
            options = [d for d in [day.on(day.year)] if d]
        return min(options, key=lambda d: abs((d - base).days)) if options else None


def page_due_time(text: str) -> dt.time | None:
    """The time a page says work is due unless noted ("All deadlines are 11:59 PM Central Time")."""
    for sentence in (s.plain for s in sentences(Inline(text))):
        if re.search(r"\b(?:deadlines?|due|submitted)\b", sentence, re.IGNORECASE) and re.search(
                r"\b(?:all|unless|every|on[ \t]the[ \t](?:date|day)|listed|shown|each)\b", sentence, re.IGNORECASE):
            found = dates.single_time(sentence)
            if found and not dates.time_ranges(sentence):
                return found
    return None


def apply_due_time(sessions: list[dict[str, Any]], moment: dt.time | None) -> None:
    """Work without a time of its own is due at the page's stated time (exams and quizzes keep theirs)."""
    if moment is None:
        return
    for session in sessions:
        for due in session.get("due", []):
            if "due_time" not in due and unwrap(due["kind"]) not in ("exam", "quiz"):
                due["due_time"] = Guess(moment, "the page gives this time for all deadlines")


def import_calendar(rows: list[Row], term_year: int | None, near_year: int, extra: list[Piece] | None = None,
                    off: list[tuple[dates.DayText, str]] | None = None) -> CalendarResult:
    """Sessions from the schedule's rows; deliverables named elsewhere (``extra``) merged in; ``off``: days
    the page says elsewhere that a class does not meet."""
    result = CalendarResult()
    extra = list(extra or []) + [_window_piece(row) for row in rows if row.label_only]
    rows = sorted((row for row in rows if not row.label_only), key=lambda row: row.line)
    main = [day for day in (row.day or (row.span[0] if row.span else None) for row in rows) if day]
    placed, year, guessed = dates.resolve_years(main, term_year, near_year)
    result.year = year
    if guessed and term_year and main:
        result.unplaced.append(f"the weekdays fit {year} better than the term's {term_year}: dates use {year}")
    first = next((d for d in placed if d), dt.date(year, 1, 1))
    resolver = _Dates(first)
    by_day = dict(zip((id(d) for d in main), placed, strict=True))
    sessions: list[dict[str, Any]] = []
    for row in rows:
        _row(row, by_day, resolver, sessions, result, guessed and not term_year)
    for piece in extra:
        _extra(piece, resolver, sessions)
    for day, text in off or []:
        _day_off(day, text, resolver, sessions, result.unplaced)
    result.sessions = _merge_same_dates(sessions, result.unplaced)
    _undecorate_names(result.sessions)
    _number_weeks(result.sessions)
    _assign_ids(result.sessions)
    return result


def _row(row: Row, by_day: dict[int, dt.date | None], resolver: _Dates, sessions: list[dict[str, Any]],
         result: CalendarResult, year_guessed: bool) -> None:
    if row.weekday is not None and row.span:
        _on_weekday(row, by_day, resolver)
    parsed = read_row(row)
    result.undetermined += [u for u in parsed.undetermined if u not in result.undetermined]
    anchor = by_day.get(id(row.day if row.day else row.span[0] if row.span else None))
    result.readings += [(parsed.topic, reading) for reading in parsed.readings]
    if row.day and anchor is None:
        result.unplaced.append(f"line {row.line}: {row.date_text!r} is not a real date; row left out")
        return
    if row.day and anchor:
        session = _session(anchor, row, parsed.topic, year_guessed, result)
        if row.due_only:
            session["topic"] = f"Due: {', '.join(p.item['name'] for p in parsed.pieces)}" if parsed.pieces else \
                session["topic"]
            session["due_only"] = True
        sessions.append(session)
        _pieces(parsed, anchor, session, resolver, sessions)
        return
    if row.span and anchor:
        _week_row(row, parsed, anchor, resolver, sessions)
        return
    if dates.undecided(row.date_text):
        result.unplaced.append(f"line {row.line}: calendar date {row.date_text!r} is not decided yet; kept as a week "
                               "item")
    elif row.date_text.strip(" -–—?"):
        result.unplaced.append(f"line {row.line}: calendar date {row.date_text!r} not understood; kept as a week item")
    if parsed.topic or parsed.pieces:
        item: dict[str, Any] = {"topic": parsed.topic or "(no topic)"}
        if row.week is not None:
            item["week"] = row.week
        if row.url:
            item["url"] = row.url
        if parsed.pieces:
            names = ", ".join(p.item["name"] for p in parsed.pieces)
            item["note"] = Guess(f"Due this week: {names}", "a deliverable without a date; give it a date")
        sessions.append(item)


def _on_weekday(row: Row, by_day: dict[int, dt.date | None], resolver: _Dates) -> None:
    """ "- Tue: ..." under "Week 1 (Jan 5–9)": the Tuesday of those days becomes the row's date."""
    start = by_day.get(id(row.span[0])) if row.span else None
    end = resolver.near(row.span[1], start) if row.span and start else None
    if not (start and end):
        return
    day = next((start + dt.timedelta(days=n) for n in range((end - start).days + 1)
                if (start + dt.timedelta(days=n)).weekday() == row.weekday), None)
    if day:
        row.day = dates.DayText(day.month, day.day, row.weekday, day.year)
        by_day[id(row.day)] = day
        row.span = None


def _window_piece(row: Row) -> Piece:
    from bot.instructor.words import kind_of

    kind, guessed = kind_of(row.topic.plain)
    return Piece({"name": row.topic.plain, "kind": Guess(kind, "kind guessed from the name") if guessed else kind},
                 None, row.span)


def _session(date: dt.date, row: Row, topic: str, year_guessed: bool, result: CalendarResult) -> dict[str, Any]:
    session: dict[str, Any] = {"date": Guess(date, "year inferred from the weekdays") if year_guessed else date}
    day = row.day
    if day and day.weekday is not None and date.weekday() != day.weekday:
        session["date"] = Guess(date, f"the page says {row.date_text!r} but {date} is a {date:%A}")
        result.unplaced.append(f"calendar row {row.date_text!r}: the weekday does not match {date} ({date:%A})")
    if row.week is not None:
        session["week"] = row.week
    session["topic"] = topic or "(no topic)"
    off, guessed = is_off(topic)
    if off:
        session["no_class"] = Guess(True, f"{topic!r} looks like a day off") if guessed else True
    if row.url:
        session["url"] = row.url
    if row.note:
        session["note"] = row.note
    session["due"] = []
    return session


def _pieces(parsed: RowResult, anchor: dt.date, session: dict[str, Any], resolver: _Dates,
            sessions: list[dict[str, Any]]) -> None:
    for piece in parsed.pieces:
        item = dict(piece.item)
        if piece.span:
            start, end = resolver.near(piece.span[0], anchor), resolver.near(piece.span[1], anchor)
            if start and end and start <= end:
                item["window"] = {"start": start, "end": end}
            session["due"].append(item)
            continue
        date = resolver.near(piece.day, anchor) if piece.day else anchor
        if date and date != anchor:
            sessions.append({"date": date, "topic": item["name"], "due": [item], "due_only": True})
        else:
            session["due"].append(item)


def _week_row(row: Row, parsed: RowResult, anchor: dt.date, resolver: _Dates, sessions: list[dict[str, Any]]) -> None:
    """A row for a whole week: its dated mentions are sessions; what is due without a day has a window."""
    end = resolver.near(row.span[1], anchor) if row.span else None
    week: dict[str, Any] = {"topic": parsed.topic or "(no topic)"}
    if row.week is not None:
        week["week"] = row.week
    sessions.append(week)
    for day, text in parsed.dated_topics:
        date = resolver.near(day, anchor)
        if date:
            off, _ = is_off(text)
            sessions.append({"date": date, "week": row.week, "topic": text or parsed.topic, "due": [],
                             **({"no_class": True} if off else {})})
    for piece in parsed.pieces:
        item = dict(piece.item)
        date = resolver.near(piece.day, anchor) if piece.day else None
        if date is None and end:
            item["window"] = {"start": anchor, "end": end}
            item["_week"] = True  # only the week is known: a day range given elsewhere is more precise
            date = end
            sessions.append({"date": date, "week": row.week, "topic": f"Due: {item['name']}", "due": [item],
                             "due_only": True})
            continue
        sessions.append({"date": date, "week": row.week, "topic": item["name"], "due": [item], "due_only": True})


def _extra(piece: Piece, resolver: _Dates, sessions: list[dict[str, Any]]) -> None:
    """A deliverable named outside the schedule: merged into the calendar, or a session of its own."""
    item = dict(piece.item)
    if not str(item["name"]).strip(" -–—*"):
        return
    date = resolver.near(piece.day) if piece.day else None
    if piece.span:
        start, end = resolver.near(piece.span[0]), resolver.near(piece.span[1])
        if not (start and end and start <= end):
            return
        item["window"] = {"start": start, "end": end}
        date = end
    if date is None:
        return
    for session in sessions:
        for due in session.get("due", []):
            if _same(due, item, _date_of(session)) and (_date_of(session) == date or _window_end(due) == date):
                _fill(due, item)
                return
    for session in sessions:  # same name, the other one has no window yet: "Final portfolio: review Dec 8–10"
        for due in session.get("due", []):
            if "window" in item and _names_match(due["name"], item["name"]) and "window" in due:
                due["window"] = item["window"]
                return
    sessions.append({"date": date, "topic": item["name"], "due": [item], "due_only": True})


def _day_off(day: dates.DayText, text: str, resolver: _Dates, sessions: list[dict[str, Any]],
             unplaced: list[str]) -> None:
    """A day the page says has no class: a session of its own, unless the schedule already has that day."""
    date = resolver.near(day)
    same = [s for s in sessions if date and _date_of(s) == date]
    if date is None or any(s.get("no_class") for s in same):
        return
    if any(not s.get("due_only") for s in same):
        unplaced.append(f"{text[:80]!r}: the schedule has a class on {date}; left as it is")
        return
    sessions.append({"date": date, "topic": text[:200], "no_class": True, "due": []})


def _date_of(session: dict[str, Any]) -> dt.date | None:
    return unwrap(session.get("date"))


def _window_end(due: dict[str, Any]) -> dt.date | None:
    return due["window"]["end"] if "window" in due else None


def _same(a: dict[str, Any], b: dict[str, Any], date: dt.date | None) -> bool:
    return _names_match(a["name"], b["name"])


def _names_match(a: str, b: str) -> bool:
    wa, wb = set(words(a)) - {"the", "a", "due", "final"}, set(words(b)) - {"the", "a", "due", "final"}
    if not wa or not wb:
        return set(words(a)) == set(words(b))
    small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return small <= large or len(small & large) * 2 > len(small) + 1


def _fill(due: dict[str, Any], other: dict[str, Any]) -> None:
    if due.get("_week") and "window" in other and not other.get("_week"):
        due["window"] = other["window"]
        due.pop("_week")
    for key in ("points", "note", "due_time", "window", "url"):
        if key in other and key not in due:
            due[key] = other[key]
    if len(other["name"]) < len(due["name"]) and _names_match(due["name"], other["name"]):
        due.setdefault("aliases", []).append(due["name"])
        due["name"] = other["name"]
    elif other["name"].lower() != due["name"].lower():
        due.setdefault("aliases", []).append(other["name"])


def _merge_same_dates(sessions: list[dict[str, Any]], unplaced: list[str]) -> list[dict[str, Any]]:
    """Rows on one date become one session; a due-only row joins the class of that day quietly."""
    merged: list[dict[str, Any]] = []
    by_date: dict[dt.date, dict[str, Any]] = {}
    for session in sessions:
        date = _date_of(session)
        first = by_date.get(date) if date else None
        if first is None:
            merged.append(session)
            if date:
                by_date[date] = session
            continue
        due_only = session.get("due_only") or first.get("due_only")
        for item in session.get("due", []):
            if not any(_names_match(item["name"], d["name"]) for d in first.get("due", [])):
                first.setdefault("due", []).append(item)
            else:
                _fill(next(d for d in first["due"] if _names_match(item["name"], d["name"])), item)
        if first.get("due_only") and not session.get("due_only"):
            first["topic"], first["due_only"] = session["topic"], False
            for key in ("week", "url", "note", "no_class"):
                if key in session:
                    first[key] = session[key]
        elif not due_only:
            first["topic"] = f"{first['topic']}; {session['topic']}"
            first["date"] = Guess(date, "several calendar rows had this date; merged into one session")
            if not session.get("no_class"):
                first.pop("no_class", None)
            unplaced.append(f"calendar: several rows on {date}; merged into one session")
        for key in ("url", "note", "week"):
            if key in session and key not in first:
                first[key] = session[key]
    for session in merged:
        session.pop("due_only", None)
        for item in session.get("due", []):
            item.pop("_week", None)
        if session.get("week") is None:
            session.pop("week", None)
        if not session.get("due"):
            session.pop("due", None)
    return merged


def _undecorate_names(sessions: list[dict[str, Any]]) -> None:
    """Deliverable names and aliases without the emoji that decorate them on the page ("⏰ HW3")."""
    for session in sessions:
        for due in session.get("due", []):
            old, due["name"] = due["name"], undecorate(due["name"])
            if session.get("topic") == old:
                session["topic"] = due["name"]
            aliases = [undecorate(alias) for alias in due.get("aliases", [])]
            aliases = [a for i, a in enumerate(aliases) if a.lower() != due["name"].lower()
                       and a.lower() not in {b.lower() for b in aliases[:i]}]
            if aliases:
                due["aliases"] = aliases
            else:
                due.pop("aliases", None)


def _number_weeks(sessions: list[dict[str, Any]]) -> None:
    """When the schedule gives no week numbers, count weeks from the first dated row's Monday."""
    if any("week" in s for s in sessions):
        return
    first = min((unwrap(s["date"]) for s in sessions if "date" in s), default=None)
    if not first:
        return
    monday = first - dt.timedelta(days=first.weekday())
    for session in sessions:
        if "date" in session:
            week = (unwrap(session["date"]) - monday).days // 7 + 1
            session["week"] = Guess(week, "week number counted from the first class")


def _assign_ids(sessions: list[dict[str, Any]]) -> None:
    dated = [s for s in sessions if "date" in s and s.get("due")]
    names = [item["name"] for s in dated for item in s["due"]]
    taken: set[str] = set()
    idents = iter([free_id(ident, taken) for ident in unique_ids(names)])
    for session in dated:
        session["due"] = [{"id": next(idents), **item} for item in session["due"]]
