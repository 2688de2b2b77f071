"""Question files in the ``shared/eval`` format: one item a question, with what to expect."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Item:
    id: str
    q: str
    category: str
    now: dt.datetime | None = None
    expect_all: tuple[str, ...] = ()
    expect_any: tuple[str, ...] = ()
    expect_date: dt.date | None = None
    forbid: tuple[str, ...] = ()
    expect_refusal: bool = False


def load_items(path: Path) -> list[Item]:
    raw = yaml.safe_load(path.read_text("utf-8")) or []
    items = []
    for entry in raw:
        now = entry.get("now")
        if isinstance(now, str):
            now = dt.datetime.fromisoformat(now)
        date = entry.get("expect_date")
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        items.append(Item(
            id=str(entry["id"]), q=str(entry["q"]), category=str(entry.get("category", "")), now=now,
            expect_all=tuple(map(str, entry.get("expect_all") or ())),
            expect_any=tuple(map(str, entry.get("expect_any") or ())),
            expect_date=date, forbid=tuple(map(str, entry.get("forbid") or ())),
            expect_refusal=bool(entry.get("expect_refusal", False)),
        ))
    return items
