"""Re-indexing after a one-entry edit vs a cold build, on the default course.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/reindex_bench.py [--runs 5]

Prints milliseconds (median of the runs) for: a cold index build (empty index dir),
a rebuild after rewording one FAQ question (only the units holding that text are embedded), and a whole
LiveCourse.reload() after the same kind of edit (load + validate + re-index + swap).
Target from the issue: under 300 ms for a one-entry change.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bot.index import build_index  # noqa: E402
from bot.index.embedder import embedder_for  # noqa: E402
from bot.knowledge import load_course  # noqa: E402
from bot.serving.live import LiveCourse  # noqa: E402
from bot.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def edit_one_entry(knowledge: Path, n: int) -> None:
    """Reword the first FAQ question (an embedded unit's text)."""
    path = knowledge / "faq.yaml"
    text = path.read_text("utf-8")
    marker = '    question: "'
    at = text.index(marker) + len(marker)
    path.write_text(text[:at] + f"(revision {n}) " + text[at:], encoding="utf-8")


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    embedder = embedder_for(Settings().engine)  # the configured encoder, as LiveCourse.start uses
    embedder.encode(["warm up"])
    with tempfile.TemporaryDirectory() as tmp:
        knowledge = Path(tmp) / "knowledge"
        shutil.copytree(ROOT / "knowledge", knowledge)
        cold, warm, reload = [], [], []
        for run in range(runs):
            index = Path(tmp) / f"cold-{run}"
            course = load_course(knowledge)
            start = time.perf_counter()
            built = build_index(course, embedder, index)
            cold.append(ms(start))
        units = built.manifest["units"]
        for run in range(runs):
            edit_one_entry(knowledge, run)
            course = load_course(knowledge)
            start = time.perf_counter()
            rebuilt = build_index(course, embedder, index)
            warm.append(ms(start))
            embedded = rebuilt.manifest["units"] - rebuilt.manifest["reused_embeddings"]
        live = LiveCourse.start(knowledge, Settings(), index_dir=index)
        for run in range(runs):
            edit_one_entry(knowledge, runs + run)
            result = live.reload()
            assert result.ok and result.changed
            reload.append(result.ms)
    print(f"default course: {units} units, encoder {embedder.kind}; a one-entry edit re-embedded {embedded} unit(s); "
          f"{runs} runs each (median, min-max), milliseconds")
    for label, values in (("cold build (embed all)", cold), ("re-index after 1-entry edit", warm),
                          ("LiveCourse.reload after 1-entry edit", reload)):
        print(f"  {label:<38} {statistics.median(values):8.1f}   ({min(values):.1f}-{max(values):.1f})")
    print(f"  target for a one-entry change: < 300 ms -> {'met' if statistics.median(reload) < 300 else 'NOT met'}")


if __name__ == "__main__":
    main()
