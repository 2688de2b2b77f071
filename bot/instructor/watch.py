"""Watch ``knowledge/`` and reload the live course after an edit settles.

Polling file stamps (name, size, mtime) twice a second needs no dependency and works
the same on every filesystem, including editors that save by rename. A change starts
a debounce: the reload runs once nothing has changed for ``debounce_s`` (an editor's
save-all or a ``git pull`` touching several files gives one reload, not five).
``LiveCourse.reload`` validates, re-indexes and swaps whole, or keeps the old course
and reports located problems to its listeners (the log, the staff channel).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)
DEBOUNCE_S = 1.0
POLL_S = 0.5
Stamp = dict[str, tuple[int, int]]


class Reloadable(Protocol):
    knowledge: Path

    def reload(self): ...


def stamp(directory: Path) -> Stamp:
    """(size, mtime_ns) of every YAML file in ``directory``; a missing directory is empty."""
    result: Stamp = {}
    try:
        paths = sorted(directory.glob("*.y*ml"))
    except OSError:
        return result
    for path in paths:
        try:
            info = path.stat()
        except OSError:  # deleted between glob and stat: the next poll sees it gone
            continue
        result[path.name] = (info.st_size, info.st_mtime_ns)
    return result


class KnowledgeWatcher:
    """Call ``poll()`` regularly (``start()`` does, in a daemon thread)."""

    def __init__(self, live: Reloadable, debounce_s: float = DEBOUNCE_S, poll_s: float = POLL_S,
                 clock: Callable[[], float] = time.monotonic):
        self.live = live
        self.debounce_s = debounce_s
        self.poll_s = poll_s
        self.clock = clock
        self.seen = stamp(Path(live.knowledge))
        self.changed_at: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll(self):
        """Note a change; once it has settled for ``debounce_s``, reload. Returns the ReloadResult or None."""
        now, current = self.clock(), stamp(Path(self.live.knowledge))
        if current != self.seen:
            self.seen, self.changed_at = current, now
            return None
        if self.changed_at is None or now - self.changed_at < self.debounce_s:
            return None
        self.changed_at = None
        result = self.live.reload()
        log.info("knowledge changed on disk: %s", result.summary().splitlines()[0])
        return result

    def start(self) -> KnowledgeWatcher:
        self._thread = threading.Thread(target=self._run, name="knowledge-watcher", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.poll_s):
            try:
                self.poll()
            except Exception:  # the watcher must outlive any one bad reload
                log.exception("knowledge watcher: reload failed")


@contextmanager
def watching(live: Reloadable, enabled: bool = True,
             debounce_s: float = DEBOUNCE_S) -> Iterator[KnowledgeWatcher | None]:
    """``with watching(live):`` reloads on edits for the duration of the block."""
    if not enabled:
        yield None
        return
    watcher = KnowledgeWatcher(live, debounce_s).start()
    try:
        yield watcher
    finally:
        watcher.stop()
