"""Wire the core together: knowledge + settings -> index on disk -> a ready Engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.answer.engine import Engine
from bot.answer.forms import canonical_texts
from bot.index import Index, course_index_dir, open_index
from bot.index.embedder import Embedder, embedder_for
from bot.knowledge import Course, load_course
from bot.settings import Settings

Progress = Callable[[int, int], None]


def build_engine(course: Course, settings: Settings, embedder: Embedder, index_dir: Path,
                 progress: Progress | None = None) -> Engine:
    """Open (or rebuild) the course's index in ``index_dir`` and return its engine.

    The one place an Engine is made: the CLI (``load_engine``) and the live course (at start
    and on every reload) both come here."""
    index = open_index(course, embedder, index_dir, progress, extra=canonical_texts(course))
    return engine_for(course, settings, index, embedder)


def engine_for(course: Course, settings: Settings, index: Index, embedder: Embedder) -> Engine:
    """The Engine over an index already open (benchmarks that time the index build themselves)."""
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
    directory = course_index_dir(directory or settings.engine.index_dir, knowledge)
    return build_engine(course, settings, embedder, directory, progress)
