"""A Markdown course page -> the document model, with markdown-it-py (CommonMark + GFM tables).

markdown-it gives block tokens with source line ranges (``token.map``) and inline tokens
(text, links, emphasis, breaks); this module only turns them into sections and blocks.
Raw HTML inside the Markdown keeps its text (``<br>`` breaks the line); front matter is
read for its ``title``.
"""

from __future__ import annotations

import re

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from bot.instructor.document import Block, Builder, Document, Inline, Link, Mark, Table, join_lines

# markdown-it spends ~10-30 µs on each "[" or "*" of a run that opens nothing; a stretch of the page
# (between blank lines) with more of these than any real page has is read as plain text: it is
# indented into a code block, which markdown-it does not parse inline, and read back as a paragraph.
DELIMITER_FLOOD = 2000
_FLOODABLE = "[]*_<`!"
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]{0,500}>")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(front_matter_plugin)


_MD = _parser()


def read_markdown(text: str) -> Document:
    tokens = _MD.parse(defuse_floods(text))
    builder = Builder()
    title = ""
    depth = -1
    quoted = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "front_matter":
            title = _front_matter_title(token.content)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif kind == "blockquote_open":
            quoted += 1
        elif kind == "blockquote_close":
            quoted -= 1
        elif kind == "heading_open":
            builder.heading(int(token.tag[1]), inline(tokens[i + 1]).plain, _line(token))
            i += 2
        elif kind == "list_item_open":
            i = _item(tokens, i, depth, builder)
            continue
        elif kind == "paragraph_open":
            content = inline(tokens[i + 1])
            builder.paragraph(content, _line(token), _numbers(token, content), quoted=quoted > 0)
            i += 2
        elif kind == "table_open":
            i = _table(tokens, i, builder)
            continue
        elif kind in ("code_block", "fence"):  # code, or a stretch read as plain text (defuse_floods)
            content = Inline("\n".join(" ".join(line.split()) for line in token.content.splitlines()).strip())
            if content:
                builder.block(Block("para", _line(token), content, line_numbers=_numbers(token, content)))
        elif kind == "html_block":
            content = _html_text(token.content)
            if content:
                builder.paragraph(content, _line(token), _numbers(token, content))
        i += 1
    return Document(builder.root, title, builder.cut)


def defuse_floods(text: str) -> str:
    """Escape delimiter characters in any stretch between blank lines that holds too many of them."""
    parts = re.split(r"(\n[ \t]*\n)", text)
    for index, part in enumerate(parts):
        if len(part) > DELIMITER_FLOOD and sum(part.count(char) for char in _FLOODABLE) > DELIMITER_FLOOD:
            parts[index] = "\n".join("    " + line.lstrip() for line in part.split("\n"))
    return "".join(parts)


def _front_matter_title(content: str) -> str:
    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError:
        return ""
    title = data.get("title") if isinstance(data, dict) else None
    return str(title) if isinstance(title, str | int | float) else ""


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _numbers(token: Token, content: Inline) -> tuple[int, ...]:
    first = _line(token)
    return tuple(first + i for i in range(content.text.count("\n") + 1))


def _item(tokens: list[Token], i: int, depth: int, builder: Builder) -> int:
    """A list item: its own paragraphs become one item block; nested lists are items of their own."""
    start = tokens[i]
    parts: list[Inline] = []
    i += 1
    while i < len(tokens) and tokens[i].type not in ("list_item_close", "bullet_list_open", "ordered_list_open",
                                                      "table_open", "heading_open"):
        if tokens[i].type == "inline":
            parts.append(inline(tokens[i]))
        i += 1
    content = join_lines(parts)
    builder.block(Block("item", _line(start), content, depth=max(depth, 0), line_numbers=_numbers(start, content)))
    if i < len(tokens) and tokens[i].type == "list_item_close":
        i += 1
    return i


def _table(tokens: list[Token], i: int, builder: Builder) -> int:
    start = tokens[i]
    header: list[Inline] = []
    rows: list[tuple[Inline, ...]] = []
    lines: list[int] = []
    row: list[Inline] = []
    in_head = False
    while i < len(tokens) and tokens[i].type != "table_close":
        token = tokens[i]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row = []
            row_line = _line(token)
        elif token.type == "inline":
            row.append(inline(token))
        elif token.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(tuple(row))
                lines.append(row_line)
        i += 1
    builder.block(Block("table", _line(start), table=Table(tuple(header), tuple(rows), tuple(lines))))
    return i + 1


def inline(token: Token) -> Inline:
    """An inline token's children as text with link and emphasis spans."""
    text = ""
    links: list[Link] = []
    marks: list[Mark] = []
    opened: dict[str, list[int]] = {}
    href: list[tuple[str, int]] = []
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            if kind == "code_inline":
                marks.append(Mark("code", len(text), len(text) + len(child.content)))
            text += child.content
        elif kind in ("softbreak", "hardbreak"):
            text += "\n"
        elif kind == "html_inline":
            text += "\n" if _BR.fullmatch(child.content.strip()) else ""
        elif kind == "link_open":
            href.append((str(child.attrs.get("href", "")), len(text)))
        elif kind == "link_close" and href:
            url, begin = href.pop()
            links.append(Link(" ".join(text[begin:].split()), url, begin, len(text)))
        elif kind == "image":
            text += child.content
        elif kind.endswith("_open"):
            opened.setdefault(kind[:-5], []).append(len(text))
        elif kind.endswith("_close") and opened.get(kind[:-6]):
            begin = opened[kind[:-6]].pop()
            marks.append(Mark("strong" if kind.startswith("strong") else "em", begin, len(text)))
    return Inline(text, tuple(link for link in links if link.url), tuple(marks))


def _html_text(html: str) -> Inline:
    """Text of a raw HTML block inside Markdown (anchors like <a name="top"></a> have none)."""
    text = _TAG.sub("", _BR.sub("\n", html))
    return Inline("\n".join(" ".join(line.split()) for line in text.splitlines()).strip())
