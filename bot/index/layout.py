"""Where built artefacts live under ``engine.index_dir`` and how concurrent builders take turns.

    index/                              engine.index_dir (generated, never hand-edited)
      models/<model>-<hash>/            the ONNX export of one model, shared by every course
      <course>-<hash of knowledge path>/   one course's vectors, units, embedding cache, manifest

Each knowledge folder (by its resolved path) has its own course folder, so
``coursebot --knowledge OTHER ask`` never replaces the default course's index. Writers
hold an exclusive ``flock`` on ``.lock`` in the folder they write; readers take no lock
(every file is replaced atomically and checked against the manifest).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bot.index.errors import IndexBuildError

log = logging.getLogger(__name__)

MODELS = "models"
LOCK = ".lock"
TEMP_SUFFIX = ".tmp"  # every temporary file or folder a builder makes is named .<name>.<random>.tmp
LOCK_TIMEOUT_S = 600.0  # a cold build with the export takes seconds; past this the holder is stuck
READ_CHUNK_BYTES = 1 << 20
OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC | os.O_NOFOLLOW  # a FIFO never blocks
KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISLNK, "a symlink"),
         (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


class DamagedArtefact(Exception):
    """A generated file is something no build writes: not a regular file, a symlink, or too large."""


def slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "x"


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:10]


def course_index_dir(root: Path | str, knowledge: Path | str) -> Path:
    """The folder holding the index of the course in ``knowledge``: ``root/<slug>-<hash>``."""
    resolved = Path(knowledge).resolve()
    return Path(root) / f"{slug('-'.join(resolved.parts[-2:]))}-{short_hash(str(resolved))}"


def models_dir(root: Path | str) -> Path:
    return Path(root) / MODELS


def model_dir_name(model: str) -> str:
    return f"{slug(model)}-{short_hash(model)}"


def is_temporary(name: str) -> bool:
    """Files a builder writes before renaming them; in these generated folders only ``.lock`` is not one
    (``tmp*.npz``: the embedding cache's temporaries before format 2)."""
    return (name.startswith(".") and name != LOCK) or (name.startswith("tmp") and name.endswith(".npz"))


def remove_leftovers(folder: Path) -> list[str]:
    """Delete temporary files a crashed builder left (call with the folder's lock held)."""
    removed = []
    with contextlib.suppress(FileNotFoundError):
        for entry in folder.iterdir():
            if is_temporary(entry.name):
                with contextlib.suppress(OSError):
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry)
                    else:
                        entry.unlink()
                    removed.append(entry.name)
    if removed:
        log.info("removed %d leftover temporary file(s) in %s", len(removed), folder)
    return removed


def remove_idle_leftovers(folder: Path) -> None:
    """A killed builder's temporary files, removed now if no build is running (a live build's look the same)."""
    try:
        if not any(is_temporary(p.name) for p in folder.iterdir()):
            return
    except OSError:
        return
    with try_folder_lock(folder) as locked:
        if locked:
            remove_leftovers(folder)


def describe_os_error(exc: OSError) -> str:
    """One line for a person: 'No space left on device' rather than a traceback."""
    reason = exc.strerror or exc.__class__.__name__
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason += " (the folder is read-only here)"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason += " (the disk is full)"
    return reason + (f": {exc.filename}" if exc.filename else "")


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) or raise IndexBuildError saying why not."""
    if folder.is_dir():
        return
    for parent in (folder, *folder.parents):
        if parent.exists() and not parent.is_dir():
            raise IndexBuildError(folder, f"cannot create the index folder: {parent} is a file, not a folder "
                                          "(remove it or set engine.index_dir)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexBuildError(folder, f"cannot create the index folder: {describe_os_error(exc)}") from exc


@contextlib.contextmanager
def folder_lock(folder: Path, what: str, timeout_s: float | None = None) -> Iterator[None]:
    """Hold the exclusive build lock of ``folder`` (created if needed); released on exit or death."""
    make_folder(folder)
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise IndexBuildError(folder, f"cannot build {what}: {describe_os_error(exc)}") from exc
    try:
        limit = LOCK_TIMEOUT_S if timeout_s is None else timeout_s
        deadline = time.monotonic() + limit
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    log.info("waiting for another process building %s in %s", what, folder)
                    waited = True
                if time.monotonic() > deadline:
                    raise IndexBuildError(folder, f"another process has been building {what} here "
                                                  f"for over {limit:.0f} s") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextlib.contextmanager
def try_folder_lock(folder: Path) -> Iterator[bool]:
    """The folder's lock if it is free right now (yields False otherwise, or when it cannot be opened)."""
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync, rename; never leave the temporary."""
    fd, tmp = _temp_file(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o644)  # mkstemp makes 0600: the bot may run as another user
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _temp_file(path: Path) -> tuple[int, str]:
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)


def temp_dir(parent: Path, name: str) -> Path:
    return Path(tempfile.mkdtemp(dir=parent, prefix=f".{name}.", suffix=TEMP_SUFFIX))


def sha256_file(path: Path, limit: int | None = None) -> str:
    """The checksum of the regular file at ``path`` (see ``read_artefact`` for what is refused)."""
    digest = hashlib.sha256()
    with _opened(path) as fd:
        read = 0
        while block := os.read(fd, READ_CHUNK_BYTES):
            read += len(block)
            if limit is not None and read > limit:
                raise DamagedArtefact(f"{path} is larger than {limit:,} bytes, more than any build writes")
            digest.update(block)
    return digest.hexdigest()


def read_artefact(path: Path, limit: int) -> bytes:
    """The bytes of the generated file at ``path``, which must be a regular file of at most ``limit`` bytes.

    Opened without following a symlink and without blocking (a FIFO has no writer), then checked
    with fstat; the cap holds for what is read, not what ``st_size`` says. Raises FileNotFoundError
    when nothing is there, DamagedArtefact (one line naming the file) for anything else.
    """
    with _opened(path) as fd:
        data = bytearray()
        while len(data) <= limit and (block := os.read(fd, min(READ_CHUNK_BYTES, limit + 1 - len(data)))):
            data += block
    if len(data) > limit:
        raise DamagedArtefact(f"{path} is larger than {limit:,} bytes, more than any build writes")
    return bytes(data)


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[int]:
    try:
        fd = os.open(path, OPEN_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as exc:  # ELOOP: a symlink (O_NOFOLLOW); EACCES: mode 000
        raise DamagedArtefact(f"{path} cannot be read as a file: {_kind(path) or describe_os_error(exc)}") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise DamagedArtefact(f"{path} is {_kind(path) or 'not a regular file'}, not a file a build wrote")
        try:
            yield fd
        except OSError as exc:
            raise DamagedArtefact(f"{path} cannot be read: {describe_os_error(exc)}") from exc
    finally:
        os.close(fd)


def _kind(path: Path) -> str | None:
    """What is at ``path`` if it is not a regular file ('a FIFO', 'a symlink to /dev/zero', ...)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISLNK(mode):
        with contextlib.suppress(OSError):
            return f"a symlink to {os.readlink(path)}"
    return next((what for test, what in KINDS if test(mode)), None)


def remove_intruder(path: Path) -> bool:
    """Delete whatever is at ``path`` unless it is a regular file (a build then writes the file there)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISREG(mode):
        return False
    what = _kind(path)
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)
    else:
        path.unlink()
    log.warning("removed %s where the generated file %s belongs", what, path)
    return True
