"""A course page's calendar table -> calendar.yaml sessions with their deliverables.

Columns are recognised by their header words (they vary: "Deliverable", "Due today",
"Points", "Day and Date", "Topic (tentative)"). Rows without a date ("-") become
week-level items; "no class" days get ``no_class``; exams become deliverables of
kind exam. The year comes from the term name, checked against the stated weekdays.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from bot.instructor import dates
from bot.instructor.emit import Guess
from bot.instructor.markdown import Block, Section, links, plain
from bot.instructor.words import free_id, has_phrase, kind_of, names_exam, no_class, unique_ids

# column -> header words, checked in this order ("Day and Date" is the date, not a topic)
COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("week", ("week", "wk")),
    ("date", ("date", "day", "day and date", "when")),
    ("due", ("deliverable", "deliverables", "due", "due today", "assignment", "assignments", "homework",
             "hw", "what's due", "deadline", "deadlines")),
    ("points", ("points", "pts", "point", "weight", "worth", "%", "value")),
    ("topic", ("topic", "topics", "lecture", "subject", "content", "title", "agenda", "class", "material")),
)
_POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:points?|pts?\.?|%)", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:<br\s*/?>|;|\s\+\s)\s*", re.IGNORECASE)


@dataclass
class CalendarResult:
    sessions: list[dict[str, Any]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    year: int | None = None


def columns_of(header: list[str]) -> dict[str, int]:
    """Column role -> index, from the header words."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = plain(cell).lower()
        for role, phrases in COLUMNS:
            if role not in found and any(has_phrase(text, p) or (p == "%" and "%" in text) for p in phrases):
                found[role] = index
                break
    return found


def is_calendar(table: Block) -> bool:
    header = table.rows[0] if table.rows else []
    cols = columns_of(header)
    if "date" not in cols:
        return False
    rows = table.rows[1:]
    return sum(1 for row in rows if _cell(row, cols["date"]) and dates.day_text(_cell(row, cols["date"]))) >= 2


_DATED_LINE = re.compile(
    r"^\W*((?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}/\d{1,2}"
    r"(?:/\d{2,4})?|\d{4}-\d{2}-\d{2}))\W*?\s*[:\-–—.)|]\s*(.+)$", re.IGNORECASE)
_DUE_PART = re.compile(r"[\s(;,.–—-]*\b(?:due|deliverables?)\b\s*:?\s*(.+?)\)?$", re.IGNORECASE)


def dated_items(section: Section) -> list[tuple[Block, re.Match[str]]]:
    """List items or lines in a schedule section that start with a date ("Sep 17: Intro")."""
    found = []
    for block in section.blocks:
        match = _DATED_LINE.match(block.plain) if block.kind != "table" else None
        if match and dates.day_text(match[1]):
            found.append((block, match))
    return found


def list_as_table(section: Section) -> Block:
    """A schedule written as a list becomes a table: Week (from a "Week 3" heading), Date, Topic, Due."""
    week = re.search(r"\bweek\s*(\d+)", section.title, re.IGNORECASE)
    rows = [["Week", "Date", "Topic", "Due"]]
    for block, match in dated_items(section):
        block.used = True
        due = _DUE_PART.search(match[2])
        topic = match[2][: due.start()] if due else match[2]
        rows.append([week[1] if week else "", match[1], topic.strip(" ;,.-–—"), due[1] if due else ""])
    return Block("table", section.blocks[0].line if section.blocks else section.line, "", rows=rows)


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def import_calendar(tables: list[Block], term_year: int | None, near_year: int) -> CalendarResult:
    result = CalendarResult()
    rows: list[tuple[Block, dict[str, int], list[str]]] = []
    for table in tables:
        table.used = True
        cols = columns_of(table.rows[0])
        rows += [(table, cols, row) for row in table.rows[1:]]
    days = [dates.day_text(_cell(row, cols["date"])) for _, cols, row in rows]
    known = [d for d in days if d]
    placed, year, guessed = dates.resolve_years(known, term_year, near_year)
    result.year = year
    by_day = dict(zip((id(d) for d in known), placed, strict=True))
    if guessed and term_year:
        result.unplaced.append(f"the weekdays fit {year} better than the term's {term_year}: dates use {year}")
    for (table, cols, row), day in zip(rows, days, strict=True):
        date = by_day.get(id(day)) if day else None
        session = _session(table, cols, row, day, date, guessed and not term_year, result)
        if session:
            result.sessions.append(session)
    result.sessions = _merge_same_dates(result.sessions, result.unplaced)
    _number_weeks(result.sessions)
    _assign_ids(result.sessions)
    return result


def _merge_same_dates(sessions: list[dict[str, Any]], unplaced: list[str]) -> list[dict[str, Any]]:
    """Two rows on one date (a lecture and a lab, or a typo) become one session, marked for review."""
    merged: list[dict[str, Any]] = []
    by_date: dict[dt.date, dict[str, Any]] = {}
    for session in sessions:
        date = unwrap_date(session) if "date" in session else None
        first = by_date.get(date) if date else None
        if first is None:
            merged.append(session)
            if date:
                by_date[date] = session
            continue
        first["topic"] = f"{first['topic']}; {session['topic']}"
        first["due"] = first.get("due", []) + session.get("due", [])
        first["date"] = Guess(date, "several calendar rows had this date; merged into one session")
        if not session.get("no_class"):
            first.pop("no_class", None)
        for key in ("url", "note", "week"):
            if key in session and key not in first:
                first[key] = session[key]
        unplaced.append(f"calendar: several rows on {date}; merged into one session")
    return merged


def _session(table: Block, cols: dict[str, int], row: list[str], day: dates.DayText | None,
             date: dt.date | None, year_guessed: bool, result: CalendarResult) -> dict[str, Any] | None:
    raw_topic = _cell(row, cols.get("topic"))
    topic, url = plain(raw_topic), next((link.url for link in links(raw_topic)), None)
    date_text = plain(_cell(row, cols["date"]))
    if day and not date:
        result.unplaced.append(f"line {table.line}: {date_text!r} is not a real date; row left out")
        return None
    session: dict[str, Any] = {}
    if date:
        session["date"] = Guess(date, "year inferred from the weekdays") if year_guessed else date
        if day and day.weekday is not None and date.weekday() != day.weekday:
            session["date"] = Guess(date, f"the page says {date_text!r} but {date} is a {date:%A}")
            result.unplaced.append(f"calendar row {date_text!r}: the weekday does not match {date} ({date:%A})")
    elif date_text.strip(" -–—?") and not day:
        result.unplaced.append(f"line {table.line}: calendar date {date_text!r} not understood; kept as a week item")
    week = _week(_cell(row, cols.get("week")))
    if week is not None:
        session["week"] = week
    due = _deliverables(row, cols, topic)
    if not topic and not due:
        return None
    session["topic"] = topic or (plain(_cell(row, cols.get("due"))) or "(no topic)")
    off, off_guessed = no_class(topic)
    if off:
        session["no_class"] = Guess(True, f"{topic!r} looks like a day off") if off_guessed else True
    if url:
        session["url"] = url
    extra = _other_columns(row, cols, table.rows[0])
    if extra:
        session["note"] = extra
    if due:
        session["due"] = due
    return session


def _week(text: str) -> int | None:
    match = re.search(r"\d+", plain(text))
    return int(match[0]) if match else None


def _deliverables(row: list[str], cols: dict[str, int], topic: str) -> list[dict[str, Any]]:
    cell = _cell(row, cols.get("due"))
    names = [part for part in _SPLIT.split(cell) if plain(part).strip(" -–—")] if cell else []
    points = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", plain(_cell(row, cols.get("points"))))]
    items = []
    for i, part in enumerate(names):
        items.append(_deliverable(part, topic, points[i] if len(points) == len(names) else None))
    if len(points) != len(names) and points and names:
        items[0]["points"] = Guess(sum(points), "the points cell did not pair up with the deliverables")
    if not names and names_exam(topic):
        exam: dict[str, Any] = {"name": topic, "kind": Guess("exam", "the day's topic names an exam")}
        if len(points) == 1:
            exam["points"] = points[0]
        items.append(exam)
    return items


def _deliverable(raw: str, topic: str, points: float | None) -> dict[str, Any]:
    text = plain(raw)
    inline = _POINTS.search(text)
    if inline:
        points = points if points is not None else float(inline[1])
        text = _POINTS.sub("", text).strip(" ()-,:")
    due_time = dates.single_time(text)
    if due_time:
        text = re.sub(r"\(?\s*(due\s+)?(by\s+|at\s+)?\d{1,2}(:\d{2})?\s*([ap]\.?m\.?)?\s*\)?$", "", text,
                      flags=re.IGNORECASE).strip(" ,-")
    kind, guessed = kind_of(text, topic)
    item: dict[str, Any] = {"name": text, "kind": Guess(kind, f"kind guessed from {topic!r}") if guessed else kind}
    if points is not None:
        item["points"] = points
    if due_time:
        item["due_time"] = due_time
    url = next((link.url for link in links(raw)), None)
    if url:
        item["url"] = url
    return item


def _other_columns(row: list[str], cols: dict[str, int], header: list[str]) -> str | None:
    used = set(cols.values())
    parts = [f"{plain(header[i])}: {plain(cell)}" for i, cell in enumerate(row)
             if i not in used and i < len(header) and plain(cell)]
    return "; ".join(parts) or None


def _number_weeks(sessions: list[dict[str, Any]]) -> None:
    """When the table has no week column, count weeks from the first dated row's Monday."""
    if any("week" in s for s in sessions):
        return
    first = next((unwrap_date(s) for s in sessions if "date" in s), None)
    if not first:
        return
    monday = first - dt.timedelta(days=first.weekday())
    for session in sessions:
        if "date" in session:
            week = (unwrap_date(session) - monday).days // 7 + 1
            session["week"] = Guess(week, "week number counted from the first class")


def unwrap_date(session: dict[str, Any]) -> dt.date:
    value = session["date"]
    return value.value if isinstance(value, Guess) else value


def _assign_ids(sessions: list[dict[str, Any]]) -> None:
    dated = [s for s in sessions if "date" in s and s.get("due")]
    names = [item["name"] for s in dated for item in s["due"]]
    taken: set[str] = set()
    idents = iter([free_id(ident, taken) for ident in unique_ids(names)])
    for session in dated:
        session["due"] = [{"id": next(idents), **item} for item in session["due"]]
    for session in sessions:  # week-level items carry no dated deliverable: keep them as notes
        if "date" not in session and session.get("due"):
            listed = ", ".join(item["name"] for item in session.pop("due"))
            session["note"] = Guess(f"Due this week: {listed}", "a deliverable without a date; give it a date")
