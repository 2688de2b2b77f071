"""Reading lists, link lists and policy text -> readings.yaml, resources.yaml, policies.yaml."""

from __future__ import annotations

import re
from typing import Any

from bot.instructor.document import Block, Inline, Link, Section
from bot.instructor.emit import Guess
from bot.instructor.words import policy_aliases, policy_kind, resource_kind, unique_ids

_STAR = re.compile(r"^[ \t]{0,3}(?:\\?\*|★|⭐)[ \t]{0,3}")
_START_HERE = re.compile(r"\bstart(?:ing)?[ \t]{1,3}(?:here|with[ \t]this)\b", re.IGNORECASE)
_STARTING_POINT = re.compile(r"\b(?:good|decent|great|best)?[ \t]{0,3}starting[ \t]point\b|\bI'?d[ \t]start[ \t]with\b"
                             r"|\bif[ \t]you[ \t]read[ \t]only[ \t]one\b|\bread[ \t]this[ \t]first\b", re.IGNORECASE)
_GENERIC_LINK = re.compile(r"\[?(?:pdf|html|link|here|online|free[ \t]online|download|paper|article|url|web|"
                           r"website|preprint|arxiv|doi|full[ \t]text|read[ \t]online)\]?", re.IGNORECASE)
_CREDIT = re.compile(r"[^.]{0,200}(?:\b(?:worth|counts?[ \t](?:as|for))[ \t]{1,3}(?:\d{1,3}|one|two|three|extra)"
                     r"[ \t]{1,3}(?:points?|readings?|credit)\b"
                     r"|\bnot[ \t]{1,3}worth[ \t]{1,3}(?:any[ \t]{1,3})?points?\b)"
                     r"[^.]{0,200}", re.IGNORECASE)


def reading(content: Inline) -> dict[str, Any] | None:
    """One list item: the first link is the title; the rest of the text is the note."""
    found = [link for link in content.links if not link.url.startswith(("mailto:", "#"))]
    if not found:
        return None
    first = found[0]
    before = content.text[: first.start]
    starred = bool(_STAR.match(first.text)) or before.strip() in ("*", "★", "⭐", "\\*")
    title = _STAR.sub("", first.text).strip().strip('"“”')
    if _GENERIC_LINK.fullmatch(title) and (named := _title_beside(content, first)):
        title = named  # "<cite>Nudge</cite>, Thaler and Sunstein, chapter 1 — <a>PDF</a>"
    quoted = re.search(r"[\"“]([^\"”]{4,300})[\"”]", first.text)
    if quoted and re.search(r",|\bet al\b", first.text[: quoted.start()]):
        title = quoted[1].strip()
    note = content.text[first.end:].strip(" :.-–—\n")
    note = " ".join(note.split())
    item: dict[str, Any] = {"title": title, "url": first.url, "note": note or None}
    if starred:
        item["starred"] = True
    if note and _START_HERE.search(note):
        item["start_here"] = True
    elif note and (point := _STARTING_POINT.search(note)):
        item["start_here"] = Guess(True, f"read as 'start here' from: {point[0]!r}")
    credit = _CREDIT.search(note or "")
    if credit:
        item["credit"] = credit[0].strip(" .*")
    extra = [{"name": link.text, "url": link.url} for link in found[1:]]
    if extra:
        item["links"] = extra
    return item


def _title_beside(content: Inline, link: Link) -> str | None:
    """The title written before a link whose text says only what it is ("PDF", "link"): the emphasised
    words, else the words before the first comma, dash or bracket."""
    marked = [content.text[m.start:m.end].strip(" ,.") for m in content.marks if m.end <= link.start]
    if marked and marked[0]:
        return marked[0]
    words = re.split(r",|[ \t][—–-][ \t]|\(|:[ \t]", content.text[: link.start], maxsplit=1)[0].strip(" .\"“”")
    return words if len(words) > 2 else None


def import_readings(sections: list[Section], unplaced: list[str]) -> list[dict[str, Any]]:
    topics = [_topic(section, unplaced) for section in sections]
    return [topic for topic in topics if topic]


def _topic(section: Section, unplaced: list[str]) -> dict[str, Any] | None:
    items, notes = [], []
    for block in section.blocks:
        item = reading(block.content) if block.kind in ("item", "para") else None
        if item:
            items.append(item)
        elif block.kind == "item":
            title, _, note = ([*re.split(r"([ \t]{1,3}[—–-][ \t]{1,3}|:[ \t])", block.plain, maxsplit=1), "", ""])[:3]
            items.append({"title": title.strip(), "note": note.strip() or None})
            unplaced.append(f"line {block.line}: reading without a link: {block.plain[:60]!r}")
        elif block.table is None:
            notes.append(block.plain)
        block.used = True
    if not items:
        if notes and section.level:
            unplaced.append(f"line {section.line}: text under {section.title!r} has no reading list")
        return None
    title, aside = _split_aside(section.title)
    note = " ".join(([aside] if aside else []) + notes) or None
    return {"topic": title, "note": note, "items": items}


def session_readings(found: list[tuple[str, Inline]]) -> list[dict[str, Any]]:
    """Readings written in the schedule ("Reading: [J&M Ch. 2](url)", a Reading column), one topic a session."""
    topics: dict[str, list[dict[str, Any]]] = {}
    for topic, content in found:
        links = [link for link in content.links if not link.url.startswith(("mailto:", "#"))]
        pieces = _link_pieces(content, links) if links else [content]
        for piece in pieces:
            item = reading(piece) if piece.links else ({"title": piece.plain} if piece.plain.strip(" —–-") else None)
            if item:
                topics.setdefault(topic or "Readings", []).append(item)
    return [{"topic": topic, "note": "Reading listed in the course schedule.", "items": items}
            for topic, items in topics.items()]


def _link_pieces(content: Inline, links: list[Link]) -> list[Inline]:
    """ "A and [B](u)", "ROS Ch. 12; [Gelman](u)": one piece per link, text around it kept with it."""
    pieces, start = [], 0
    for index in range(len(links)):
        end = links[index + 1].start if index + 1 < len(links) else len(content.text)
        piece = content.slice(start, end).strip(" ;,.")
        lead = piece.text[: piece.links[0].start] if piece.links else ""
        if lead.strip(" ;,.and") and ";" in lead:
            pieces.append(piece.slice(0, lead.index(";")).strip())
            piece = piece.slice(lead.index(";") + 1).strip()
        pieces.append(piece)
        start = end
    return [p for p in pieces if p.plain]


def _split_aside(title: str) -> tuple[str, str | None]:
    """ "Attention networks (read these before looking at Transformers)": the advice is a note."""
    match = re.fullmatch(r"(.+?)\s*\(([^)]*)\)\s*", title)
    if match and len(match[2].split()) >= 4:
        aside = match[2].strip()
        return match[1].strip(), aside[0].upper() + aside[1:] + ("" if aside.endswith(".") else ".")
    return title.strip(), None


def import_resources(sections: list[tuple[Section, list[str]]], unplaced: list[str]) -> list[dict[str, Any]]:
    """Each paragraph or item that starts with a link; its kind from the nearest heading words."""
    resources = []
    for sub, parents in sections:
        kind = resource_kind(sub.title, *reversed(parents))
        for block in [part for b in sub.blocks for part in _split_link_lines(b)]:
            block.used = True
            found = [link for link in block.links if not link.url.startswith("#")]
            if not found or block.table is not None:
                if block.plain:
                    unplaced.append(f"line {block.line}: no link in {sub.title!r}: {block.plain[:60]!r}")
                continue
            resources.append({"name": found[0].text.strip() or found[0].url, "kind": kind,
                              "url": found[0].url, "description": block.plain})
    return resources


def _split_link_lines(block: Block) -> list[Block]:
    """A paragraph whose lines each start with a link lists several resources, one a line."""
    lines = block.text_lines()
    starts = [i for i, (_, line) in enumerate(lines) if line.links and line.links[0].start == 0]
    if block.kind != "para" or len(starts) < 2 or starts[0] != 0:
        return [block]
    block.used = True
    bounds = [*starts, len(lines)]
    parts = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        content = lines[a][1]
        for _, extra in lines[a + 1:b]:
            content = _concat(content, extra)
        parts.append(Block("para", lines[a][0], content))
    return parts


def _concat(a: Inline, b: Inline) -> Inline:
    shift = len(a.text) + 1
    return Inline(f"{a.text} {b.text}", (*a.links, *(Link(k.text, k.url, k.start + shift, k.end + shift)
                                                      for k in b.links)), a.marks)


def policy(title: str, text: str, url: str | None, guessed: bool) -> Any:
    kind = policy_kind(title, text)
    entry: dict[str, Any] = {"title": title or "Course information", "text": text, "url": url,
                             "aliases": policy_aliases(kind, title) or None}
    return Guess(entry, f"the section {title!r} was not recognised; kept as a policy") if guessed else entry


def with_ids(policies: list[Any]) -> list[Any]:
    idents = unique_ids([(p.value if isinstance(p, Guess) else p)["title"] for p in policies])
    return [_with_id(p, ident) for p, ident in zip(policies, idents, strict=True)]


def _with_id(entry: Any, ident: str) -> Any:
    if isinstance(entry, Guess):
        return Guess({"id": ident, **entry.value}, entry.reason)
    return {"id": ident, **entry}
