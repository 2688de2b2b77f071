"""Wire the core together: knowledge + settings -> index on disk -> a ready Engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.answer.engine import Engine
from bot.config import Settings
from bot.index import Index, course_index_dir, open_index
from bot.index.embedder import Embedder, embedder_for
from bot.knowledge import Course, load_course

Progress = Callable[[int, int], None]


def build_engine(course: Course, settings: Settings, index: Index, embedder: Embedder) -> Engine:
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
    """Load and validate the course, open (or rebuild) its index, return the engine.

    ``directory`` (default ``engine.index_dir``) holds one index folder per knowledge folder.
    """
    course = load_course(knowledge)
    embedder = embedder_for(settings.engine)
    index = open_index(course, embedder, course_index_dir(directory or settings.engine.index_dir, knowledge), progress)
    return build_engine(course, settings, index, embedder)
