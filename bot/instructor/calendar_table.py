"""A course page's schedule -> calendar.yaml sessions with their deliverables.

Schedules come as tables (columns recognised by their header words: "Deliverable", "Due
today", "Points", "Day and Date", "Dates", "Topic (tentative)", "Reading"), or as dated
lines ("Mon Jan 5 — Intro; Lab 1 due (5%)", "Sep 2 (Tue): ...", "*Due Fri Sep 18:* HW 1").
Every row becomes a ``Row``; rows.py turns rows into sessions. A row whose date cell is a
range of days ("Sep 6–10") is a week: it gets no date of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.instructor import dates
from bot.instructor.document import EMPTY, Block, Inline, Section
from bot.instructor.words import column_roles, has_phrase

# column -> header words, checked in this order ("Day and Date" is the date, not a topic)
COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("week", ("week", "wk")),
    ("date", ("date", "dates", "day", "day and date", "when")),
    ("due", ("deliverable", "deliverables", "due", "due today", "assignment", "assignments", "homework",
             "hw", "what's due", "deadline", "deadlines", "assignment due")),
    ("points", ("points", "pts", "point", "weight", "worth", "%", "value")),
    ("reading", ("reading", "readings", "read", "required reading")),
    ("topic", ("topic", "topics", "lecture", "subject", "content", "title", "agenda", "class", "material")),
)
_LEAD = re.compile(r"^[\s*_>•·-]{0,6}(?:(due)[ \t]{1,3})?", re.IGNORECASE)
_SEPARATOR = re.compile(r"[ \t]{0,3}(?:\((?:[A-Za-z]{2,9}\.?)\))?[ \t]{0,3}[:—–\-.)|,]{0,2}[ \t]{0,3}")


@dataclass
class Row:
    line: int
    day: dates.DayText | None
    span: tuple[dates.DayText, dates.DayText] | None  # a week written as a range of days
    date_text: str
    week: int | None
    topic: Inline
    due: Inline = EMPTY
    points: Inline = EMPTY
    reading: Inline = EMPTY
    note: str | None = None
    due_only: bool = False  # "*Due Fri Sep 18:* Homework 1": the line is a deadline, not a class
    url: str | None = None
    due_column: bool = False  # a table with a due column: the topic cell is only a topic
    label_only: bool = False  # "Final portfolio: review Dec 8–10": names a window for something due
    in_table: bool = False
    weekday: int | None = None  # "- Tue: Intro" under "### Week 1 (Jan 5–9)": that weekday of the week (span)


def columns_of(header: tuple[Inline, ...]) -> dict[str, int]:
    """Column role -> index, from the header words."""
    found: dict[str, int] = {}
    dated = next((i for i, cell in enumerate(header) if has_phrase(cell.plain, "date") or has_phrase(cell.plain,
                                                                                                   "dates")), None)
    if dated is not None:  # | Day | Date | ...: the date column is the one that says so
        found["date"] = dated
    return column_roles([cell.plain for cell in header], COLUMNS, found)


def is_calendar(block: Block) -> bool:
    table = block.table
    if table is None:
        return False
    cols = columns_of(table.header)
    if "date" not in cols:
        return False
    return sum(1 for row in table.rows if dates.day_text(table.cell(row, cols["date"]).plain)) >= 2


def table_rows(block: Block) -> list[Row]:
    table = block.table
    assert table is not None
    block.used = True
    cols = columns_of(table.header)
    rows = []
    for row, line in zip(table.rows, table.row_lines, strict=True):
        date_cell = table.cell(row, cols["date"]).plain
        span = dates.day_range(date_cell)
        day = None if span else dates.day_text(date_cell)
        topic = table.cell(row, cols.get("topic"))
        used = set(cols.values())
        extra = [f"{table.header[i].plain}: {cell.plain}" for i, cell in enumerate(row)
                 if i not in used and i < len(table.header) and cell.plain]
        rows.append(Row(line, day, span, date_cell, _week(table.cell(row, cols.get("week")).plain), topic,
                        table.cell(row, cols.get("due")), table.cell(row, cols.get("points")),
                        table.cell(row, cols.get("reading")), "; ".join(extra) or None,
                        url=next((k.url for k in topic.links), None), due_column="due" in cols, in_table=True))
    return rows


def _week(text: str) -> int | None:
    match = re.search(r"\d{1,3}", text)
    return int(match[0]) if match else None


def dated_line(text: Inline) -> tuple[dates.DayText, Inline, bool] | None:
    """ "Mon Jan 5 — Intro", "Sep 2 (Tue): Intro", "**Wed 9/2** — Intro", "*Due Fri Sep 18:* HW 1"."""
    raw = text.text
    lead = _LEAD.match(raw)
    start = lead.end() if lead else 0
    found = dates.days_in(raw[:start + 40])
    if not found:
        return None
    first = found[0]
    before = raw[start:first.start]
    if dates.weekdays_in(before):
        before = re.sub(r"[A-Za-z]{2,10}\.?,?", "", before, count=1)
    if before.strip(" *_,") or first.start - start > 14:
        return None
    separator = _SEPARATOR.match(raw, first.end)
    rest_at = separator.end() if separator else first.end
    rest = text.slice(rest_at).strip(" *_:—–-")
    return first, rest, bool(lead and lead[1])


def dated_items(section: Section) -> list[tuple[Block, dates.DayText, Inline, bool]]:
    found = []
    for block in section.blocks:
        if block.table is not None:
            continue
        for _, line in block.text_lines():
            parsed = dated_line(line)
            if parsed:
                found.append((block, *parsed))
    return found


def _within(day: dates.DayText, span: tuple[dates.DayText, dates.DayText] | None) -> bool:
    return span is None or (span[0].month, span[0].day) <= (day.month, day.day) <= (span[1].month, span[1].day)


def _label_first(number: int, line: Inline, week: re.Match[str] | None,
                 week_days: tuple[dates.DayText, dates.DayText] | None = None) -> Row | None:
    """ "First studio: Mon Aug 30", "Final critique: Dec 9 (Thu), 1–5pm": an event named, then its day."""
    match = re.match(r"[ \t*_]{0,4}([A-Z][^:]{1,60}?)[*_]{0,2}:[ \t]{1,3}", line.text)
    if not match:
        return None
    rest = line.slice(match.end())
    found = dates.days_in(rest.text[:60])
    if not found:
        return None
    span = dates.day_range(rest.text[:60])
    topic = Inline(match[1].strip(" *_"))
    if not _within(found[0], week_days):
        week = None
    if span:
        return Row(number, None, span, rest.plain, int(week[1]) if week else None, topic, due=topic, label_only=True)
    return Row(number, found[0], None, rest.plain, int(week[1]) if week else None, topic)


def _weekday_line(number: int, line: Inline, week_days: tuple[dates.DayText, dates.DayText] | None,
                  week: re.Match[str] | None) -> Row | None:
    """ "- Tue: Introduction" under a heading that gives the week's days."""
    if week_days is None:
        return None
    match = re.match(r"[ \t*_]{0,4}([A-Za-z]{1,9}\.?)[*_]{0,2}[ \t]{0,2}[:—–-][*_]{0,2}[ \t]{1,3}", line.text)
    spans = dates.weekday_spans(match[1]) if match else []
    if not match or len(spans) != 1:
        return None
    rest = line.slice(match.end()).strip(" *_")
    return Row(number, None, week_days, line.plain, int(week[1]) if week else None, rest, weekday=spans[0][0],
               url=next((k.url for k in rest.links), None))


def list_rows(section: Section) -> list[Row]:
    """Dated lines under a schedule heading; "### Week 3 (Sep 14-18)" gives their week number (and days)."""
    week_match = re.search(r"\bweek[ \t]{0,3}(\d{1,3})", section.title, re.IGNORECASE)
    week_days = dates.day_range(section.title)
    rows = []
    for block in section.blocks:
        if block.table is not None:
            continue
        for number, line in block.text_lines():
            parsed = dated_line(line)
            if not parsed:
                labelled = _weekday_line(number, line, week_days, week_match) or _label_first(number, line, week_match,
                                                                                       week_days)
                if labelled:
                    block.used = True
                    rows.append(labelled)
                continue
            block.used = True
            day, rest, due_only = parsed
            span = dates.day_range(line.text[:40]) if not due_only else None
            rows.append(Row(number, None if span else day, span, line.plain,
                            int(week_match[1]) if week_match else None, rest, due_only=due_only,
                            url=next((k.url for k in rest.links), None)))
    return rows
