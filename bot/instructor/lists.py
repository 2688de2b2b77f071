"""Reading lists, link lists and policy sections -> readings.yaml, resources.yaml, policies.yaml."""

from __future__ import annotations

import re
from typing import Any

from bot.instructor.emit import Guess
from bot.instructor.markdown import Block, Section, links, plain
from bot.instructor.words import resource_kind, unique_ids

_STAR = re.compile(r"^\s*(?:\\?\*|★|⭐)\s*")
_START_HERE = re.compile(r"\bstart(?:ing)?\s+(?:here|with this)\b", re.IGNORECASE)
_STARTING_POINT = re.compile(r"\b(?:good|decent|great|best)?\s*starting point\b|\bI'?d start with\b"
                             r"|\bif you read only one\b|\bread this first\b", re.IGNORECASE)
_CREDIT = re.compile(r"[^.]*(?:\b(?:worth|counts? (?:as|for))\s+(?:\d+|one|two|three|extra)\s+"
                     r"(?:points?|readings?|credit)\b|\bnot\s+worth\s+(?:any\s+)?points?\b)[^.]*", re.IGNORECASE)


def reading(block: Block) -> dict[str, Any] | None:
    """One list item: the first link is the title; the rest of the text is the note."""
    found = links(block.text)
    if not found:
        return None
    first = found[0]
    link_match = re.search(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(", block.text)
    raw_title = link_match[1] if link_match else first.text
    before = block.text[: link_match.start()] if link_match else ""
    starred = bool(_STAR.match(raw_title)) or bool(_STAR.match(before.strip() + " ")) and before.strip() != ""
    title = _STAR.sub("", plain(raw_title)).strip()
    note = _note(block.text, link_match.end() if link_match else 0)
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


def _note(text: str, link_start: int) -> str:
    rest = text[link_start:]
    depth, i = 1, 0
    while i < len(rest) and depth:  # skip to the end of the title link's "(url)"
        depth += {"(": 1, ")": -1}.get(rest[i], 0)
        i += 1
    return plain(rest[i:]).lstrip(" :.-–—").strip()


def import_readings(sections: list[Section], unplaced: list[str]) -> list[dict[str, Any]]:
    topics = [_topic(section, unplaced) for section in sections]
    return [topic for topic in topics if topic]


def _topic(section: Section, unplaced: list[str]) -> dict[str, Any] | None:
    items, notes = [], []
    for block in section.blocks:
        item = reading(block) if block.kind in ("item", "para") else None
        if item:
            items.append(item)
        elif block.kind == "item":
            title, _, note = (re.split(r"(\s+[—–-]\s+|:\s)", block.plain, maxsplit=1) + ["", ""])[:3]
            items.append({"title": title.strip(), "note": note.strip() or None})
            unplaced.append(f"line {block.line}: reading without a link: {block.plain[:60]!r}")
        else:
            notes.append(block.plain)
        block.used = True
    if not items:
        if notes and section.level:
            unplaced.append(f"line {section.line}: text under {section.title!r} has no reading list")
        return None
    title, aside = _split_aside(section.title)
    note = " ".join(([aside] if aside else []) + notes) or None
    return {"topic": title, "note": note, "items": items}


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
            found = links(block.text)
            if not found or block.kind == "table":
                if block.plain:
                    unplaced.append(f"line {block.line}: no link in {sub.title!r}: {block.plain[:60]!r}")
                continue
            resources.append({"name": found[0].text.strip() or found[0].url, "kind": kind,
                              "url": found[0].url, "description": block.plain})
    return resources


def _split_link_lines(block: Block) -> list[Block]:
    """A paragraph whose lines each start with a link lists several resources, one a line."""
    starts = [i for i, (_, line) in enumerate(block.lines) if line.lstrip().startswith("[")]
    if block.kind != "para" or len(starts) < 2 or starts[0] != 0:
        return [block]
    block.used = True
    bounds = [*starts, len(block.lines)]
    return [Block("para", block.lines[a][0], " ".join(line.strip() for _, line in block.lines[a:b]),
                  lines=block.lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def import_policies(sections: list[Section], guessed: set[int]) -> list[Any]:
    """One policy per section that has text (its sub-sections are policies of their own)."""
    policies: list[Any] = []
    for sub in sections:
        blocks = [b for b in sub.blocks if b.kind != "table"]
        for block in blocks:
            block.used = True
        text = "\n\n".join(b.plain for b in blocks).strip()
        if not text:
            continue
        policy: dict[str, Any] = {"title": sub.title or "Course information", "text": text,
                                  "url": next((link.url for b in blocks for link in links(b.text)), None)}
        policies.append(Guess(policy, f"the section {sub.title!r} was not recognised; kept as a policy")
                        if id(sub) in guessed else policy)
    idents = unique_ids([(p.value if isinstance(p, Guess) else p)["title"] for p in policies])
    return [_with_id(p, ident) for p, ident in zip(policies, idents, strict=True)]


def _with_id(policy: Any, ident: str) -> Any:
    if isinstance(policy, Guess):
        return Guess({"id": ident, **policy.value}, policy.reason)
    return {"id": ident, **policy}
