"""Questions the bot was asked and the 👍/👎 votes on its answers, in SQLite.

Pure store (no discord import): the Discord layer writes here, and instructor tools
(``coursebot unanswered``) read it. Schema:

    questions(id INTEGER PK, asked_at TEXT (ISO 8601 UTC), user TEXT (pseudonymous hash),
              channel TEXT ("dm", "slash:<channel id>", "mention:<channel id>", ...),
              question TEXT, answered INTEGER (0/1), confidence REAL, answer TEXT)
    votes(question_id INTEGER → questions.id, user TEXT, up INTEGER (0/1), voted_at TEXT,
          PRIMARY KEY (question_id, user))   -- one vote per person; a new click replaces it

Every call opens its own short connection, so the store is safe to use from worker
threads (``asyncio.to_thread``) and from a second process reading the same file.

A damaged file (SQLite says "malformed" or "not a database") is renamed aside with a
timestamp, logged in one line, and a fresh database started; the call is then retried
once. A path SQLite cannot use at all (a directory, a FIFO, a device, a symlink loop, a
file it cannot open) raises ``FeedbackUnavailable``, one line naming the file: at start-up
the caller stops with it; mid-run it is logged once (until a call works again) and the bot
answers without recording. Other failures (a locked file) are raised for the caller.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import re
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
DAMAGE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB")  # and extended codes such as SQLITE_CORRUPT_INDEX
SIDE_FILES = ("", "-journal", "-wal", "-shm")
UNUSABLE_ERRORS = ("SQLITE_CANTOPEN", "SQLITE_IOERR")
NOT_FILES = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))

SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at TEXT NOT NULL,
    user TEXT NOT NULL,
    channel TEXT NOT NULL,
    question TEXT NOT NULL,
    answered INTEGER NOT NULL,
    confidence REAL NOT NULL,
    answer TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
CREATE TABLE IF NOT EXISTS votes (
    question_id INTEGER NOT NULL REFERENCES questions (id),
    user TEXT NOT NULL,
    up INTEGER NOT NULL,
    voted_at TEXT NOT NULL,
    PRIMARY KEY (question_id, user)
);
"""


class FeedbackUnavailable(sqlite3.OperationalError):
    """The feedback database cannot be opened at all; the message is one line naming the file."""


@dataclass(frozen=True)
class Unanswered:
    """One question text (normalised) that was declined or voted down, with its counts."""

    question: str  # the most recent wording
    asked: int
    declined: int
    downvotes: int
    last_asked: dt.datetime


@dataclass(frozen=True)
class Stats:
    asked: int
    answered: int
    up: int
    down: int

    @property
    def answered_share(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


def user_key(user_id: int | str) -> str:
    """A pseudonymous key for a user: stable, so votes and rate counts group, but not the raw id."""
    return hashlib.sha256(f"coursebot:{user_id}".encode()).hexdigest()[:16]


def normalise(question: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", question.lower())).strip()


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _recovering(method: Callable[Concatenate[FeedbackStore, P], R]) -> Callable[Concatenate[FeedbackStore, P], R]:
    """Run a store call; if the file proves damaged, set it aside, start afresh and run the call again."""

    @functools.wraps(method)
    def call(self: FeedbackStore, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = _set_aside_once(method, self, *args, **kwargs)
        except FeedbackUnavailable as exc:
            self._report(str(exc))
            raise
        self._report(None)
        return result

    return call


def _set_aside_once(method: Callable[Concatenate[FeedbackStore, P], R], self: FeedbackStore,
                    *args: P.args, **kwargs: P.kwargs) -> R:
    inode = _inode(self.path)
    try:
        return method(self, *args, **kwargs)
    except sqlite3.DatabaseError as exc:
        _raise_unusable(self, exc)
        if not _error_name(exc).startswith(DAMAGE_ERRORS):
            raise
        self._set_aside(inode, exc)
    try:
        return method(self, *args, **kwargs)
    except sqlite3.DatabaseError as exc:
        _raise_unusable(self, exc)
        raise


def _raise_unusable(store: FeedbackStore, exc: sqlite3.DatabaseError) -> None:
    if _error_name(exc).startswith(UNUSABLE_ERRORS):
        raise store._unusable(exc) from exc


def _error_name(exc: sqlite3.Error) -> str:
    return getattr(exc, "sqlite_errorname", None) or ""


class FeedbackStore:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._aside_lock = threading.Lock()
        self._reported: str | None = None  # the unavailability last logged (logged once, not per call)
        _set_aside_once(FeedbackStore._create, self)  # FeedbackUnavailable: the caller says it, not the log

    def _create(self) -> None:
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _unusable(self, exc: sqlite3.Error) -> FeedbackUnavailable:
        return FeedbackUnavailable(f"the feedback database {self.path} can't be opened: {exc}")

    def _report(self, problem: str | None) -> None:
        """Log an unavailability the first time it happens (and again only after a call worked)."""
        with self._aside_lock:
            if problem is not None and problem != self._reported:
                log.warning("%s; questions are answered but not recorded", problem)
            self._reported = problem

    def _check_file(self) -> bool:
        """Is there a file yet? FeedbackUnavailable if something other than a regular file is at the path."""
        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            return False
        except OSError as exc:  # ELOOP: a symlink loop
            raise FeedbackUnavailable(f"the feedback database {self.path} can't be opened: {exc.strerror}") from exc
        if not stat.S_ISREG(mode):
            kind = next((what for test, what in NOT_FILES if test(mode)), "not a regular file")
            raise FeedbackUnavailable(f"the feedback database {self.path} can't be opened: it is {kind}, "
                                      "not a database file")
        return True

    def _set_aside(self, inode: int | None, exc: sqlite3.DatabaseError) -> None:
        """Rename the damaged file (and its journal) to ``NAME.damaged-<UTC time>``; start a fresh one."""
        with self._aside_lock:
            if _inode(self.path) != inode:  # another call already replaced it
                return
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            aside, n = self.path.with_name(f"{self.path.name}.damaged-{stamp}"), 1
            while aside.exists():
                n += 1
                aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
            for suffix in SIDE_FILES:
                if Path(f"{self.path}{suffix}").exists():
                    os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
            log.warning("the feedback database %s is damaged (%s): moved it to %s and started a fresh one",
                        self.path, exc, aside.name)
            with self._connect() as db:
                db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        exists = self._check_file()
        db = sqlite3.connect(self.path, timeout=10)
        try:
            if not exists:  # deleted (or an intruder removed) while the bot runs: the tables again
                db.executescript(SCHEMA)
            db.execute("PRAGMA foreign_keys = ON")
            with db:
                yield db
        finally:
            db.close()

    @_recovering
    def record_question(self, *, asked_at: dt.datetime, user_id: int | str, channel: str, question: str,
                        answered: bool, confidence: float, answer: str) -> int:
        """Store one question and the bot's answer; returns its id (used by the vote buttons)."""
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO questions (asked_at, user, channel, question, answered, confidence, answer) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_iso(asked_at), user_key(user_id), channel, question, int(answered), float(confidence), answer),
            )
            return int(cursor.lastrowid or 0)

    @_recovering
    def record_vote(self, question_id: int, user_id: int | str, up: bool, at: dt.datetime | None = None) -> bool:
        """Store a 👍 (up=True) or 👎; a second click by the same person replaces the first.

        Returns False when the question id is unknown (e.g. the database was reset).
        """
        moment = _iso(at or dt.datetime.now(dt.UTC))
        with self._connect() as db:
            if db.execute("SELECT 1 FROM questions WHERE id = ?", (question_id,)).fetchone() is None:
                return False
            db.execute(
                "INSERT INTO votes (question_id, user, up, voted_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (question_id, user) DO UPDATE SET up = excluded.up, voted_at = excluded.voted_at",
                (question_id, user_key(user_id), int(up), moment),
            )
        return True

    def declined_or_downvoted(self, since: dt.datetime) -> list[Unanswered]:
        """Questions since ``since`` that were declined or got a 👎, most frequent first."""
        groups: dict[str, dict] = {}
        for asked_at, question, answered, downs in self._unanswered_rows(since):
            group = groups.setdefault(normalise(question) or question,
                                      {"question": question, "asked": 0, "declined": 0, "down": 0, "last": asked_at})
            group["asked"] += 1
            group["declined"] += 0 if answered else 1
            group["down"] += downs
            if asked_at >= group["last"]:
                group["question"], group["last"] = question, asked_at
        items = [Unanswered(g["question"], g["asked"], g["declined"], g["down"], dt.datetime.fromisoformat(g["last"]))
                 for g in groups.values()]
        return sorted(items, key=lambda u: (-u.asked, -(u.declined + u.downvotes), -u.last_asked.timestamp()))

    @_recovering
    def _unanswered_rows(self, since: dt.datetime) -> list[tuple[str, str, int, int]]:
        with self._connect() as db:
            return db.execute(
                "SELECT q.asked_at, q.question, q.answered, "
                "  (SELECT COUNT(*) FROM votes v WHERE v.question_id = q.id AND v.up = 0) AS downs "
                "FROM questions q WHERE q.asked_at >= ? AND (q.answered = 0 OR downs > 0) ORDER BY q.asked_at",
                (_iso(since),),
            ).fetchall()

    @_recovering
    def stats(self, since: dt.datetime, until: dt.datetime) -> Stats:
        """Questions asked in [since, until), how many were answered, and the votes on them."""
        with self._connect() as db:
            asked, answered = db.execute(
                "SELECT COUNT(*), COALESCE(SUM(answered), 0) FROM questions WHERE asked_at >= ? AND asked_at < ?",
                (_iso(since), _iso(until)),
            ).fetchone()
            up, down = db.execute(
                "SELECT COALESCE(SUM(v.up), 0), COALESCE(SUM(1 - v.up), 0) FROM votes v "
                "JOIN questions q ON q.id = v.question_id WHERE q.asked_at >= ? AND q.asked_at < ?",
                (_iso(since), _iso(until)),
            ).fetchone()
        return Stats(int(asked), int(answered), int(up), int(down))
