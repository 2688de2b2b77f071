"""The course that is serving right now, swapped whole on reload.

A reload reads and validates ``knowledge/``, re-indexes (only changed units are
embedded) and builds a new Engine off to the side; only then is the reference
swapped, in one assignment. Readers take ``live.engine`` once per question and never
see a half-loaded course. A bad edit raises nothing into the caller's loop: it comes
back as a failed ReloadResult and the old course keeps serving.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.answer.engine import Engine
from bot.index import IndexBuildError, course_index_dir
from bot.index.embedder import Embedder, embedder_for
from bot.knowledge import Course, KnowledgeError, Problem, load_course
from bot.serving.assemble import build_engine
from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    changed: bool  # False when the knowledge was identical to what is serving
    problems: tuple[Problem, ...] = ()
    ms: float = 0.0
    old: Course | None = None
    new: Course | None = None

    def summary(self) -> str:
        if not self.ok:
            lines = [f"Reload failed; still serving the previous course. {len(self.problems)} problem(s):"]
            return "\n".join(lines + [f"- {p}" for p in self.problems])
        if not self.changed:
            return "Knowledge unchanged; nothing to reload."
        return f"Reloaded the course in {self.ms:.0f} ms."


Listener = Callable[[ReloadResult], None]


@dataclass
class LiveCourse:
    """Holds the serving Engine; ``reload()`` replaces it atomically or not at all."""

    knowledge: Path
    settings: Settings
    index_dir: Path
    embedder: Embedder
    engine: Engine
    listeners: list[Listener] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def start(cls, knowledge: Path, settings: Settings, index_dir: Path | None = None) -> LiveCourse:
        """Load the course for the first time (errors propagate: nothing is serving yet)."""
        directory = course_index_dir(index_dir or settings.engine.index_dir, knowledge)
        embedder = embedder_for(settings.engine).warm()  # a server should not load on its first question
        course = load_course(knowledge)
        engine = build_engine(course, settings, embedder, directory)
        return cls(Path(knowledge), settings, directory, embedder, engine)

    @property
    def course(self) -> Course:
        return self.engine.course

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(result)`` after every reload attempt (e.g. post errors to staff)."""
        self.listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    def reload(self) -> ReloadResult:
        """Re-read knowledge, re-index, swap. Blocking: run it in a thread from async code."""
        with self._lock:
            result = self._reload()
        for listener in self.listeners:
            try:
                listener(result)
            except Exception:  # a listener's failure must not undo a good reload
                log.exception("reload listener failed")
        return result

    def _reload(self) -> ReloadResult:
        started = time.perf_counter()
        old = self.engine.course
        try:
            course = load_course(self.knowledge)
        except KnowledgeError as exc:
            log.error("knowledge reload rejected:\n%s", exc)
            return ReloadResult(False, False, tuple(exc.problems), old=old)
        if course.source_hash == old.source_hash:
            return ReloadResult(True, False, old=old, new=old)
        try:
            self.engine = build_engine(course, self.settings, self.embedder, self.index_dir)  # the one swap
        except IndexBuildError as exc:  # a full or read-only disk: keep serving, tell the listeners
            log.error("index rebuild failed: %s", exc)
            return ReloadResult(False, False, (exc.problem(),), old=old)
        ms = (time.perf_counter() - started) * 1000
        log.info("knowledge reloaded in %.0f ms", ms)
        return ReloadResult(True, True, ms=ms, old=old, new=course)
