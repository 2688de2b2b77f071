"""Policy text -> policies.yaml: one entry per section, per labelled paragraph, per table.

"### Late work" and its paragraphs are one policy; "**Late homework.** Everyone gets 3 free
late days..." inside a "Grading" section is a policy of its own, titled by its label; a
grading table becomes a policy whose text lists its rows. A misspelt title ("Grading Polcy")
is mended toward the words headings use, and marked for review.
"""

from __future__ import annotations

from typing import Any

from bot.instructor.document import Block, Section
from bot.instructor.emit import Guess
from bot.instructor.gather import Gathered, Item
from bot.instructor.lists import policy, with_ids
from bot.instructor.words import ROLES, _close, words

_VOCABULARY = sorted({word for phrases in ROLES.values() for phrase in phrases for word in phrase.split()
                      if len(word) >= 5} | {"policy", "policies", "office", "grading", "participation", "attendance",
                                            "collaboration", "integrity", "assignments", "submission"})


def mend_title(title: str) -> tuple[str, bool]:
    """ "Grading Polcy" -> ("Grading Policy", True): a one-typo word mended toward heading words."""
    mended, changed = [], False
    for word in title.split():
        bare = word.strip(":.,").lower()
        close = next((v for v in _VOCABULARY if v != bare and len(bare) >= 5 and _close(bare, v)), None)
        if close and bare not in _VOCABULARY:
            mended.append(word.replace(word.strip(":.,"), close.capitalize() if word[:1].isupper() else close))
            changed = True
        else:
            mended.append(word)
    return " ".join(mended), changed


def build_policies(gathered: Gathered, used: set[int], tables: list[tuple[Section, Block]]) -> list[Any]:
    groups: dict[tuple[int, str], dict[str, Any]] = {}
    order: list[tuple[int, str]] = []
    for section in gathered.roles.get("calendar", []):  # "Subject to change. Items marked due are due 11:59 PM"
        notes = [b for b in section.blocks if b.table is None and not b.used and b.kind == "para"]
        if notes:
            key = (id(section), section.title)
            groups[key] = {"section": section, "title": f"About the {section.title.lower() or 'schedule'}",
                           "lines": [b.plain for b in notes], "url": None, "labelled": True}
            order.append(key)
            for block in notes:
                block.used = True
    for item in gathered.items:
        if item.role not in ("policies", "assignments", "computing", "timezone", "staff", "office_hours") \
                or id(item) in used:
            continue
        if item.role in ("staff", "office_hours") and item.block.table is not None:
            continue  # a staff table row the reader could not use is printed as not placed
        title = item.label or item.section.title
        key = (id(item.section), title)
        if item.label:
            key = (id(item.block), title)
        if key not in groups:
            groups[key] = {"section": item.section, "title": title, "lines": [], "url": None,
                           "labelled": bool(item.label)}
            order.append(key)
        group = groups[key]
        if group["lines"] and group.get("last") is item.block:
            group["lines"][-1] += " " + _text(item)
        else:
            group["lines"].append(_text(item))
        group["last"] = item.block
        group["url"] = group["url"] or next((k.url for k in item.value.links if not k.url.startswith("#")), None)
        item.block.used = True
    for section, block in tables:
        key = (id(block), section.title)
        rows = block.table.rows if block.table else ()
        lines = [": ".join(cell.plain for cell in row if cell.plain) for row in rows]
        header = " / ".join(cell.plain for cell in block.table.header if cell.plain) if block.table else ""
        groups[key] = {"section": section, "title": section.title,
                       "lines": ["\n".join(([header] if header else []) + lines)], "url": None, "labelled": False}
        order.append(key)
        block.used = True
    entries = []
    merged: dict[tuple[int, str], dict[str, Any]] = {}
    for key in order:
        group = groups[key]
        same = (id(group["section"]), group["title"])
        if not group["labelled"] and same in merged:
            merged[same]["lines"] += group["lines"]
            continue
        merged[same] = group
        entries.append(group)
    policies = []
    for group in entries:
        text = "\n\n".join(line for line in group["lines"] if line).strip()
        if not text:
            continue
        title, mended = mend_title(group["title"].strip(" .:"))
        guessed = id(group["section"]) in gathered.guessed and not group["labelled"]
        entry = policy(title, text, group["url"], guessed)
        if mended and not guessed:
            entry["aliases"] = [group["title"], *(entry.get("aliases") or [])]
            entry = Guess(entry, f"title mended from the page's {group['title']!r}")
        policies.append(entry)
    return with_ids(policies)


def _text(item: Item) -> str:
    """A staff note is kept whole ("Office hours start in Week 2"); elsewhere the label is the title."""
    return item.written if item.role in ("staff", "office_hours") and item.written else item.value.plain


def words_of(text: str) -> list[str]:
    return words(text)
