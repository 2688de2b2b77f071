"""Calibrate the decline threshold (engine.min_confidence) on labelled question files.

The threshold is not only the floor under a text answer: the engine's other margins are
measured from it (a text answer that outweighs a word the course never uses, a text entry
that beats a plan). So every candidate value is run for real: each file's engine is built
once, its threshold set, and every question asked again. Prints the pass count (in-scope
answered right + out-of-scope declined) for each threshold and picks the middle of the best
plateau, the value with the widest margin to both sides.

    python bench/calibrate.py FILE.yaml[:KNOWLEDGE_DIR] ...
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from bot import evaluation
from bot.answer.engine import Engine
from bot.serving.assemble import load_engine
from bot.settings import load_settings

NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)  # items that depend on the day carry their own `now`
THRESHOLDS = [t / 100 for t in range(20, 52, 2)]


def engines(specs: list[str]) -> list[tuple[Engine, list[evaluation.Item]]]:
    settings = load_settings("config.yaml")
    out = []
    for spec in specs:
        path, _, knowledge = spec.partition(":")
        folder = Path(knowledge or "knowledge")
        engine = load_engine(folder, settings, directory=Path("/tmp") / "calibrate")
        out.append((engine, evaluation.load_items(Path(path))))
    return out


def passed(engine: Engine, items: list[evaluation.Item], threshold: float) -> tuple[int, int]:
    """(passes, out-of-scope declined) with the threshold set to ``threshold``."""
    engine.min_confidence = threshold
    results = evaluation.run(items, engine.answer, NOW)
    ok = sum(not r.failures for r in results)
    declined = sum(not r.failures for r in results if r.item.expect_refusal)
    return ok, declined


def main(specs: list[str]) -> None:
    loaded = engines(specs)
    total = sum(len(items) for _, items in loaded)
    oos = sum(i.expect_refusal for _, items in loaded for i in items)
    print(f"{total} questions in {len(loaded)} files ({oos} out of scope)")
    scores: dict[float, tuple[int, int]] = {}
    for t in THRESHOLDS:
        counts = [passed(engine, items, t) for engine, items in loaded]
        scores[t] = (sum(c[0] for c in counts), sum(c[1] for c in counts))
        print(f"threshold {t:.2f}: {scores[t][0]}/{total} pass, out of scope declined {scores[t][1]}/{oos}")
    top = max(s[0] for s in scores.values())
    plateau = [t for t, s in scores.items() if s[0] == top]
    honest = max(scores[t][1] for t in plateau)  # a tie goes to the value that says "I don't know" more often
    chosen = [t for t in plateau if scores[t][1] == honest]
    best = chosen[(len(chosen) - 1) // 2]
    print(f"best: {top}/{total} for thresholds {plateau[0]:.2f}-{plateau[-1]:.2f}; of those, {honest}/{oos} out of "
          f"scope declined at {chosen[0]:.2f}-{chosen[-1]:.2f}; chosen {best:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
