"""Wire the core together: knowledge + settings -> index on disk -> a ready Engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.answer.engine import Engine
from bot.index import open_index
from bot.index.embedder import Embedder, load_embedder
from bot.knowledge import Course, load_course
from bot.settings import Settings

Progress = Callable[[int, int], None]


def build_engine(course: Course, settings: Settings, embedder: Embedder, index_dir: Path,
                 progress: Progress | None = None) -> Engine:
    """Open (or rebuild) the course's index in ``index_dir`` and return its engine.

    The one place an Engine is made: the CLI (``load_engine``) and the live course (at start
    and on every reload) both come here."""
    index = open_index(course, embedder, index_dir, progress)
    return Engine(
        course,
        index,
        embedder.encode,
        vocabulary=embedder.vocabulary,
        min_confidence=settings.engine.min_confidence,
        max_chars=settings.engine.max_answer_chars,
    )


def load_engine(knowledge: Path, settings: Settings, progress: Progress | None = None,
                directory: Path | None = None) -> Engine:
    """Load and validate the course, open (or rebuild) its index, return the engine."""
    course = load_course(knowledge)
    embedder = load_embedder(settings.engine.model)
    return build_engine(course, settings, embedder, directory or settings.engine.index_dir, progress)
