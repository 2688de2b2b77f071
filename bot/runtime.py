"""Wire the core together: knowledge + settings -> index on disk -> a ready Engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.answer.engine import Engine
from bot.index import Index, open_index
from bot.index.embedder import Embedder, load_embedder
from bot.knowledge import Course, load_course
from bot.settings import Settings

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
    """Load and validate the course, open (or rebuild) its index, return the engine."""
    course = load_course(knowledge)
    embedder = load_embedder(settings.engine.model)
    index = open_index(course, embedder, directory or settings.engine.index_dir, progress)
    return build_engine(course, settings, index, embedder)
