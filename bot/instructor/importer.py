"""A course web page (Markdown or saved HTML) -> the knowledge YAML files, plus what could not be placed.

The page is parsed into one document model (document.py) by markdown-it-py or lxml; each
section gets a role from its heading (typos forgiven), each "Label: value" line goes where
its label says, and each consumer reads its part: course facts and staff (course_info,
people), the schedule (calendar_table, rows, schedule), deliverables described elsewhere
(assignments), policies, readings and resources (lists). Guesses carry ``# REVIEW:``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.instructor import calendar_table, emit
from bot.instructor.assignments import (
    apply_kinds,
    apply_worth,
    deliverable_line,
    exam_parts,
    graded_event,
    grading_rule,
    section_kinds,
    worth_rules,
)
from bot.instructor.course_info import Info, build_course_info
from bot.instructor.dates import DayText, day_range, days_in, term_year, undecided
from bot.instructor.document import MAX_TEXT_CHARS, Block, Document, Inline, Section, sentences
from bot.instructor.gather import Gathered, Item, gather
from bot.instructor.links import sweep_links
from bot.instructor.lists import import_readings, import_resources, session_readings
from bot.instructor.policies import build_policies
from bot.instructor.read_html import read_html
from bot.instructor.read_md import read_markdown
from bot.instructor.schedule import apply_due_time, import_calendar, page_due_time
from bot.instructor.staff_table import is_staff_table
from bot.instructor.words import cancels_class, exam_in
from bot.instructor.write import write_files

log = logging.getLogger(__name__)
MAX_PAGE_BYTES = 2_000_000  # a real course page is well under 200 kB; bigger input is refused, not parsed
URL = re.compile(r"^(https?://|mailto:|[\w./#-]+$)")  # what schema.Url accepts
HEADER = ("Imported by `coursebot import` from {source}.\n"
          "Comments starting with REVIEW mark guesses: check each, then delete the comment.")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class PageError(Exception):
    """The page cannot be imported (one line for the user)."""


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

    def write(self, directory: Path, source: str, force: bool = True) -> list[Path]:
        return write_files(directory, self.texts(source), force=force)


GENERAL_DUE_SENTENCES = ("homework is due", "items", "everything", "readings", "all ")  # rules, not deliverables


def read_page(path: Path) -> str:
    """The page's text: a regular file, at most MAX_PAGE_BYTES, UTF-8."""
    if path.is_dir():
        raise PageError(f"course page {path} is a folder, not a file")
    if not path.exists():
        raise PageError(f"course page {path} does not exist")
    if not path.is_file():
        raise PageError(f"course page {path} is not a regular file")
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:
        raise PageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(raw) > MAX_PAGE_BYTES:
        raise PageError(f"{path} is larger than {MAX_PAGE_BYTES // 1_000_000} MB; a course page is far smaller "
                        "(save only the page itself, without pictures or scripts)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PageError(f"{path} is not UTF-8 text") from exc


def import_file(path: Path, near_year: int, timezone: str | None = None) -> ImportResult:
    text = read_page(path)
    kind = "html" if path.suffix.lower() in HTML_SUFFIXES or _looks_like_html(text) else "md"
    return import_page(text, near_year, kind=kind, timezone=timezone)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def import_page(text: str, near_year: int, kind: str = "md", timezone: str | None = None) -> ImportResult:
    """Read the page; ``near_year`` breaks ties when neither term nor weekdays fix the year."""
    if len(text) > MAX_PAGE_BYTES:
        raise PageError(f"the page is larger than {MAX_PAGE_BYTES // 1_000_000} MB")
    doc = read_html(text) if kind == "html" else read_markdown(text)
    return _import(doc, near_year, timezone)


def _import(doc: Document, near_year: int, timezone: str | None) -> ImportResult:
    root = doc.root
    gathered = gather(root)
    top = next((s for s in root.children if s.level == 1), None)
    titles = [t for t in (top.title if top else "", doc.title) if t]
    titles += [s.title for s in root.walk() if term_year(s.title) and len(s.title.split()) <= 3][:1]
    page_text = "\n".join([*titles, *(b.plain for b in root.all_blocks())])
    unplaced = [f"line {line}: longer than {MAX_TEXT_CHARS:,} characters; only its start was read" for line in doc.cut]
    untitled = [b for s in root.walk() if s.level > 1 and gathered.role_of_section.get(id(s)) is None for b in s.blocks]
    info = Info(gathered, page_text, unplaced, preamble=root.blocks + (top.blocks if top else []), untitled=untitled)
    course = build_course_info(titles, info, timezone)
    extra, rules, used = _assignments(gathered, course["undetermined"])
    grading_tables = _grading_tables(gathered, rules)
    rows = [row for s in root.walk() for b in s.blocks if calendar_table.is_calendar(b)
            for row in calendar_table.table_rows(b)]
    rows += [row for s in gathered.roles.get("calendar", []) for row in calendar_table.list_rows(s)]
    extra += _calendar_paragraphs(gathered)
    term = term_year(" ".join(titles)) or term_year(page_text)
    calendar = import_calendar(rows, term[1] if term else None, near_year, extra, _days_off(gathered))
    apply_worth(calendar.sessions, rules)
    apply_due_time(calendar.sessions, page_due_time(page_text))
    apply_kinds(calendar.sessions, section_kinds(gathered.items))
    unplaced += calendar.unplaced
    course["undetermined"] += [{k: v for k, v in u.items() if v} for u in calendar.undetermined
                               if {k: v for k, v in u.items() if v} not in course["undetermined"]]
    if not calendar.sessions:
        unplaced.append("no calendar table (a table with a Date column) or dated schedule lines found; "
                        "calendar.yaml needs sessions")
    used |= info.used_items
    readings = import_readings(gathered.roles.get("readings", []), unplaced) + session_readings(calendar.readings)
    readings += _labelled_readings(gathered)
    resources = import_resources([(s, gathered.parents[id(s)]) for s in gathered.roles.get("resources", [])], unplaced)
    resources += sweep_links(root, gathered, course, calendar.sessions, readings, resources)
    data = {
        "course.yaml": course,
        "calendar.yaml": {"sessions": calendar.sessions},
        "policies.yaml": {"policies": build_policies(gathered, used, grading_tables)},
        "readings.yaml": {"topics": readings},
        "resources.yaml": {"resources": resources},
    }
    for item in gathered.items:
        if id(item) in used:
            item.block.used = True
    unplaced += _leftovers(root)
    for body in data.values():
        _drop_bad_urls(body, unplaced)
    return ImportResult(data, unplaced)


def _assignments(gathered: Gathered, pending: list[dict[str, Any]]) -> tuple[list[Any], list[Any], set[int]]:
    """Dated deliverable lines outside the schedule, and "N points each" rules (their lines stay policies);
    an exam whose date is "TBA" goes to ``pending`` (not decided yet)."""
    extra, rules, used = [], [], set()
    for item in gathered.items:
        rules += worth_rules(item.label, item.value)
    for item, value in _sentences_or_lines(gathered.items):
        if item.role not in ("assignments", "policies"):
            continue
        exam = exam_in(item.label or value.plain[:60])
        if exam and undecided(value.plain) and not days_in(value.plain):  # "Final exam: TBA (finals week)"
            pending.append({"field": "exam", "what": f"The {(item.label or exam[0]).lower()} date and room",
                            "note": value.plain})
            used.add(id(item))
            continue
        if exam and undecided(value.plain):  # "Final exam — Tue Dec 8, 10:15am, room to be announced"
            pending.append({"field": "exam", "what": f"The {(item.label or exam[0]).lower()} room",
                            "note": value.plain})
        dated = item.role == "assignments" or re.search(r"\bdue\b", value.plain, re.IGNORECASE) or (
            exam is not None and days_in(value.plain))
        parts = exam_parts(value) if dated else []
        pieces = [deliverable_line("", part, item.section.title) for part in parts]
        piece = deliverable_line(item.label, value, item.section.title) if dated and not parts else None
        extra += [found for found in pieces if found]
        if piece:
            extra.append(piece)
            if item.role == "assignments" and item.block.kind == "item":
                used.add(id(item))
                item.block.used = True
    return extra, rules, used


def _days_off(gathered: Gathered) -> list[tuple[DayText, str]]:
    """Classes that do not meet, said outside the schedule's rows: "There is no discussion section on Friday,
    January 15", "Class will not meet on Tuesday, October 13 (mid-semester break)". One sentence, one or
    more single days; a range ("no classes Mar 8–12") or "the week of" is left to the schedule."""
    texts = [Inline(f"{item.label}: {item.value.text}" if item.label else item.value.text) for item in gathered.items]
    texts += [block.content for section in gathered.roles.get("calendar", []) for block in section.blocks
              if block.table is None and not block.used]
    found = []
    for text in texts:
        for sentence in sentences(Inline(text.text.replace("\n", " "))):
            plain = sentence.plain
            if not cancels_class(plain) or day_range(plain) or re.search(r"\bweek[ \t]of\b", plain, re.IGNORECASE):
                continue
            found += [(day, plain.strip(" *_")) for day in days_in(plain)[:3]]
    return found


def _sentences_or_lines(items: list[Item]) -> list[tuple[Item, Inline]]:
    """Each item with its text: a labelled line whole ("**Midterm:** Wed Oct 22, 7–9pm"), other text a
    sentence at a time, so one sentence's date is not another's ("Problem sets are due at 11:59pm. The
    midterm is during the Thu Mar 4 lecture."). A paragraph of unlabelled lines of one role is read whole
    first, so a sentence wrapped across source lines stays one sentence."""
    blocks: dict[int, list[Item]] = {}
    for item in items:
        blocks.setdefault(id(item.block), []).append(item)
    result, seen = [], set()
    for item in items:
        group = blocks[id(item.block)]
        whole = item.block.kind == "para" and len(group) > 1 and all(
            not other.label and other.role == item.role for other in group)
        if item.label:
            result.append((item, item.value))
        elif not whole or id(item.block) not in seen:
            seen.add(id(item.block))
            content = item.block.content if whole else item.value
            text = Inline(content.text.replace("\n", " "), content.links, content.marks)
            result += [(item, sentence) for sentence in _own_sentences(text)]
    return result


def _own_sentences(text: Inline) -> list[Inline]:
    """Sentences, a sentence about the one before ("It is due Dec 9.", "Due Fri.") kept with it."""
    found: list[Inline] = []
    for sentence in sentences(text):
        if found and re.match(r"(?:due|it|it's|this|that|they|these|both|each)\b", sentence.text, re.IGNORECASE):
            found[-1] = text.slice(text.text.find(found[-1].text), text.text.find(sentence.text) + len(sentence.text))
        else:
            found.append(sentence)
    return found


def _grading_tables(gathered: Gathered, rules: list[Any]) -> list[tuple[Section, Block]]:
    tables = []
    for section in gathered.roles.get("policies", []) + gathered.roles.get("assignments", []):
        for block in section.blocks:
            if block.table is None or calendar_table.is_calendar(block) or is_staff_table(block):
                continue
            tables.append((section, block))
            column = _points_column(block.table.header)
            for row in block.table.rows:
                if len(row) >= 2:
                    rules += grading_rule(row[0].plain, row[column if column < len(row) else -1].plain)
    return tables


def _points_column(header: tuple[Inline, ...]) -> int:
    """The column a grading table gives points in: | Item | Points | Share | reads "Points", not the share
    (a share of the grade is used only when the table gives no points)."""
    return next((i for i, cell in enumerate(header) if i and re.fullmatch(r"(?i)[ \t]*(?:points?|pts\.?|max(?:imum)?"
                                                                          r"[ \t]points?)[ \t]*", cell.plain)), -1)


def _calendar_paragraphs(gathered: Gathered) -> list[Any]:
    """ "**Final project report due Wednesday, December 9 at 11:59pm (25%).**" under a schedule heading."""
    found = []
    for section in gathered.roles.get("calendar", []):
        for block in section.blocks:
            if block.table is not None or block.used:
                continue
            for _, line in block.text_lines():
                for sentence in (s.plain for s in sentences(Inline(line.plain))):
                    general = sentence.lower().startswith(GENERAL_DUE_SENTENCES)
                    if (re.search(r"\bdue\b", sentence, re.IGNORECASE) or exam_in(sentence)
                            or graded_event(sentence)) and not general:

                        piece = deliverable_line("", Inline(sentence), section.title)
                        if piece and piece.item["name"] and not undecided(piece.item["name"]):
                            found.append(piece)
                            block.used = True
    return found


def _labelled_readings(gathered: Gathered) -> list[dict[str, Any]]:
    from bot.instructor.lists import reading

    topics = []
    for item in gathered.of("readings"):
        found = reading(item.value)
        if found:
            topics.append({"topic": item.label or item.section.title or "Readings", "items": [found]})
            item.block.used = True
    return topics


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
    """Every block nothing claimed, except navigation bars (lines of in-page links)."""
    left = []
    for section in root.walk():
        for block in section.blocks:
            if block.used or _navigation(block):
                continue
            where = f" under {section.title!r}" if section.title else ""
            left.append(f"line {block.line}{where}: not placed: {block.plain[:70]!r}")
    return left


def _navigation(block: Block) -> bool:
    if block.table is not None:
        cells = [c for row in (block.table.header, *block.table.rows) for c in row if c.plain]
        return all(c.links and all(k.url.startswith("#") for k in c.links) for c in cells)
    links = block.links
    rest = block.content.text
    for link in reversed(links):
        rest = rest[: link.start] + rest[link.end:]
    return bool(links) and all(k.url.startswith("#") for k in links) and not rest.strip(" |*·•-")
