"""The reminder ledger in SQLite: what was promised, what was posted, to whom.

A post is recorded as an *intent* (with its nonce and the reminder keys it settles) in
one transaction before it is sent; it becomes *sent* once the channel confirms. The
sender reconciles intents it may have sent (``attempts > 0``) against the channel before
sending them again. An exclusive lock file keeps a second bot process off the ledger.

A damaged ledger is refused (``LedgerDamaged``, one line naming the file), never replaced:
a fresh ledger would post again every reminder already posted. So a new ledger is made
whole under a temporary name and linked into place, and a ledger that is empty, not a
regular file, or fails SQLite's quick check is damage.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import os
import secrets
import socket
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
UTC = dt.UTC
CHANNEL = "channel"
LEASE_SECONDS = 600  # a lease not renewed for this long may be taken over (the holder renews every tick)
RENEW_SECONDS = 60  # how often the holder writes its renewal
HOST = socket.gethostname()
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
  sent_at REAL,
  floor_id INTEGER                  -- newest message id confirmed to the target before the first attempt
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
CREATE TABLE IF NOT EXISTS lease(     -- the one process allowed to send
  id INTEGER PRIMARY KEY CHECK (id = 1),
  owner TEXT NOT NULL,              -- a random token per Ledger.open
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  expires_at REAL NOT NULL          -- unix seconds on the holder's wall clock
);
"""

Key = tuple[str, int, str]
OUTGOING = "nonce, target, kind, content, deadline, created_at, attempts, last_error, floor_id"


class LedgerLocked(RuntimeError):
    """Another process holds the ledger: two bots would post everything twice."""


class LedgerDamaged(RuntimeError):
    """The ledger file is damaged; reminders stay off rather than start a fresh ledger and post again."""

    def __init__(self, path: Path | str, reason: str):
        self.path = path
        super().__init__(f"the reminder ledger {path} {reason}: reminders stay off, because a fresh ledger would "
                         "post again every reminder already posted; restore it from a backup, or move it aside "
                         "to start afresh knowingly")


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
    floor_id: int | None = None  # a message id the post, if it went out, is certainly newer than

    @property
    def user_id(self) -> int | None:
        return int(self.target.split(":", 1)[1]) if self.target.startswith("user:") else None


def new_nonce() -> str:
    return secrets.token_hex(12)  # 24 characters; Discord allows 25


def unix(moment: dt.datetime) -> float:
    assert moment.tzinfo is not None, "naive datetime"
    return moment.timestamp()


class Ledger:
    def __init__(self, db: sqlite3.Connection, lock_fd: int | None, clock: Callable[[], float] = time.time):
        self.db = db
        self._lock_fd = lock_fd
        self._clock = clock  # the lease's wall clock (real time, not the reminders' injected now)
        self._owner: str | None = None
        self._renewed = 0.0

    @classmethod
    def open(cls, path: Path | str, lock: bool = True, clock: Callable[[], float] = time.time) -> Ledger:
        """Open (or create) the ledger; with ``lock``, refuse with LedgerLocked if another process sends."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            real = path.resolve()  # through a symlink or a relative path: the same lock as the real file
        except (RuntimeError, OSError) as exc:  # RuntimeError: a symlink loop (Python 3.11)
            raise LedgerDamaged(path, "is a symlink loop") from exc
        shown = f"{path} (a symlink to {real})" if path.is_symlink() else str(path)  # messages name both
        fd = _lock(real) if lock else None
        try:
            _check_or_create(real, shown)
            db = sqlite3.connect(real, isolation_level=None)
        except BaseException:
            if fd is not None:
                os.close(fd)
            raise
        ledger = cls(db, fd, clock)
        try:
            _prepare(db, shown)
            if lock:
                ledger._take_lease(real)
        except BaseException:
            ledger.close()
            raise
        return ledger

    def close(self) -> None:
        if self._owner is not None:
            try:
                with _Transaction(self.db) as db:
                    db.execute("DELETE FROM lease WHERE owner = ?", (self._owner,))
            except sqlite3.Error:
                log.warning("could not release the ledger lease; the next start takes it over", exc_info=True)
            self._owner = None
        self.db.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None

    def _take_lease(self, real: Path) -> None:
        owner, now = new_nonce(), self._clock()
        with _Transaction(self.db) as db:
            row = db.execute("SELECT host, pid, expires_at FROM lease").fetchone()
            if row is not None and _held(row[0], row[1], row[2], now):
                host, pid, expires_at = row
                raise LedgerLocked(f"another coursebot process (pid {pid} on {host}) holds the reminder ledger "
                                   f"{real} (lease renewed {max(0, LEASE_SECONDS - (expires_at - now)):.0f} s ago); "
                                   "only one may send reminders")
            if row is not None:
                log.warning("taking over the reminder ledger from pid %s on %s (gone, or its lease expired)",
                            row[1], row[0])
            db.execute("INSERT OR REPLACE INTO lease VALUES (1, ?, ?, ?, ?)",
                       (owner, HOST, os.getpid(), now + LEASE_SECONDS))
        # In the database file itself, not only in the WAL: a second name for the file (a hard
        # link) reads another WAL, but still finds the lease.
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._owner, self._renewed = owner, now

    def renew(self) -> None:
        """Extend this process's lease (written once a minute); LedgerLocked if another process took it."""
        if self._owner is None:
            return
        now = self._clock()
        if now - self._renewed < RENEW_SECONDS:
            if self.db.execute("SELECT 1 FROM lease WHERE owner = ?", (self._owner,)).fetchone() is None:
                raise LedgerLocked(self._lost())
            return
        with self._tx() as db:
            db.execute("UPDATE lease SET expires_at = ? WHERE owner = ?", (now + LEASE_SECONDS, self._owner))
        self._renewed = now

    def _lost(self) -> str:
        row = self.db.execute("SELECT host, pid FROM lease").fetchone()
        holder = f"pid {row[1]} on {row[0]}" if row else "nobody"
        return f"this process no longer holds the reminder ledger's lease (now: {holder}); it stops sending"

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
            "SELECT deliverable, lead_seconds, due_at FROM reminders")}

    def known(self) -> dict[str, tuple[str, dt.datetime]]:
        rows = self.db.execute("SELECT deliverable, name, due_at FROM known")
        return {ident: (name, dt.datetime.fromisoformat(due)) for ident, name, due in rows}

    def ready(self, now: dt.datetime) -> list[Outgoing]:
        """Intents due for a (re)try, oldest first."""
        rows = self.db.execute(
            f"SELECT {OUTGOING} FROM posts WHERE state = 'intent' AND next_try_at <= ? ORDER BY id", (unix(now),))
        return [Outgoing(*row) for row in rows]

    def open_intents(self) -> list[Outgoing]:
        rows = self.db.execute(f"SELECT {OUTGOING} FROM posts WHERE state = 'intent' ORDER BY id")
        return [Outgoing(*row) for row in rows]

    def claimed(self, target: str) -> set[int]:
        """Message ids already matched to a post (one message never confirms two posts)."""
        rows = self.db.execute("SELECT message_id FROM posts WHERE target = ? AND message_id IS NOT NULL",
                               (target,))
        return {row[0] for row in rows}

    def attempt(self, nonce: str) -> None:
        """Note that a send may be under way: from now on the post is looked up before a resend.

        The first attempt also records the *floor*: the newest message already confirmed to
        that target. Whatever this send produces is newer, so a later lookup starts there,
        whatever the clocks say. Like every write, checked against the lease in the same
        transaction: a process that lost the ledger gets LedgerLocked here and sends nothing.
        """
        with self._tx() as db:
            db.execute("UPDATE posts SET attempts = attempts + 1, floor_id = COALESCE(floor_id, "
                       "(SELECT MAX(message_id) FROM posts AS other WHERE other.target = posts.target)) "
                       "WHERE nonce = ?", (nonce,))

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
        return _Transaction(self.db, self._owner, self._lost)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on error; with an owner, only while it holds the lease."""

    def __init__(self, db: sqlite3.Connection, owner: str | None = None,
                 lost: Callable[[], str] | None = None):
        self.db, self.owner, self.lost = db, owner, lost

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        if self.owner and self.db.execute("SELECT 1 FROM lease WHERE owner = ?", (self.owner,)).fetchone() is None:
            self.db.execute("ROLLBACK")
            raise LedgerLocked(self.lost() if self.lost else "the ledger lease was lost")
        return self.db

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


DAMAGE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_IOERR", "SQLITE_CANTOPEN")  # and extended codes
NOT_FILES = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _check_or_create(real: Path, shown: str) -> None:
    """LedgerDamaged unless ``real`` is a non-empty regular file; a missing ledger is created whole."""
    try:
        info = os.stat(real)
    except FileNotFoundError:
        _create(real)
        return
    if not stat.S_ISREG(info.st_mode):
        kind = next((what for test, what in NOT_FILES if test(info.st_mode)), "not a regular file")
        raise LedgerDamaged(shown, f"is {kind}, not a database file")
    if info.st_size == 0:
        raise LedgerDamaged(shown, "is empty (0 bytes; every ledger this bot makes holds its tables)")


def _create(real: Path) -> None:
    """A new ledger with its tables, made under a temporary name and linked into place (never a 0-byte ledger)."""
    temp = real.with_name(f".{real.name}.{secrets.token_hex(4)}.tmp")
    try:
        db = sqlite3.connect(temp, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
        finally:
            db.close()
        with contextlib.suppress(FileExistsError):  # another process (lock=False) made it meanwhile: use theirs
            os.link(temp, real)
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            leftover.unlink(missing_ok=True)


def _prepare(db: sqlite3.Connection, shown: str) -> None:
    """Settings, tables and migrations; LedgerDamaged if SQLite finds the file damaged."""
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA foreign_keys=ON")
        problems = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise LedgerDamaged(shown, f"fails SQLite's check ({'; '.join(problems)[:300]})")
        db.executescript(SCHEMA)
        _migrate(db)
    except sqlite3.DatabaseError as exc:
        if not (getattr(exc, "sqlite_errorname", None) or "").startswith(DAMAGE_ERRORS):
            raise
        raise LedgerDamaged(shown, f"is damaged ({exc})") from exc


def _migrate(db: sqlite3.Connection) -> None:
    """Columns added since the first release (CREATE TABLE IF NOT EXISTS leaves old tables alone)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(posts)")}
    if "floor_id" not in columns:
        db.execute("ALTER TABLE posts ADD COLUMN floor_id INTEGER")


def _lock(real: Path) -> int:
    """flock ``<real path>.lock`` and write who holds it; LedgerLocked naming the holder if taken."""
    fd = os.open(f"{real}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise LedgerLocked(f"another coursebot process ({holder}) holds {real}.lock; "
                           "only one may send reminders") from exc
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()} on {HOST}\n".encode(), 0)
    return fd


def _held(host: str, pid: int, expires_at: float, now: float) -> bool:
    """Is a lease still someone's? Until it expires, and on this host only while its process lives."""
    if host == HOST and not _alive(pid):
        return False
    return expires_at > now


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
