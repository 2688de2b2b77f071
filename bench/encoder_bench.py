"""Question-time encoder: onnxruntime over the ONNX export beside sentence-transformers (torch), one run.

For each encoder, in its own temporary index root and its own child processes (so peak RSS
is each one's own):

- index build: cold with the export (onnx: export + embed every unit), cold without it
  (onnx: the export exists, embed every unit; torch: embed every unit), and cached;
- cold `coursebot ask` wall time and peak RSS, for a retrieval question ("whats the late
  policy") and a structured one ("when is hw2 due?"), median of --cold-runs;
- warm encode p50/p99 of one question and of two short texts (the engine's coming batch)
  and batch questions/s over the dev set, the sides' processes right after one another;
- the dev-set score, and how many answers (dev + heldout) differ from torch's;
- Discord load: bench/discord_load.py on that encoder (answers/s, p99).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/encoder_bench.py [--cold-runs 5] [--rounds 5] [--int8]
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
DEV = ROOT.parent / "shared" / "eval" / "fall2020_dev.yaml"
HELDOUT = ROOT / "tests" / "eval" / "fall2020_heldout.yaml"  # with the dev set: answers compared across encoders
NOW = "2020-10-19T09:00-05:00"
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
COURSEBOT = str(Path(sys.executable).parent / "coursebot")
RETRIEVAL, STRUCTURED = "whats the late policy", "when is hw2 due?"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def config_file(folder: Path, encoder: str, precision: str) -> Path:
    path = folder / "config.yaml"
    path.write_text(f"engine:\n  index_dir: {folder / 'index'}\n  encoder: {encoder}\n"
                    f"  onnx_precision: {precision}\nreminders:\n  enabled: false\n", "utf-8")
    return path


def run_timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of that child alone (reaped with wait4), stdout."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err}")
    return wall, usage.ru_maxrss / 1024, out


# --- child: builds, warm encodes, batch answering ------------------------------------------

def child(config: Path) -> dict:
    from bot import evaluation
    from bot.index import build_index, course_index_dir
    from bot.index.embedder import embedder_for
    from bot.knowledge import load_course
    from bot.serving.assemble import engine_for
    from bot.settings import load_settings

    settings = load_settings(config)
    knowledge = ROOT / "knowledge"
    course = load_course(knowledge)
    result: dict = {}
    started = time.perf_counter()
    embedder = embedder_for(settings.engine)
    encoder = embedder.prepare()  # onnx: the export, cold (the root is new)
    result["export_s"] = time.perf_counter() - started
    started = time.perf_counter()
    embedder.warm()
    result["load_s"] = time.perf_counter() - started
    directory = course_index_dir(settings.engine.index_dir, knowledge)
    started = time.perf_counter()
    index = build_index(course, embedder, directory)
    result["build_cold_s"] = time.perf_counter() - started
    started = time.perf_counter()
    index = build_index(course, embedder, directory)
    result["build_cached_s"] = time.perf_counter() - started
    result["encoder"] = encoder["kind"] + (f" {encoder['precision']}" if encoder["kind"] == "onnx" else "")
    engine = engine_for(course, settings, index, embedder)
    items = evaluation.load_items(DEV)
    now = dt.datetime.fromisoformat(NOW)
    results = evaluation.run(items, engine.answer, now)
    compared = [*items, *evaluation.load_items(HELDOUT)]
    result["answers"] = [engine.answer(item.q, item.now or now).answer for item in compared]
    result.update(dev=f"{sum(r.passed for r in results)}/{len(results)}",
                  child_peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def warm_child(configs: list[Path], rounds: int) -> dict[str, dict]:
    """Warm figures for the sides given (the parent gives one per process), rounds taking turns."""
    from bot import evaluation
    from bot.index import course_index_dir, open_index
    from bot.index.embedder import embedder_for
    from bot.knowledge import load_course
    from bot.serving.assemble import engine_for
    from bot.settings import load_settings

    knowledge = ROOT / "knowledge"
    course = load_course(knowledge)
    sides = {}
    for config in configs:
        settings = load_settings(config)
        embedder = embedder_for(settings.engine).warm()
        name = f"{settings.engine.encoder} {settings.engine.onnx_precision}"
        index = open_index(course, embedder, course_index_dir(settings.engine.index_dir, knowledge))
        sides[name] = (embedder, engine_for(course, settings, index, embedder))
        evaluation.run(evaluation.load_items(DEV)[:5], sides[name][1].answer, dt.datetime.fromisoformat(NOW))
    singles: dict[str, list[float]] = {name: [] for name in sides}
    pairs: dict[str, list[float]] = {name: [] for name in sides}
    for n in range(300):
        text = RETRIEVAL if n % 2 else "can I use a late day on the project proposal?"
        for name, (embedder, _) in sides.items():
            started = time.perf_counter()
            embedder.encode([text])
            singles[name].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            embedder.encode([text, f"Question about the course: {text}"])
            pairs[name].append((time.perf_counter() - started) * 1000)
    items = evaluation.load_items(DEV)
    now = dt.datetime.fromisoformat(NOW)
    spent = dict.fromkeys(sides, 0.0)
    for _ in range(rounds):
        for name, (_, engine) in sides.items():
            started = time.perf_counter()
            evaluation.run(items, engine.answer, now)
            spent[name] += time.perf_counter() - started
    return {name: {"encode_p50_ms": percentile(singles[name], 50), "encode_p99_ms": percentile(singles[name], 99),
                   "pair_p50_ms": percentile(pairs[name], 50), "pair_p99_ms": percentile(pairs[name], 99),
                   "qps": len(items) * rounds / spent[name]} for name in sides}


def measure(sides: list[tuple[str, str]], cold_runs: int, rounds: int, questions: int) -> dict[str, dict]:
    """Every figure for every side; cold runs and load runs alternate sides, so a busy spell hits all alike."""
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="encoder-bench-") as tmp:
        configs = {}
        for encoder, precision in sides:
            name = f"{encoder} {precision}"
            folder = Path(tmp) / name.replace(" ", "-")
            folder.mkdir()
            configs[name] = config_file(folder, encoder, precision)
            print(f"building and timing {name} ...", file=sys.stderr, flush=True)
            _, _, out = run_timed([sys.executable, __file__, "--child", str(configs[name])])
            results[name] = json.loads(out.strip().splitlines()[-1])
            for course in (folder / "index").iterdir():  # a second cold build, the export already there
                if course.name != "models":
                    shutil.rmtree(course)
            results[name]["index_cmd_s"] = run_timed([COURSEBOT, "index", "--config", str(configs[name])])[0]
        print("warm encodes and batch answering, one side right after the other ...", file=sys.stderr, flush=True)
        for config in configs.values():  # one process each: torch's and onnxruntime's threads would contend
            out = run_timed([sys.executable, __file__, "--warm-child", str(config), "--rounds", str(rounds)])[2]
            for name, figures in json.loads(out.strip().splitlines()[-1]).items():
                results[name].update(figures)
        print("cold asks ...", file=sys.stderr, flush=True)
        runs: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
        for _ in range(cold_runs):
            for name, config in configs.items():
                for label, question in (("retrieval", RETRIEVAL), ("structured", STRUCTURED)):
                    runs.setdefault((name, label), []).append(
                        run_timed([COURSEBOT, "ask", question, "--now", NOW, "--json", "--config", str(config)]))
        for (name, label), timings in runs.items():
            assert json.loads(timings[0][2])["answered"], timings[0][2]
            results[name][f"cold_{label}_s"] = statistics.median(t[0] for t in timings)
            results[name][f"cold_{label}_rss_mb"] = statistics.median(t[1] for t in timings)
        print("Discord load ...", file=sys.stderr, flush=True)
        for name, config in configs.items():
            out = run_timed([sys.executable, str(ROOT / "bench" / "discord_load.py"), "--config", str(config),
                             "--questions", str(questions), "--index-dir", str(config.parent / "index")])[2]
            rate, p99 = re.search(r"\((\d+) answers/s\)", out), re.search(r"p99 (\d+)", out)
            results[name]["discord_answers_per_s"] = float(rate.group(1)) if rate else float("nan")
            results[name]["discord_p99_ms"] = float(p99.group(1)) if p99 else float("nan")
    return results


ROWS = [
    ("encoder", "{}", "encoder", ""),
    ("index build, cold, with the export (s)", "{:.2f}", "with_export_s", ""),
    ("index build, cold (onnx: export already made) (s)", "{:.2f}", "build_cold_s", ""),
    ("index build, embedding cache (s)", "{:.3f}", "build_cached_s", ""),
    ("`coursebot index`, export present (wall s)", "{:.2f}", "index_cmd_s", ""),
    ("cold ask, retrieval: wall (s)", "{:.2f}", "cold_retrieval_s", "<= 3x structured"),
    ("cold ask, retrieval: peak RSS (MB)", "{:.0f}", "cold_retrieval_rss_mb", "<= 350 MB"),
    ("cold ask, structured: wall (s)", "{:.2f}", "cold_structured_s", ""),
    ("cold ask, structured: peak RSS (MB)", "{:.0f}", "cold_structured_rss_mb", ""),
    ("retrieval / structured cold wall", "{:.2f}", "cold_ratio", "<= 3"),
    ("warm encode, 1 question p50 (ms)", "{:.2f}", "encode_p50_ms", "<= 10 ms"),
    ("warm encode, 1 question p99 (ms)", "{:.2f}", "encode_p99_ms", ""),
    ("warm encode, 2 short texts p50 (ms)", "{:.2f}", "pair_p50_ms", ""),
    ("warm encode, 2 short texts p99 (ms)", "{:.2f}", "pair_p99_ms", ""),
    ("batch answering (questions/s)", "{:.0f}", "qps", ""),
    ("dev set (`coursebot eval`)", "{}", "dev", "unchanged"),
    ("answers differing from torch (dev + heldout)", "{}", "changed", "0"),
    ("Discord load (answers/s)", "{:.0f}", "discord_answers_per_s", ""),
    ("Discord load latency p99 (ms)", "{:.0f}", "discord_p99_ms", ""),
]


def cell(fmt: str, value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return fmt.format(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--questions", type=int, default=200, help="Discord load questions")
    parser.add_argument("--int8", action="store_true", help="also measure the opt-in int8 ONNX weights")
    parser.add_argument("--child", type=Path)
    parser.add_argument("--warm-child", type=Path, nargs="+")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    if args.warm_child:
        print(json.dumps(warm_child(args.warm_child, args.rounds)))
        return
    sides = [("onnx", "fp32"), ("torch", "fp32")] + ([("onnx", "int8")] if args.int8 else [])
    load_before = os.getloadavg()[0]
    results = measure(sides, args.cold_runs, args.rounds, args.questions)
    reference = results["torch fp32"]["answers"]
    for encoder, precision in sides:
        figures = results[f"{encoder} {precision}"]
        figures["with_export_s"] = figures["export_s"] + figures["build_cold_s"] if encoder == "onnx" else float("nan")
        figures["cold_ratio"] = figures["cold_retrieval_s"] / figures["cold_structured_s"]
        changed = sum(a != b for a, b in zip(figures["answers"], reference, strict=True))
        figures["changed"] = f"{changed}/{len(reference)}"
    names = list(results)
    print(f"{'figure':<46}" + "".join(f"{n:>14}" for n in names) + f"{'target':>20}")
    for label, fmt, key, target in ROWS:
        cells = "".join(f"{cell(fmt, results[n].get(key)):>14}" for n in names)
        print(f"{label:<46}{cells}{target:>20}")
    load = os.getloadavg()
    print(f"({args.cold_runs} cold runs, {args.rounds} rounds of the dev set, {os.cpu_count()} cores, "
          f"load average {load_before:.1f} before, {load[0]:.1f} after, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)")


if __name__ == "__main__":
    main()
