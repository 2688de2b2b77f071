"""The document model the importer walks, whatever the page was written in (Markdown or HTML).

A page is a tree of sections (a heading and what follows it, down to the next heading of
the same or a higher level). A section holds blocks: paragraphs, list items (with their
nesting depth) and tables (header cells and body rows). Every piece of text is an
``Inline``: plain text, with ``\\n`` where the source broke the line, plus the links
(text and target) and emphasis marks it carries, as offsets into that text. Every block
and every line knows its source line, so the importer can say where a fact came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

MAX_TEXT_CHARS = 10_000  # a paragraph or cell longer than this is not a course fact: only its start is read
_BARE_URL = re.compile(r"https?://[^\s<>\"'`]{1,2000}")
_URL_TAIL = ".,;:!?)]}*_"  # punctuation after a bare URL belongs to the sentence


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    start: int = 0  # offsets into the owning Inline's text
    end: int = 0


@dataclass(frozen=True)
class Mark:
    kind: str  # "strong" | "em" | "code"
    start: int
    end: int


@dataclass(frozen=True)
class Inline:
    """Text as a reader sees it, with its links and emphasis."""

    text: str = ""
    links: tuple[Link, ...] = ()
    marks: tuple[Mark, ...] = ()

    @property
    def plain(self) -> str:
        return " ".join(self.text.split())

    def __bool__(self) -> bool:
        return bool(self.text.strip())

    def slice(self, start: int, end: int | None = None) -> Inline:
        end = len(self.text) if end is None else end
        links = tuple(replace(link, start=max(link.start, start) - start, end=min(link.end, end) - start)
                      for link in self.links if link.start < end and link.end > start)
        marks = tuple(Mark(mark.kind, max(mark.start, start) - start, min(mark.end, end) - start)
                      for mark in self.marks if mark.start < end and mark.end > start)
        return Inline(self.text[start:end], links, marks)

    def strip(self, chars: str | None = None) -> Inline:
        left = len(self.text) - len(self.text.lstrip(chars))
        right = len(self.text.rstrip(chars))
        return self.slice(left, max(left, right))

    def lines(self) -> list[Inline]:
        result, start = [], 0
        for index, char in enumerate(self.text):
            if char == "\n":
                result.append(self.slice(start, index))
                start = index + 1
        result.append(self.slice(start))
        return result

    def links_in(self, start: int, end: int) -> list[Link]:
        return [link for link in self.links if link.start < end and link.end > start]

    def marked(self, kind: str) -> list[str]:
        return [self.text[mark.start:mark.end] for mark in self.marks if mark.kind == kind]

    def leading_mark(self, kind: str = "strong") -> Mark | None:
        """The emphasis that opens the text ("**Lectures:** ..."), if any."""
        offset = len(self.text) - len(self.text.lstrip())
        return next((m for m in self.marks if m.kind == kind and m.start <= offset < m.end), None)

    def with_bare_urls(self) -> Inline:
        """Also link URLs written as plain text ("see https://x.org.")."""
        extra = []
        for match in _BARE_URL.finditer(self.text):
            start, end = match.start(), match.start() + len(match[0].rstrip(_URL_TAIL))
            if not self.links_in(start, end):
                extra.append(Link(self.text[start:end], self.text[start:end], start, end))
        return replace(self, links=tuple(sorted((*self.links, *extra), key=lambda link: link.start)))


EMPTY = Inline()
SENTENCE_END = r"[.!?][\"'”’)]?[ \t\n]{1,3}(?=[\"“(]?[A-Z])"  # a candidate: see ends_sentence
# words whose full stop does not end a sentence: titles, Latin and reference abbreviations, weekdays and months
ABBREVIATIONS = frozenset((
    "prof", "dr", "mr", "mrs", "ms", "mx", "st", "jr", "sr", "rev", "hon", "vs", "al", "eg", "ie", "cf", "viz",
    "approx", "ed", "eds", "ch", "chs", "pp", "p", "no", "nos", "fig", "figs", "sec", "vol", "vols", "eq", "eqs",
    "ex", "dept", "univ", "assoc", "asst", "inc", "ltd", "co", "mon", "tue", "tues", "wed", "thu", "thur", "thurs",
    "fri", "sat", "sun", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"))


def join_lines(parts: list[Inline]) -> Inline:
    """The parts one per line, their links and marks moved to where each part now starts."""
    text, links, marks = "", [], []
    for part in parts:
        if text:
            text += "\n"
        offset = len(text)
        links += [Link(k.text, k.url, k.start + offset, k.end + offset) for k in part.links]
        marks += [Mark(m.kind, m.start + offset, m.end + offset) for m in part.marks]
        text += part.text
    return Inline(text, tuple(links), tuple(marks))


def ends_sentence(text: str, stop: int) -> bool:
    """Whether the "." / "!" / "?" at ``stop`` ends a sentence: not after an abbreviation ("Prof.", "e.g.",
    "Fri."), an initial ("J. Smith", "U.S.") or a number's point."""
    if text[stop] != ".":
        return True
    word = re.search(r"([A-Za-z.]{1,12})$", text[:stop])
    if not word:
        return True
    token = word[1]
    if token.lower() in ("a.m", "p.m"):
        return True  # "... 2:20 p.m. Lectures are recorded": a time ends the sentence far more often than not
    if re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", token) and (len(token) == 1 or "." in token):
        return False  # an initial, or a run of them: "J.", "e.g", "U.S"
    if token.isupper() and len(token) == 1:
        return False
    return token.replace(".", "").lower() not in ABBREVIATIONS


def split(content: Inline, pattern: str) -> list[Inline]:
    """Cut at ``pattern`` outside brackets; a piece keeps its full stop ("Dr. X" and "et al." are not cuts)."""
    parts, start = [], 0
    for match in re.finditer(pattern, content.text):
        if content.text.count("(", 0, match.start()) > content.text.count(")", 0, match.start()):
            continue
        if pattern == SENTENCE_END and not ends_sentence(content.text, match.start()):
            continue
        kept = len(match[0].rstrip(" \t\n")) if match[0][:1] in ".!?" else 0  # the full stop (and a closing quote)
        parts.append(content.slice(start, match.start() + kept))
        start = match.end()
    parts.append(content.slice(start))
    return [part.strip() for part in parts if part.text.strip()]


def sentences(content: Inline) -> list[Inline]:
    return split(content, SENTENCE_END)


@dataclass(frozen=True)
class Table:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    row_lines: tuple[int, ...]  # source line of each body row

    def cell(self, row: tuple[Inline, ...], index: int | None) -> Inline:
        return row[index] if index is not None and index < len(row) else EMPTY


@dataclass(eq=False)
class Block:
    """A paragraph, a list item or a table; ``used`` once the importer has placed it."""

    kind: str  # "para" | "item" | "table"
    line: int
    content: Inline = EMPTY
    table: Table | None = None
    depth: int = 0  # list nesting: 0 for a top-level item
    quoted: bool = False
    line_numbers: tuple[int, ...] = ()  # source line of each "\n"-separated line of content
    used: bool = False

    @property
    def plain(self) -> str:
        if self.table is not None:
            cells = [*self.table.header, *(cell for row in self.table.rows for cell in row)]
            return " | ".join(cell.plain for cell in cells if cell)
        return self.content.plain

    @property
    def links(self) -> list[Link]:
        return list(self.content.links)

    def text_lines(self) -> list[tuple[int, Inline]]:
        """(source line, text) for each line of a paragraph or item."""
        lines = self.content.lines()
        numbers = list(self.line_numbers) + [self.line] * len(lines)
        return [(numbers[i] if i < len(self.line_numbers) else self.line + i, line) for i, line in enumerate(lines)]


@dataclass(eq=False)
class Section:
    level: int  # 0 for the page itself, 1-6 for headings, 7 for a bold line standing as a heading
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def walk(self) -> Iterator[Section]:
        stack = [self]
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.children))

    def all_blocks(self) -> list[Block]:
        return [block for section in self.walk() for block in section.blocks]


@dataclass
class Document:
    root: Section
    title: str = ""  # the HTML <title> or the front matter's title, when the page has one
    cut: list[int] = field(default_factory=list)  # lines of blocks longer than MAX_TEXT_CHARS (only their start read)


class Builder:
    """Collects headings and blocks in page order into a section tree (both readers use it)."""

    def __init__(self) -> None:
        self.root = Section(0, "", 0)
        self._stack = [self.root]
        self.cut: list[int] = []  # lines of blocks too long to read whole

    def heading(self, level: int, title: str, line: int) -> None:
        title = " ".join(title.split())
        if not title:
            return
        while self._stack[-1].level >= level:
            self._stack.pop()
        section = Section(level, title, line)
        self._stack[-1].children.append(section)
        self._stack.append(section)

    def block(self, block: Block) -> None:
        if block.table is not None or block.content:
            if len(block.content.text) > MAX_TEXT_CHARS:
                block.content = block.content.slice(0, MAX_TEXT_CHARS)
                self.cut.append(block.line)
            if block.table is not None:
                block.table = self._short_cells(block.table, block.line)
            else:
                block.content = block.content.with_bare_urls()
            self._stack[-1].blocks.append(block)

    def _short_cells(self, table: Table, line: int) -> Table:
        if all(len(cell.text) <= MAX_TEXT_CHARS for row in (table.header, *table.rows) for cell in row):
            return table
        self.cut.append(line)

        def short(row: tuple[Inline, ...]) -> tuple[Inline, ...]:
            return tuple(cell.slice(0, MAX_TEXT_CHARS) for cell in row)
        return Table(short(table.header), tuple(short(row) for row in table.rows), table.row_lines)

    def paragraph(self, content: Inline, line: int, numbers: tuple[int, ...], quoted: bool = False) -> None:
        """A paragraph that is one short bold phrase ("**Key dates**") stands as a minor heading."""
        strong = content.leading_mark()
        text = content.text.strip()
        if strong and len(content.marks) == 1 and content.text[strong.start:strong.end].strip(" :") == text.strip(
                " :") and len(text) <= 60 and not any(ch.isdigit() for ch in text) and "\n" not in text:
            self.heading(7, text.strip(" :"), line)
            return
        self.block(Block("para", line, content, line_numbers=numbers, quoted=quoted))
