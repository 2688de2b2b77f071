"""A saved HTML course page -> the document model, with lxml's HTML parser (libxml2).

The parser repairs tag soup (unclosed ``<p>``, ``<li>``, ``<td>``) and gives every element
its source line. This module walks the tree once: headings open sections; paragraphs,
list items (with their nesting) and tables become blocks; inline elements become text
with link and emphasis spans; ``<br>`` breaks the line. Scripts, styles and navigation
bars carry nothing a student asks about and are skipped.
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree

from bot.instructor.document import Block, Builder, Document, Inline, Link, Mark, Table, join_lines

SKIP = {"script", "style", "noscript", "template", "svg", "nav", "head", "iframe", "object", "button", "select",
        "form", "input", "textarea", "canvas", "map", "video", "audio"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
LISTS = {"ul", "ol", "menu", "dl"}
ITEMS = {"li", "dt", "dd"}
BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre", "figure",
          "figcaption", "address", "center", "details", "summary", "body", "html", "hr", "fieldset", "caption",
          "table", "tr", "td", "th", "thead", "tbody", "tfoot", *HEADINGS, *LISTS, *ITEMS}
STRONG = {"b", "strong"}
EMPHASIS = {"i", "em", "cite", "u"}
MAX_DEPTH = 200  # deeper nesting than this is read as plain text (no page nests so far)


def read_html(text: str) -> Document:
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return Document(Builder().root)
    title = root.findtext(".//title") or ""
    walker = _Walker()
    body = root.find("body")
    walker.container(body if body is not None else root, 0, -1)
    return Document(walker.builder.root, " ".join(title.split()), walker.builder.cut)


def _tag(element: Any) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


class _Text:
    """Inline text being collected: whitespace collapsed as a browser shows it."""

    def __init__(self) -> None:
        self.text = ""
        self.links: list[Link] = []
        self.marks: list[Mark] = []
        self.line = 0

    def add(self, value: str | None, line: int) -> None:
        if not value:
            return
        words = " ".join(value.split())
        if not words:
            if self.text and not self.text.endswith((" ", "\n")):
                self.text += " "
            return
        if not self.line:
            self.line = line
        lead = " " if value[:1].isspace() and self.text and not self.text.endswith((" ", "\n")) else ""
        tail = " " if value[-1:].isspace() else ""
        self.text += lead + words + tail

    def newline(self) -> None:
        self.text = self.text.rstrip(" ") + "\n"

    def take(self) -> tuple[Inline, int]:
        raw = self.text
        left = len(raw) - len(raw.lstrip())
        inline = Inline(raw, tuple(self.links), tuple(self.marks)).slice(left, len(raw.rstrip()))
        lines = inline.lines()
        cleaned = "\n".join(line.text.strip() for line in lines)
        result = inline if cleaned == inline.text else join_lines([line.strip() for line in lines])
        line = self.line
        self.text, self.links, self.marks, self.line = "", [], [], 0
        return result, line


class _Walker:
    def __init__(self) -> None:
        self.builder = Builder()

    def container(self, element: Any, depth: int, list_depth: int) -> None:
        """Children of a block element: runs of inline content become paragraphs."""
        buffer = _Text()
        buffer.add(element.text, element.sourceline or 0)
        for child in element:
            tag = _tag(child)
            if tag in SKIP or not tag:
                pass
            elif tag in BLOCKS and depth < MAX_DEPTH:
                self._flush(buffer)
                self._block(child, tag, depth + 1, list_depth)
            else:
                self._inline(child, buffer, depth + 1)
            buffer.add(child.tail, child.sourceline or 0)
        self._flush(buffer)

    def _flush(self, buffer: _Text) -> None:
        content, line = buffer.take()
        if content:
            self.builder.paragraph(content, line, _numbers(line, content))

    def _block(self, element: Any, tag: str, depth: int, list_depth: int) -> None:
        line = element.sourceline or 0
        if tag in HEADINGS:
            buffer = _Text()
            self._inline_children(element, buffer, depth)
            self.builder.heading(HEADINGS[tag], buffer.take()[0].plain, line)
        elif tag == "table":
            self._table(element, depth)
        elif tag in LISTS:
            self.container(element, depth, list_depth + 1)
        elif tag in ITEMS:
            self._item(element, depth, max(list_depth, 0))
        elif tag != "hr":
            self.container(element, depth, list_depth)

    def _item(self, element: Any, depth: int, list_depth: int) -> None:
        buffer = _Text()
        buffer.add(element.text, element.sourceline or 0)
        nested = []
        for child in element:
            tag = _tag(child)
            if tag in LISTS or tag == "table":
                nested.append((child, tag))
            elif tag and tag not in SKIP:
                if tag in BLOCKS:
                    buffer.newline()
                self._inline(child, buffer, depth + 1)
            buffer.add(child.tail, child.sourceline or 0)
        content, line = buffer.take()
        line = line or element.sourceline or 0
        if content:
            self.builder.block(Block("item", line, content, depth=list_depth, line_numbers=_numbers(line, content)))
        for child, tag in nested:
            self._block(child, tag, depth + 1, list_depth)

    def _inline(self, element: Any, buffer: _Text, depth: int) -> None:
        tag = _tag(element)
        if tag in SKIP:
            return
        if tag == "br":
            buffer.newline()
            return
        if tag == "img":
            buffer.add(element.get("alt"), element.sourceline or 0)
            return
        start = len(buffer.text)
        if tag in BLOCKS and buffer.text and not buffer.text.endswith("\n"):
            buffer.newline()
        self._inline_children(element, buffer, depth)
        end = len(buffer.text.rstrip())
        if tag == "a" and element.get("href") and end > start:
            text = " ".join(buffer.text[start:end].split())
            buffer.links.append(Link(text, element.get("href").strip(), start, end))
        elif tag in STRONG | EMPHASIS | {"code", "tt"} and end > start:
            kind = "strong" if tag in STRONG else "code" if tag in ("code", "tt") else "em"
            buffer.marks.append(Mark(kind, start, end))
        if tag in BLOCKS and tag not in ("td", "th"):
            buffer.newline()

    def _inline_children(self, element: Any, buffer: _Text, depth: int) -> None:
        buffer.add(element.text, element.sourceline or 0)
        for child in element:
            if depth < MAX_DEPTH:
                self._inline(child, buffer, depth + 1)
            else:
                buffer.add(child.text_content(), child.sourceline or 0)
            buffer.add(child.tail, child.sourceline or 0)

    def _table(self, element: Any, depth: int) -> None:
        rows: list[tuple[list[Inline], bool, int]] = []
        for row in element.iter("tr"):
            cells, all_th = [], True
            for cell in row:
                tag = _tag(cell)
                if tag not in ("td", "th"):
                    continue
                all_th = all_th and tag == "th"
                buffer = _Text()
                self._inline_children(cell, buffer, depth + 1)
                content = buffer.take()[0]
                span = _span(cell.get("colspan"))
                cells += [content] + [Inline()] * (span - 1)
            if cells:
                rows.append((cells, all_th or row.getparent() is not None and _tag(row.getparent()) == "thead",
                             row.sourceline or 0))
        if not rows:
            return
        first_is_header = rows[0][1] or not any(is_head for _, is_head, _ in rows)
        header = tuple(rows[0][0]) if first_is_header else ()
        body = rows[1:] if first_is_header else rows
        table = Table(header, tuple(tuple(cells) for cells, _, _ in body), tuple(line for _, _, line in body))
        self.builder.block(Block("table", element.sourceline or 0, table=table))


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1


def _numbers(line: int, content: Inline) -> tuple[int, ...]:
    return tuple(line for _ in range(content.text.count("\n") + 1))
