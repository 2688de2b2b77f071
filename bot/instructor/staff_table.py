"""A staff or office-hours table -> members and slots: columns found by their header words.

| Name | Role | Email | Office hours | Location |: one person a row, several slots a cell
("Wed 4:00–5:30 PM<br>Fri 10:00–11:00 AM"), the location column for slots that name none,
"TBA" kept as not determined. A table without a name column (| Day | Time | Place |) gives
slots to the person the lines before it were about.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.instructor import dates
from bot.instructor.document import Block, Inline
from bot.instructor.names import EMAIL, is_role, people_in
from bot.instructor.words import column_roles, singular_role


class Person(Protocol):
    name: str
    office_hours: list[Any]


class StaffReader(Protocol):
    """What a table row adds to: the staff reader of people.py (which imports this module, not the reverse)."""

    current: list[Any]
    unplaced: list[str]
    undetermined: list[dict[str, Any]]

    def add(self, name: str, role: str, url: str | None, email: str | None) -> Person: ...

    def _hours(self, number: int, value: Inline, days: list[int]) -> bool: ...

COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("hours", ("office hours", "office hour", "hours", "when", "time", "times", "availability")),
    ("where", ("where", "location", "place", "room", "office", "link")),
    ("name", ("name", "who", "staff", "person", "instructor", "ta", "people", "member")),
    ("role", ("role", "title", "position", "job")),
    ("email", ("email", "e-mail", "contact", "mail")),
    ("day", ("day", "days")),
)


def columns_of(header: tuple[Inline, ...]) -> dict[str, int]:
    return column_roles([cell.plain for cell in header], COLUMNS)


def is_staff_table(block: Block) -> bool:
    table = block.table
    if table is None:
        return False
    cols = columns_of(table.header)
    return "name" in cols and ("role" in cols or "hours" in cols or "email" in cols)


def read_table(reader: StaffReader, block: Block, heading: str) -> None:
    table = block.table
    assert table is not None
    cols = columns_of(table.header)
    for row, line in zip(table.rows, table.row_lines, strict=True):
        name_cell = table.cell(row, cols.get("name"))
        role = table.cell(row, cols.get("role")).plain
        found = people_in(name_cell) if name_cell else []
        if found:
            name, url, email = found[0]
            email_cell = table.cell(row, cols.get("email")).plain
            mail = EMAIL.search(email_cell)
            email = email or (mail[0] if mail else None)
            reader.current = [reader.add(name, singular_role(role) if role else _role(heading), url, email)]
        elif name_cell.plain and "name" in cols:
            reader.unplaced.append(f"line {line}: staff row {name_cell.plain[:60]!r}: no name understood")
            continue
        _row_hours(reader, table.cell(row, cols.get("hours")), table.cell(row, cols.get("day")),
                   table.cell(row, cols.get("where")), line)


def _role(heading: str) -> str:
    return singular_role(heading) if is_role(heading) else "staff"


def _row_hours(reader: StaffReader, when: Inline, day: Inline, where: Inline, line: int) -> None:
    if day and when:
        when = Inline(f"{day.text} {when.text}")
    text = when.text.strip(" —–-")
    if not text:
        return
    lines = [part for part in when.lines() if part.text.strip(" —–-")]
    place_words = where.plain
    placed_before = {id(slot) for member in reader.current for slot in member.office_hours}
    for part in lines or [when]:
        if where and not dates.undecided(place_words) and dates.time_ranges(part.text) and not _has_place(part):
            offset = len(part.text) + 1
            link = [type(k)(k.text, k.url, k.start + offset, k.end + offset) for k in where.links]
            part = Inline(f"{part.text} {where.text}", tuple(list(part.links) + link))
        reader._hours(line, part, [])
    if where and dates.undecided(place_words) and not dates.undecided(text):
        for member in reader.current:
            reader.undetermined.append({"field": "office_hours", "what": f"Where {member.name} holds office hours",
                                        "person": member.name, "note": place_words})
    del placed_before


def _has_place(part: Inline) -> bool:
    spans = dates.time_ranges(part.text)
    after = part.text[spans[-1].finish:].strip(" ,;.") if spans else ""
    return bool(after)
