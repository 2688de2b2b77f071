"""Check each answer against its item's expectations, and report per category."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answer.model import Answer
from bot.evaluation.questions import Item
from bot.format import DISCORD_MESSAGE_CHARS

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


@dataclass
class Result:
    item: Item
    answer: Answer
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


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
