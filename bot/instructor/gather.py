"""Sort a page's text by what it is about: each section gets a role from its heading, and each
"Label: value" line goes where its label says, wherever it stands on the page.

The result is a list of ``Item`` (one line, with its label, value, role and section) in page
order, plus the sections of each role for the consumers that read whole blocks (calendar,
readings, resources, policies).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.instructor import calendar_table, dates
from bot.instructor.document import Block, Inline, Link, Mark, Section
from bot.instructor.people import SENTENCE_VERB, is_hours, is_role, split_label
from bot.instructor.words import LABEL_ROLES, decoration, role_of

LOGISTICS = {"office_hours", "meeting", "location", "staff", "textbook", "prerequisites", "description",
             "questions", "computing", "timezone"}
BLOCK_ROLES = {"calendar", "readings", "resources"}
LINK_LISTS = {"readings", "resources"}  # a sub-heading of one that names the other is the other
KEY_VALUE_ROWS = 40  # a table of course facts by label is short; longer two-column tables are something else


@dataclass
class Item:
    line: int
    label: str
    value: Inline
    role: str
    section: Section
    block: Block
    written: str = ""  # the whole line as written, label included


@dataclass
class Gathered:
    items: list[Item] = field(default_factory=list)
    roles: dict[str, list[Section]] = field(default_factory=dict)
    parents: dict[int, list[str]] = field(default_factory=dict)
    guessed: set[int] = field(default_factory=set)  # sections kept as policies by guess
    role_of_section: dict[int, str | None] = field(default_factory=dict)

    def of(self, *roles: str) -> list[Item]:
        return [item for item in self.items if item.role in roles]


def label_role(label: str) -> str | None:
    if not label or len(label.split()) > 4:  # a label is a few words, not a bold sentence
        return None
    if is_hours(label):
        return "office_hours"
    if is_role(label):
        return "staff"
    lowered = label.lower().strip()
    return LABEL_ROLES.get(lowered) or role_of(label)


def gather(root: Section) -> Gathered:
    found = Gathered()
    title = next((s for s in root.children if s.level == 1), None)
    _visit(root, None, [], found, {id(root), id(title)})
    return found


def _visit(section: Section, inherited: str | None, trail: list[str], found: Gathered, untitled: set[int]) -> None:
    role: str | None = None
    if id(section) not in untitled and not (dates.term_year(section.title) and len(section.title.split()) <= 3):
        own = role_of(section.title)
        specific = own in LINK_LISTS and inherited in LINK_LISTS  # "### Readings" under "## Resources"
        role = own if own and (inherited is None or own in LOGISTICS or specific) else inherited
        if own == "computing":  # a computing section lists links (resources); "To be determined" is kept too
            found.roles.setdefault("computing", []).append(section)
            role = "resources" if any(b.links for b in section.blocks) else own
        if dates.term_year(section.title) and len(section.title.split()) <= 3:  # "### Fall 2026" under the title
            role = None
            untitled.add(id(section))
        if role is None and _mostly_dated(section):
            role = "calendar"
        if role is None and section.blocks:
            role = "policies"
            found.guessed.add(id(section))
    found.role_of_section[id(section)] = role
    if role:
        found.roles.setdefault(role, []).append(section)
        found.parents[id(section)] = trail
    for block in section.blocks:
        _lines(block, section, role, found)
    for child in section.children:
        passed = role if role != "policies" or id(section) not in found.guessed else None
        _visit(child, passed, [*trail, section.title] if section.title else trail, found, untitled)


def _mostly_dated(section: Section) -> bool:
    """A list of dated lines under any heading ("## September") is a schedule; so is a "Week 1 (Jan 5–9)"
    heading over lines that start with a weekday ("- Tue: Intro")."""
    lines = [b for b in section.blocks if b.table is None]
    dated = calendar_table.dated_items(section)
    if len(dated) >= 2 and len(dated) * 2 >= len(lines):
        return True
    week = dates.day_range(section.title) or re.search(r"\bweek[ \t]{0,3}\d", section.title, re.IGNORECASE)
    led = [b for b in lines if re.match(r"[ \t*_]{0,4}[A-Za-z]{2,9}\.?[*_]{0,2}[ \t]{0,2}[:—–-]", b.content.text)
           and dates.weekdays_in(b.content.text[:10])]
    return bool(week) and len(led) >= 1 and len(led) * 2 >= len(lines)


def key_value_rows(block: Block) -> list[tuple[int, Inline]] | None:
    """A two-column table of labels and values (| **Instructor** | Dr. Kim |) read as "Label: value" lines."""
    table = block.table
    if table is None:
        return None
    if len(table.rows) > KEY_VALUE_ROWS:
        return None
    rows = [row for row in (table.header, *table.rows) if any(cell.plain for cell in row)]
    if not rows or any(len([c for c in row if c.plain]) > 2 for row in rows):
        return None
    labelled = [row for row in rows if len(row) >= 2 and label_role(row[0].plain.strip(" :*")) is not None]
    if len(labelled) * 2 < len(rows):
        return None
    lines = (table.header and [block.line] or []) + list(table.row_lines)
    return [(line, _concat(Inline(row[0].plain.strip(" :*") + ":"), row[1]))
            for line, row in zip(lines, rows, strict=False) if len(row) >= 2 and row[0].plain]


def _lines(block: Block, section: Section, role: str | None, found: Gathered) -> None:
    """One item per line; a line with no label of its own continues the labelled line before it."""
    pairs = key_value_rows(block)
    if pairs is not None and role not in BLOCK_ROLES:
        for number, line in pairs:
            label, value = split_label(line)
            kind = label_role(label) or "policies"
            found.items.append(Item(number, label, value, kind, section, block))
        block.used = True
        return
    if block.table is not None or role in BLOCK_ROLES:
        return
    previous: Item | None = None
    for index, (number, line) in enumerate(_segments(block.text_lines())):
        line = _undecorated(line)  # "🗓️ **Lectures:** ...": the emoji is a bullet, the label follows it
        label, value = split_label(line.strip())
        own = label_role(label)
        if index and label and own is None and not line.strip().leading_mark():
            label, value = "", line  # "It's free: <url>" inside a paragraph is not a label
        if label and own is None and SENTENCE_VERB.search(label) and not line.strip().leading_mark():
            label, value = "", line  # "Exam 1 is a take-home exam: it goes out on ...": a sentence
        if not label and previous is not None and (previous.label and _continues(previous.value.text, line.text)
                                                   or _wrapped(previous.value.text)):
            previous.value = _concat(previous.value, line.strip())
            previous.written = f"{previous.written} {line.plain}".strip()
            continue
        if own is None and not label and (role in (None, "description") or id(section) in found.guessed):
            own = _sentence_role(line.text)
        if own is None and label and dates.time_ranges(value.text) and dates.weekdays_in(value.text) \
                and not dates.days_in(value.text) and role not in ("assignments", "calendar", "staff", "office_hours"):
            own = "meeting"  # "Class meets: Monday, Wednesday, Friday 9:05-9:55 AM", "Lecture & Lab: ..."
        if own is None and label and role in (None, "description"):
            own = "policies"  # "**Software:** ...", "**Heads up:** ...": a paragraph of its own, titled by its label
        if own is not None or role is not None:
            previous = Item(number, label, value if label else line, own or role or "", section, block, line.plain)
            found.items.append(previous)


_SEPARATOR = re.compile(r"[ \t]{1,3}[|·•][ \t]{1,3}")
_LABEL_START = re.compile(r"^[*_]{0,2}[A-Z][\w .'’/&-]{0,30}[*_]{0,2}:")


def _segments(lines: list[tuple[int, Inline]]) -> list[tuple[int, Inline]]:
    """ "Instructor: Jane Doe | Email: jd@x.edu | Office: Room 3": one labelled line per part."""
    result = []
    for number, line in lines:
        cuts = [m for m in _SEPARATOR.finditer(line.text) if not line.links_in(m.start(), m.end())]
        parts, start = [], 0
        for cut in cuts:
            parts.append(line.slice(start, cut.start()))
            start = cut.end()
        parts.append(line.slice(start))
        labelled = sum(1 for part in parts if _LABEL_START.match(part.text.strip()))
        result += [(number, part) for part in parts] if len(parts) > 1 and labelled >= 2 else [(number, line)]
    return result


def _continues(before: str, line: str) -> bool:
    """A wrapped line goes on with the one before: it starts in lower case, or the one before stopped mid-phrase."""
    head = line.lstrip()[:1]
    return bool(head) and (head.islower() or head in "(,;&" or before.rstrip().endswith((",", "&", " and", " or", "-")))


def _undecorated(line: Inline) -> Inline:
    start = 0
    while start < len(line.text) and (decoration(line.text[start]) or line.text[start] in " \t"):
        start += 1
    return line.slice(start) if start and start < len(line.text) and any(
        decoration(c) for c in line.text[:start]) else line


def _wrapped(before: str) -> bool:
    """A prose line that stops mid-sentence ("... tell", "... due Mon Mar 16 at"): the next line goes on with it."""
    return bool(re.search(r"[A-Za-z,;)\]][ \t]{1,3}[a-z]{1,20}$", before.rstrip(" \t*_")))


def _concat(a: Inline, b: Inline) -> Inline:
    shift = len(a.text) + 1
    return Inline(f"{a.text} {b.text}", (*a.links, *(Link(k.text, k.url, k.start + shift, k.end + shift)
                                                      for k in b.links)),
                  (*a.marks, *(Mark(m.kind, m.start + shift, m.end + shift) for m in b.marks)))


def _sentence_role(text: str) -> str | None:
    """An unlabelled sentence that gives the class meeting ("We meet in Room 1 on Mondays 1-2pm")."""
    if dates.time_ranges(text) and dates.weekdays_in(text) and any(
            word in text.lower() for word in ("meet", "lecture", "class")):
        return "meeting"
    return None
