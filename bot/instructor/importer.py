"""A course web page in Markdown -> the knowledge YAML files, plus what could not be placed.

Structure decides where things go: each heading gets a role from its words
(office hours, class time, staff, policies, calendar, readings, links...), sub-headings
inherit their parent's role unless they name a logistics role of their own, and any
table whose columns include a date is a calendar. Guesses carry ``# REVIEW:`` comments.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.instructor import calendar_table, emit, markdown
from bot.instructor.course_info import build_course_info
from bot.instructor.dates import term_year
from bot.instructor.lists import import_policies, import_readings, import_resources
from bot.instructor.markdown import Section
from bot.instructor.people import LABEL
from bot.instructor.words import LABEL_ROLES, role_of

log = logging.getLogger(__name__)
URL = re.compile(r"^(https?://|mailto:|[\w./#-]+$)")  # what schema.Url accepts
LOGISTICS = {"office_hours", "meeting", "location", "staff", "textbook", "prerequisites", "description"}
HEADER = ("Imported by `coursebot import` from {source}.\n"
          "Comments starting with REVIEW mark guesses: check each, then delete the comment.")


@dataclass
class ImportResult:
    data: dict[str, dict[str, Any]]  # file name -> YAML data (values may be emit.Guess)
    unplaced: list[str] = field(default_factory=list)

    @property
    def guesses(self) -> int:
        return sum(emit.count_guesses(value) for value in self.data.values())

    def texts(self, source: str) -> dict[str, str]:
        header = HEADER.format(source=source)
        return {name: emit.document(body, header) for name, body in self.data.items()}

    def write(self, directory: Path, source: str) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in self.texts(source).items():
            path = directory / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written


def import_page(text: str, near_year: int) -> ImportResult:
    """Read the page; ``near_year`` breaks ties when neither term nor weekdays fix the year."""
    root = markdown.parse(text)
    top = next((s for s in root.children if s.level == 1), root)
    roles, parents, guessed = classify(top if top is not root else root)
    for block in root.blocks + (top.blocks if top is not root else []):
        _labelled_fact(block, roles)
    unplaced: list[str] = []
    page_text = "\n".join(b.plain for b in root.all_blocks()) + "\n" + top.title
    preamble = [b for b in root.blocks + (top.blocks if top is not root else []) if not b.used]
    info = build_course_info(top.title, roles, page_text, unplaced, preamble)
    tables = [b for s in root.walk() for b in s.blocks if b.kind == "table" and calendar_table.is_calendar(b)]
    tables += [calendar_table.list_as_table(s) for s in roles.get("calendar", []) if calendar_table.dated_items(s)]
    term = term_year(top.title) or term_year(page_text)
    calendar = calendar_table.import_calendar(tables, term[1] if term else None, near_year)
    unplaced += calendar.unplaced
    if not calendar.sessions:
        unplaced.append("no calendar table (a table with a Date column) found; calendar.yaml needs sessions")
    data = {
        "course.yaml": info,
        "calendar.yaml": {"sessions": calendar.sessions},
        "policies.yaml": {"policies": import_policies(roles.get("policies", []), guessed)},
        "readings.yaml": {"topics": import_readings(roles.get("readings", []), unplaced)},
        "resources.yaml": {"resources": import_resources([(s, parents[id(s)]) for s in roles.get("resources", [])],
                                                         unplaced)},
    }
    unplaced += _leftovers(root)
    for body in data.values():
        _drop_bad_urls(body, unplaced)
    return ImportResult(data, unplaced)


def classify(top: Section) -> tuple[dict[str, list[Section]], dict[int, list[str]], set[int]]:
    """role -> sections (page order); each section's parent titles; sections kept as policies by guess."""
    roles: dict[str, list[Section]] = {}
    parents: dict[int, list[str]] = {}
    guessed: set[int] = set()

    def visit(section: Section, inherited: str | None, trail: list[str]) -> None:
        own = role_of(section.title)
        role = own if own and (inherited is None or own in LOGISTICS) else inherited
        if role is None and section.blocks:
            role = "policies"
            guessed.add(id(section))
        if role:
            roles.setdefault(role, []).append(section)
            parents[id(section)] = trail
        for child in section.children:
            visit(child, role if role != "policies" or id(section) not in guessed else None,
                  [*trail, section.title])

    for child in top.children:
        visit(child, None, [])
    return roles, parents, guessed


def _labelled_fact(block: markdown.Block, roles: dict[str, list[Section]]) -> None:
    """ "**Lectures:** MWF 10-10:50am in Harris 107" outside any section: file it under its label's role.

    A paragraph of several such lines ("Time: ...", "Location: ...") gives one fact per line.
    """
    lines = block.lines if block.kind == "para" and len(block.lines) > 1 else [(block.line, block.text)]
    placed = [_labelled_line(number, text, block.kind, roles) for number, text in lines]
    block.used = all(placed)


def _labelled_line(number: int, text: str, kind: str, roles: dict[str, list[Section]]) -> bool:
    match = LABEL.match(text.strip())
    label = markdown.plain(match[1]) if match else ""
    role = (role_of(label) or LABEL_ROLES.get(label.lower())) if match else None
    if match and role in LOGISTICS:
        value = markdown.Block(kind, number, match[2])
        roles.setdefault(role, []).append(Section(7, label, number, [value]))
        return True
    return False


def _drop_bad_urls(node: Any, unplaced: list[str]) -> None:
    """A link the schema cannot take (a relative path with spaces, "?" or "%") is left out and reported."""
    node = emit.unwrap(node)
    if isinstance(node, dict):
        url = emit.unwrap(node.get("url"))
        if isinstance(url, str) and not URL.match(url):
            del node["url"]
            unplaced.append(f"link {url!r} is not a full URL or a plain relative path; left out")
        for key, value in list(node.items()):
            _drop_bad_urls(value, unplaced)
            if key == "links" and isinstance(value, list):
                node[key] = [item for item in value if "url" in emit.unwrap(item)]
    elif isinstance(node, list):
        for item in node:
            _drop_bad_urls(item, unplaced)


def _leftovers(root: Section) -> list[str]:
    """Every block nothing claimed, except navigation bars."""
    left = []
    for section in root.walk():
        for block in section.blocks:
            if block.used or (block.kind == "table" and not _has_words(block)):
                continue
            where = f" under {section.title!r}" if section.title else ""
            left.append(f"line {block.line}{where}: not placed: {block.plain[:70]!r}")
    return left


def _has_words(table: markdown.Block) -> bool:
    return any(markdown.plain(cell) and not cell.strip().startswith("[") for row in table.rows for cell in row)
