"""Calibrate the decline threshold (engine.min_confidence) on labelled question files.

Runs every question with the threshold at 0 and records, for answers that came from
retrieval (the only ones the threshold governs), the confidence and whether keeping
the answer would pass; structured answers (deadlines, dates, guards) are counted as
they are. Prints the pass count for each threshold and picks the middle of the best plateau, so
the chosen value keeps the widest margin to both the in-scope and the out-of-scope side.

    python bench/calibrate.py FILE.yaml[:KNOWLEDGE_DIR] ...
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from bot import evaluation
from bot.serving.assemble import load_engine
from bot.settings import load_settings

NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Row:
    id: str
    confidence: float
    retrieval: bool
    refuse: bool
    answered: bool
    good: bool  # passes if the answer is kept as an answer


def collect(spec: str) -> list[Row]:
    path, _, knowledge = spec.partition(":")
    knowledge_dir = Path(knowledge or "knowledge")
    settings = load_settings("config.yaml")
    engine_settings = settings.engine.model_copy(update={"min_confidence": 0.0})
    settings = settings.model_copy(update={"engine": engine_settings})

    engine = load_engine(knowledge_dir, settings, directory=Path("/tmp") / f"calibrate-{knowledge_dir.name}")
    rows = []
    for item in evaluation.load_items(Path(path)):
        answer = engine.answer(item.q, item.now or NOW)
        good = not item.expect_refusal and not evaluation.check(item, answer)
        rows.append(Row(item.id, answer.confidence, answer.route.startswith("retrieval:"), item.expect_refusal,
                        answer.answered, good))
    return rows


def passes(row: Row, threshold: float) -> bool:
    answered = row.answered and (not row.retrieval or row.confidence >= threshold)
    return not answered if row.refuse else answered and row.good


def main(specs: list[str]) -> None:
    rows = [row for spec in specs for row in collect(spec)]
    print(f"{len(rows)} questions; {sum(r.retrieval for r in rows)} answered by retrieval")
    scores = {t / 100: sum(passes(r, t / 100) for r in rows) for t in range(20, 71)}
    for t, ok in scores.items():
        print(f"threshold {t:.2f}: {ok}/{len(rows)} pass")
    top = max(scores.values())
    plateau = [t for t, ok in scores.items() if ok == top]
    best = plateau[(len(plateau) - 1) // 2]  # the middle of the best plateau: widest margin both ways
    print(f"best: {top}/{len(rows)} for thresholds {plateau[0]:.2f}-{plateau[-1]:.2f}; chosen {best:.2f} (its middle)")
    print("\nretrieval answers by confidence (OOS = should decline; bad = wrong even if kept):")
    for r in sorted((r for r in rows if r.retrieval), key=lambda r: r.confidence):
        label = "OOS" if r.refuse else ("ok " if r.good else "bad")
        print(f"  {r.confidence:.3f} {label} {r.id}")


if __name__ == "__main__":
    main(sys.argv[1:])
