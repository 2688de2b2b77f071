"""A small Markdown reader for course pages: sections, paragraphs, tables, lists, links.

It keeps the line number of everything so the importer can say where a fact came
from and what it could not place. It is not a full CommonMark parser: it reads the
structure course pages use (ATX/setext headings, pipe tables, lists, paragraphs,
bold-only lines as minor headings) and ignores HTML anchors and navigation bars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$")
_BOLD_HEADING = re.compile(r"^\s*(?:\*\*|__)([^*_]{2,80}?)(?:\*\*|__)\s*:?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*+])\s+(.*)$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)>\"]*?)>?\s*(?:\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass
class Block:
    """A paragraph, list item or table; ``text`` is the raw Markdown of it."""

    kind: str  # "para" | "item" | "table"
    line: int
    text: str
    rows: list[list[str]] = field(default_factory=list)  # tables: header first, cells raw
    used: bool = False
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, raw line) as written

    @property
    def plain(self) -> str:
        return plain(self.text)

    @property
    def links(self) -> list[Link]:
        return links(self.text)


@dataclass
class Section:
    level: int
    title: str
    line: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all_blocks(self) -> list[Block]:
        return [block for section in self.walk() for block in section.blocks]


def links(text: str) -> list[Link]:
    found = [Link(plain(m[1]), m[2]) for m in _LINK.finditer(text) if not m[0].startswith("!")]
    found += [Link(m[1], m[1]) for m in _AUTOLINK.finditer(text)]
    return [link for link in found if link.url and not link.url.startswith("#")]


def plain(text: str) -> str:
    """Markdown inline text as plain words: links keep their text, emphasis and tags go."""
    text = _LINK.sub(lambda m: m[1], text)
    text = _AUTOLINK.sub(lambda m: m[1], text)
    text = _HTML_TAG.sub(" ", text)
    for _ in range(3):
        text = _EMPHASIS.sub(lambda m: m[2], text)
    text = text.replace("**", "").replace("\\", "")
    return re.sub(r"\s+", " ", text).strip()


def parse(markdown: str) -> Section:
    """The page as a tree of sections under a root (level 0)."""
    root = Section(0, "", 0)
    stack = [root]
    lines = markdown.splitlines()
    pending: list[tuple[int, str]] = []

    def flush() -> None:
        if pending:
            stack[-1].blocks.extend(_blocks(pending))
            pending.clear()

    i = 0
    while i < len(lines):
        number, line = i + 1, lines[i]
        in_paragraph = bool(pending) and bool(pending[-1][1].strip())
        heading = _heading(line, lines[i + 1] if i + 1 < len(lines) else "", in_paragraph)
        if heading:
            flush()
            level, title = heading
            while stack[-1].level >= level:
                stack.pop()
            section = Section(level, title, number)
            stack[-1].children.append(section)
            stack.append(section)
            underline = lines[i + 1] if i + 1 < len(lines) else ""
            i += 2 if _is_setext(underline) and not line.lstrip().startswith("#") else 1
            continue
        pending.append((number, line))
        i += 1
    flush()
    return root


def _is_setext(line: str) -> bool:
    return bool(re.fullmatch(r"\s*(=+|-{3,})\s*", line))


def _heading(line: str, following: str, in_paragraph: bool) -> tuple[int, str] | None:
    match = _HEADING.match(line)
    if match and (match[2] or match[1]):
        return len(match[1]), plain(match[2])
    stripped = line.strip()
    if stripped and not in_paragraph and _is_setext(following) and not stripped.startswith(("|", "-", "*")):
        return (1 if following.strip().startswith("=") else 2), plain(stripped)
    bold = _BOLD_HEADING.match(line)
    if bold and not in_paragraph and not following.strip():
        return 6, plain(bold[1])
    return None


def _blocks(lines: list[tuple[int, str]]) -> list[Block]:
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []
    kind = ""

    def close() -> None:
        nonlocal kind
        if current:
            blocks.append(_make(kind, current))
        current.clear()
        kind = ""

    for number, line in lines:
        stripped = line.strip()
        if not stripped or _is_noise(stripped):
            if kind != "table" or not stripped:
                close()
            continue
        line_kind = "table" if stripped.startswith("|") else ("item" if _LIST_ITEM.match(line) else "")
        if line_kind == "item" or (line_kind == "table" and kind != "table") or (kind == "table" and not line_kind):
            close()
        kind = line_kind or kind or "para"
        current.append((number, line))
    close()
    return [block for block in blocks if block.text.strip()]


def _is_noise(line: str) -> bool:
    """HTML anchors and "back to top" links carry nothing a student asks about."""
    if re.fullmatch(r"(<a\s+name=[^>]*>\s*</a>\s*)+", line, re.IGNORECASE):
        return True
    only_anchors = _LINK.sub("", line).strip(" |*")
    return not only_anchors and all(link.startswith("#") for link in re.findall(r"\]\(([^)]*)\)", line))


def _make(kind: str, lines: list[tuple[int, str]]) -> Block:
    first = lines[0][0]
    if kind == "table":
        rows = [_cells(line) for _, line in lines if not _TABLE_SEPARATOR.match(line)]
        has_header = len(lines) > 1 and _TABLE_SEPARATOR.match(lines[1][1])
        return Block("table", first, "\n".join(line for _, line in lines), rows if has_header else [[], *rows],
                     lines=list(lines))
    text = " ".join(line.strip() for _, line in lines)
    if kind == "item":
        match = _LIST_ITEM.match(lines[0][1])
        assert match
        text = " ".join([match[1].strip()] + [line.strip() for _, line in lines[1:]])
    return Block(kind or "para", first, text, lines=list(lines))


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", body)]
