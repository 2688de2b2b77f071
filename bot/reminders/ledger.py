"""The reminder ledger in SQLite: what was promised, what was posted, to whom.

A post is recorded as an *intent* (with its nonce and the reminder keys it settles) in
one transaction before it is sent; it becomes *sent* once the channel confirms. The
sender reconciles intents it may have sent (``attempts > 0``) against the channel before
sending them again. An exclusive lock file keeps a second bot process off the ledger.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
UTC = dt.UTC
CHANNEL = "channel"
SCHEMA = """
CREATE TABLE IF NOT EXISTS posts(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  nonce TEXT NOT NULL UNIQUE CHECK (length(nonce) <= 25),
  target TEXT NOT NULL,             -- 'channel' or 'user:<discord id>'
  kind TEXT NOT NULL,               -- reminder | moved | removed
  content TEXT NOT NULL,
  deadline REAL,                    -- unix seconds; not worth posting after it
  created_at REAL NOT NULL,
  state TEXT NOT NULL DEFAULT 'intent' CHECK (state IN ('intent','sent','dropped','superseded')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_try_at REAL NOT NULL,
  last_error TEXT,
  message_id INTEGER,
  sent_at REAL
);
CREATE INDEX IF NOT EXISTS posts_open ON posts(state, next_try_at);
CREATE TABLE IF NOT EXISTS reminders(
  deliverable TEXT NOT NULL,
  lead_seconds INTEGER NOT NULL,
  due_at TEXT NOT NULL,             -- UTC ISO 8601
  nonce TEXT NOT NULL REFERENCES posts(nonce),
  PRIMARY KEY (deliverable, lead_seconds, due_at)
);
CREATE TABLE IF NOT EXISTS known(    -- each deliverable's due moment as last seen or announced
  deliverable TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  due_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dm_optin(user_id INTEGER PRIMARY KEY, since REAL NOT NULL);
"""

Key = tuple[str, int, str]


class LedgerLocked(RuntimeError):
    """Another process holds the ledger: two bots would post everything twice."""


@dataclass(frozen=True)
class Outgoing:
    nonce: str
    target: str
    kind: str
    content: str
    deadline: float | None
    created_at: float
    attempts: int
    last_error: str | None = None

    @property
    def user_id(self) -> int | None:
        return int(self.target.split(":", 1)[1]) if self.target.startswith("user:") else None


def new_nonce() -> str:
    return secrets.token_hex(12)  # 24 characters; Discord allows 25


def unix(moment: dt.datetime) -> float:
    assert moment.tzinfo is not None, "naive datetime"
    return moment.timestamp()


class Ledger:
    def __init__(self, db: sqlite3.Connection, lock_fd: int | None):
        self.db = db
        self._lock_fd = lock_fd

    @classmethod
    def open(cls, path: Path | str, lock: bool = True) -> Ledger:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = _lock(path) if lock else None
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        db.executescript(SCHEMA)
        return cls(db, fd)

    def close(self) -> None:
        self.db.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None

    def record(self, target: str, kind: str, content: str, now: dt.datetime, deadline: dt.datetime | None,
               keys: Iterable[Key] = (), known: Mapping[str, tuple[str, dt.datetime]] | None = None,
               forget: Iterable[str] = ()) -> str:
        """Record one intent and what it settles (reminder keys, announced dates), atomically."""
        nonce = new_nonce()
        with self._tx() as db:
            self._insert(db, nonce, target, kind, content, now, deadline)
            db.executemany("INSERT INTO reminders VALUES (?,?,?,?)", [(*key, nonce) for key in keys])
            for ident, (name, due_at) in (known or {}).items():
                db.execute("INSERT OR REPLACE INTO known VALUES (?,?,?)",
                           (ident, name, due_at.astimezone(UTC).isoformat()))
            db.executemany("DELETE FROM known WHERE deliverable = ?", [(ident,) for ident in forget])
        return nonce

    @staticmethod
    def _insert(db: sqlite3.Connection, nonce: str, target: str, kind: str, content: str,
                now: dt.datetime, deadline: dt.datetime | None) -> None:
        db.execute("INSERT INTO posts(nonce, target, kind, content, deadline, created_at, next_try_at) "
                   "VALUES (?,?,?,?,?,?,?)",
                   (nonce, target, kind, content, deadline and unix(deadline), unix(now), unix(now)))

    def remember(self, entries: Mapping[str, tuple[str, dt.datetime]]) -> None:
        """Note due moments seen for the first time (no notice); later changes are announced."""
        with self._tx() as db:
            db.executemany("INSERT OR IGNORE INTO known VALUES (?,?,?)",
                           [(ident, name, due.astimezone(UTC).isoformat()) for ident, (name, due) in entries.items()])

    def rename(self, old: str, new: str) -> None:
        """A deliverable's id changed: what was announced and settled for the old id holds for the new one."""
        with self._tx() as db:
            db.execute("UPDATE OR REPLACE known SET deliverable = ? WHERE deliverable = ?", (new, old))
            db.execute("INSERT OR IGNORE INTO reminders SELECT ?, lead_seconds, due_at, nonce FROM reminders "
                       "WHERE deliverable = ?", (new, old))

    def settled(self) -> set[Key]:
        return {tuple(row) for row in self.db.execute(
            "SELECT deliverable, lead_seconds, due_at FROM reminders")}  # type: ignore[misc]

    def known(self) -> dict[str, tuple[str, dt.datetime]]:
        rows = self.db.execute("SELECT deliverable, name, due_at FROM known")
        return {ident: (name, dt.datetime.fromisoformat(due)) for ident, name, due in rows}

    def ready(self, now: dt.datetime) -> list[Outgoing]:
        """Intents due for a (re)try, oldest first."""
        rows = self.db.execute(
            "SELECT nonce, target, kind, content, deadline, created_at, attempts, last_error FROM posts "
            "WHERE state = 'intent' AND next_try_at <= ? ORDER BY id", (unix(now),))
        return [Outgoing(*row) for row in rows]

    def open_intents(self) -> list[Outgoing]:
        rows = self.db.execute("SELECT nonce, target, kind, content, deadline, created_at, attempts, "
                               "last_error FROM posts WHERE state = 'intent' ORDER BY id")
        return [Outgoing(*row) for row in rows]

    def claimed(self, target: str) -> set[int]:
        """Message ids already matched to a post (one message never confirms two posts)."""
        rows = self.db.execute("SELECT message_id FROM posts WHERE target = ? AND message_id IS NOT NULL",
                               (target,))
        return {row[0] for row in rows}

    def attempt(self, nonce: str) -> None:
        """Note that a send may be under way: from now on the post is looked up before a resend."""
        with self._tx() as db:
            db.execute("UPDATE posts SET attempts = attempts + 1 WHERE nonce = ?", (nonce,))

    def sent(self, nonce: str, message_id: int, now: dt.datetime, copies: Iterable[str] = ()) -> None:
        """Confirm a post; in the same transaction queue its copies (DMs) to other targets."""
        with self._tx() as db:
            db.execute("UPDATE posts SET state='sent', message_id=?, sent_at=?, last_error=NULL "
                       "WHERE nonce=?", (message_id, unix(now), nonce))
            kind, content, deadline = db.execute(
                "SELECT kind, content, deadline FROM posts WHERE nonce=?", (nonce,)).fetchone()
            for target in copies:
                db.execute("INSERT INTO posts(nonce, target, kind, content, deadline, created_at, next_try_at) "
                           "VALUES (?,?,?,?,?,?,?)", (new_nonce(), target, kind, content, deadline,
                                                      unix(now), unix(now)))

    def failed(self, nonce: str, error: str, retry_at: dt.datetime) -> None:
        with self._tx() as db:
            db.execute("UPDATE posts SET last_error=?, next_try_at=? WHERE nonce=?",
                       (error[:500], unix(retry_at), nonce))

    def drop(self, nonce: str, reason: str) -> None:
        """Give a post up for good (its deadline passed); its reminders stay settled."""
        with self._tx() as db:
            db.execute("UPDATE posts SET state='dropped', last_error=? WHERE nonce=?", (reason, nonce))

    def supersede(self, nonce: str) -> None:
        """Withdraw an intent that was never posted, un-settling its reminders to be planned afresh."""
        with self._tx() as db:
            db.execute("DELETE FROM reminders WHERE nonce=?", (nonce,))
            db.execute("UPDATE posts SET state='superseded' WHERE nonce=?", (nonce,))

    def set_dm(self, user_id: int, on: bool, now: dt.datetime) -> None:
        with self._tx() as db:
            if on:
                db.execute("INSERT OR IGNORE INTO dm_optin VALUES (?,?)", (user_id, unix(now)))
            else:
                db.execute("DELETE FROM dm_optin WHERE user_id=?", (user_id,))

    def dm_users(self) -> list[int]:
        return [row[0] for row in self.db.execute("SELECT user_id FROM dm_optin ORDER BY user_id")]

    def _tx(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on error."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def _lock(path: Path) -> int:
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        os.close(fd)
        raise LedgerLocked(f"another coursebot process holds {path}.lock; only one may send reminders") from exc
    return fd
