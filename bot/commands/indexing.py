"""``coursebot index``: export the model to ONNX (once per model), build the course's index, with progress."""

from __future__ import annotations

import argparse
import time
from typing import Any

from bot.commands._common import knowledge_of, settings_of


def describe_encoder(encoder: dict[str, Any]) -> str:
    """One line: which encoder embeds questions and what it runs on."""
    if encoder["kind"] == "torch":
        return f"torch (sentence-transformers; {encoder['reason']})"
    check = encoder.get("check", {})
    agreement = f", min cosine to {check['against']} {check['min_cosine']:.7f}" if check else ""
    return (f"onnx {encoder['precision']} (onnxruntime + tokenizers, no torch at question time; {encoder['file']}, "
            f"{encoder['bytes'] / 1e6:.1f} MB, opset {encoder['opset']}, sha256 {encoder['sha256'][:12]}{agreement})")


def index_command(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from bot.answer.forms import canonical_texts
    from bot.index import build_index, course_index_dir
    from bot.index.embedder import embedder_for
    from bot.knowledge import load_course

    settings = settings_of(args)
    knowledge = knowledge_of(args)
    course = load_course(knowledge)
    directory = course_index_dir(settings.engine.index_dir, knowledge)
    started = time.perf_counter()
    embedder = embedder_for(settings.engine)
    encoder = embedder.prepare(report=print, verify=True)  # exports (or checks) the ONNX model
    prepared = time.perf_counter()
    print(f"encoder: {describe_encoder(encoder)}", flush=True)
    embedder.warm()
    loaded = time.perf_counter()
    bar = tqdm(total=0, unit="unit", desc="embedding", disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    questions = canonical_texts(course)
    index = build_index(course, embedder, directory, progress, extra=questions)
    bar.close()
    m = index.manifest
    texts = len({*(u.text for u in index.units), *questions})  # the same text is embedded once
    print(f"indexed {m['units']} units and {len(questions)} canonical questions: {texts} texts "
          f"({index.embedded} embedded, {texts - index.embedded} from cache) "
          f"with {embedder.kind} into {directory}/ in {time.perf_counter() - loaded:.2f}s "
          f"(export check {prepared - started:.1f}s, model load {loaded - prepared:.1f}s)")
    return 0


def _args(parser: argparse.ArgumentParser) -> None:
    pass


COMMANDS = {
    "index": (index_command, "Export the model to ONNX once and build the embedding index of the knowledge "
              "(other commands do it when needed).", "coursebot index --knowledge knowledge/", _args),
}
