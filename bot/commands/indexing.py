"""``coursebot index``: build the embedding index, with a progress bar."""

from __future__ import annotations

import argparse
import time

from bot.cli import knowledge_of, settings_of


def index_command(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from bot.index import build_index, course_index_dir
    from bot.index.embedder import load_embedder
    from bot.knowledge import load_course

    settings = settings_of(args)
    knowledge = knowledge_of(args)
    course = load_course(knowledge)
    directory = course_index_dir(settings.engine.index_dir, knowledge)
    started = time.perf_counter()
    embedder = load_embedder(settings.engine.model).warm()
    loaded = time.perf_counter()
    bar = tqdm(total=0, unit="unit", desc="embedding", disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    index = build_index(course, embedder, directory, progress)
    bar.close()
    m = index.manifest
    print(f"indexed {m['units']} units ({index.embedded} embedded, {m['units'] - index.embedded} from cache) "
          f"into {directory}/ "
          f"in {time.perf_counter() - loaded:.2f}s (model load {loaded - started:.1f}s)")
    return 0


def _args(parser: argparse.ArgumentParser) -> None:
    pass


COMMANDS = {
    "index": (index_command, "Build the embedding index of the knowledge (other commands do it when needed).",
              "coursebot index --knowledge knowledge/", _args),
}
