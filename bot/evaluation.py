"""Score the engine on a question file (the ``shared/eval`` format)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.answer.model import Answer
from bot.format import DISCORD_MESSAGE_CHARS

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


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


@dataclass
class Result:
    item: Item
    answer: Answer
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


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


def date_forms(day: dt.date) -> list[str]:
    month = MONTH_NAMES[day.month - 1]
    return [f"{month[:3]} {day.day}", f"{month} {day.day}", f"{day.month}/{day.day}", day.isoformat()]


def _contains(text: str, needle: str) -> bool:
    pattern = re.escape(needle.lower())
    if needle[-1:].isalnum():
        pattern += r"(?![0-9])"
    return re.search(pattern, text.lower()) is not None


def check(item: Item, answer: Answer) -> list[str]:
    text, failures = answer.answer, []
    if len(text) > DISCORD_MESSAGE_CHARS:
        failures.append(f"answer is {len(text)} characters")
    if item.expect_refusal:
        if answer.answered:
            failures.append("should have declined")
        return failures + [f"forbidden {f!r}" for f in item.forbid if _contains(text, f)]
    if not answer.answered:
        failures.append("declined an in-scope question")
    failures += [f"missing {e!r}" for e in item.expect_all if not _contains(text, e)]
    if item.expect_any and not any(_contains(text, e) for e in item.expect_any):
        failures.append(f"none of {list(item.expect_any)!r}")
    if item.expect_date and not any(_contains(text, f) for f in date_forms(item.expect_date)):
        failures.append(f"missing date {item.expect_date}")
    failures += [f"forbidden {f!r}" for f in item.forbid if _contains(text, f)]
    return failures


def run(items: list[Item], ask: Callable[[str, dt.datetime], Answer], default_now: dt.datetime) -> list[Result]:
    results = []
    for item in items:
        answer = ask(item.q, item.now or default_now)
        results.append(Result(item, answer, check(item, answer)))
    return results


def report(results: list[Result]) -> str:
    by_cat: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_cat[r.item.category].append(r)
    lines = ["category        passed"]
    for cat, rs in sorted(by_cat.items()):
        ok = sum(r.passed for r in rs)
        lines.append(f"{cat:<15} {ok:>3}/{len(rs):<3} {100 * ok / len(rs):5.1f}%")
    failed = [r for r in results if not r.passed]
    if failed:
        lines.append("\nfailures:")
        for r in failed:
            lines.append(f"- {r.item.id} [{r.item.category}] {r.item.q!r}: {'; '.join(r.failures)}")
            lines.append("    " + r.answer.answer.replace("\n", "\n    ")[:600])
    ok = sum(r.passed for r in results)
    oos = [r for r in results if r.item.expect_refusal]
    declined = sum(not r.answer.answered for r in oos)
    lines.append(f"\nout of scope declined: {declined}/{len(oos)}")
    lines.append(f"score: {ok}/{len(results)} = {100 * ok / max(len(results), 1):.1f}%")
    return "\n".join(lines)
