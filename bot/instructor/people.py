"""Staff lists and office-hour lines -> course.yaml ``staff`` with their office hours.

"Professor: [Bryan Pardo](url)", "TAs: Hugo Flores Garcia, Weijan Li";
"Monday: Weijan Li 3-5pm on [zoom](url), Conor 5-6pm in Mudd 3532";
"Mondays 4:00pm - 6:00pm Central Time" (whose? the only instructor's, marked for review).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from bot.instructor import dates
from bot.instructor.emit import Guess
from bot.instructor.markdown import Block, Link, links, plain
from bot.instructor.words import singular_role

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
LABEL = re.compile(r"^\s*(?:\*\*|__)?([A-Za-z][A-Za-z .'/&-]{0,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)?\s*:)\s*(.+)$")
_ZONE_NAME = re.compile(r"\(?\b\w+\s+(standard\s+|daylight\s+)?time\b\)?", re.IGNORECASE)  # "(Central Time)"
_NAME = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}$")


@dataclass
class Member:
    name: str
    role: str
    url: str | None = None
    email: str | None = None
    office_hours: list[Any] = field(default_factory=list)

    def to_yaml(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "url": self.url, "email": self.email,
                "office_hours": self.office_hours}


def read_staff(blocks: list[Block], heading: str) -> list[Member]:
    members: list[Member] = []
    for block in blocks:
        label = LABEL.match(block.text)
        role = singular_role(plain(label[1]) if label else heading)
        body = label[2] if label else block.text
        for name, url, email in _names(body):
            if not any(m.name == name for m in members):
                members.append(Member(name, role, url, email))
        block.used = True
    return members


_TITLES = re.compile(r"^(?:prof\.?|professor|dr\.?|mr\.?|ms\.?|mrs\.?|mx\.?)\s+", re.IGNORECASE)


def _names(text: str) -> list[tuple[str, str | None, str | None]]:
    """(name, url, email) for each person in "A, [B](url) and C (c@x.edu)"."""
    found: list[tuple[str, str | None, str | None]] = []
    for part in re.split(r"\s*(?:,|;|\band\b|<br\s*/?>|\s[—–-]\s)\s*", text):
        email_match = _EMAIL.search(part)
        email = email_match[0] if email_match else None
        link = next(iter(links(part)), None)
        words = plain(_EMAIL.sub("", re.sub(r"\([^)]*\)", "", part))).strip(" -–—:")
        if link and not link.url.startswith("mailto:"):
            words = link.text
        elif link:
            email = email or link.url.removeprefix("mailto:")
        words = _TITLES.sub("", words)
        if _NAME.match(words):
            found.append((words, link.url if link and not link.url.startswith("mailto:") else None, email))
        elif email and found and not found[-1][2] and not words:  # "Jane Smith — jane@x.edu"
            found[-1] = (found[-1][0], found[-1][1], email)
    return found


def read_office_hours(blocks: list[Block], members: list[Member], unplaced: list[str]) -> list[Member]:
    """Attach each office-hour slot to its person; unknown people join the staff list."""
    for block in blocks:
        slots = list(_slots(block))
        if not slots:
            unplaced.append(f"line {block.line}: office hours not understood: {block.plain[:80]!r}")
        for name, slot in slots:
            _attach(name, slot, members, unplaced, block.line)
        block.used = True
    return members


def _slots(block: Block):
    if block.kind == "table":
        yield from _table_slots(block)
        return
    label = LABEL.match(block.text)
    line_days = dates.weekdays_in(plain(label[1])) if label else []
    body = label[2] if label and line_days else block.text
    for entry in _entries(body):
        found = dates.time_range(plain(entry))
        if not found:
            continue
        start, end, guessed, match = found
        text = plain(entry)
        before, after = text[: match.start()], text[match.end():]
        days = dates.weekdays_in(before + " " + after) or line_days
        for day in days:
            slot: dict[str, Any] = {"day": dates.WEEKDAY_NAMES[day], "start": start, "end": end}
            if guessed:
                slot["start"] = Guess(start, "am/pm not given; afternoon assumed")
            slot.update(_place(entry, after))
            yield _who(before), slot


_TABLE_COLUMNS = {"who": ("who", "name", "staff", "ta", "instructor", "person"),
                  "when": ("when", "time", "times", "day", "days", "hours"),
                  "where": ("where", "location", "place", "room", "link")}


def _table_slots(block: Block):
    """A table of office hours: one row per slot, columns found by their header words."""
    header = [plain(cell).lower() for cell in block.rows[0]] if block.rows else []
    cols = {role: next((i for i, h in enumerate(header) if any(w in h.split() for w in words)), None)
            for role, words in _TABLE_COLUMNS.items()}
    for row in block.rows[1:]:
        def cell(role: str, row: list[str] = row) -> str:
            index = cols[role]
            return row[index] if index is not None and index < len(row) else ""
        where = cell("where")
        text = f"{cell('who')}: {cell('when')}" + (f" in {where}" if where and not links(where) else f" {where}")
        yield from _slots(Block("para", block.line, text))


def _entries(body: str) -> list[str]:
    """Split a line into one text per slot: a new slot starts where a new time range appears."""
    entries: list[str] = []
    for part in re.split(r"\s*[,;]\s*(?![^\[]*\])", body):
        if entries and not (dates.time_range(plain(part)) and dates.time_range(plain(entries[-1]))):
            entries[-1] += ", " + part
        else:
            entries.append(part)
    return entries


def _who(before: str) -> str | None:
    words = re.sub(r"\b(on|in|at|from)\b.*$", "", before)
    for day in dates.WEEKDAY_NAMES:
        words = re.sub(rf"\b{day[:3]}[a-z]*\.?", "", words, flags=re.IGNORECASE)
    words = words.strip(" :,-–")
    return words if words and _NAME.match(words) else None


def _place(entry: str, after: str) -> dict[str, Any]:
    link: Link | None = next(iter(links(entry)), None)
    zone = dates.timezone_in(after)
    result: dict[str, Any] = {}
    if link:
        online = "zoom" in (link.text + link.url).lower()
        result.update(place="Zoom" if online else link.text, url=link.url)
    else:
        rest = _ZONE_NAME.sub("", after) if zone else after
        match = re.search(r"^[\s,;:–-]*(?:(?:in|at|@)\s+)?(.+?)[\s.,;]*$", rest, re.IGNORECASE)
        if match and match[1].strip():
            result["place"] = match[1].strip()
    if zone:
        result["note"] = re.sub(r"^.*?\b(\w+ (standard |daylight )?time)\b.*$", r"\1", after,
                                flags=re.IGNORECASE).strip().title() if "time" in after.lower() else after.strip()
    return result


def _attach(name: str | None, slot: dict[str, Any], members: list[Member], unplaced: list[str], line: int) -> None:
    member = _match(name, members) if name else None
    if member and name and member.name != name:
        slot["note"] = Guess(slot.get("note") or f"the page writes {name!r}",
                             f"the page writes {name!r}; matched to {member.name}")
    if member is None and name:
        member = Member(name, "staff")
        members.append(member)
        unplaced.append(f"line {line}: {name} holds office hours but is not in a staff list; added with role 'staff'")
    entry: dict[str, Any] | Guess = slot
    if member is None:
        if not members:
            members.append(Member("Instructor", "instructor"))
        member = members[0]
        entry = Guess(slot, f"the page does not say whose office hours these are; given to {member.name}")
    member.office_hours.append(entry)


def _match(name: str, members: list[Member]) -> Member | None:
    """Exact name, else a unique first-name or near-spelling match ("Kotwasinsky")."""
    lowered = name.lower()
    for member in members:
        if member.name.lower() == lowered:
            return member
    first = [m for m in members if m.name.lower().split()[0] == lowered]
    if len(first) == 1:
        return first[0]
    close = difflib.get_close_matches(lowered, [m.name.lower() for m in members], n=1, cutoff=0.85)
    return next((m for m in members if m.name.lower() == close[0]), None) if close else None
