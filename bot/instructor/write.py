"""Write the imported files safely: all into a temporary folder beside ``--out``, then moved into place.

A failure (``--out`` is a file, a read-only mount, a full disk) leaves what was there before
untouched and no half-written file behind, and is one line for the user. A file in ``--out``
that is a symbolic link is replaced by a regular file: the link's target, possibly outside
the folder, is never written.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path


class WriteError(Exception):
    """The knowledge files could not be written (one line for the user)."""


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def write_files(directory: Path, texts: dict[str, str], force: bool = True) -> list[Path]:
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise WriteError(f"--out {directory} is a file, not a folder")
    if not force:
        clash = [name for name in texts if os.path.lexists(directory / name)]
        if clash:
            raise WriteError(f"{directory} already holds {', '.join(clash)}; use --force to overwrite, "
                             "or another --out")
    parent = directory.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.import-", dir=parent))
    except OSError as exc:
        raise WriteError(f"cannot write to {directory}: {_reason(exc)}") from exc
    try:
        for name, text in texts.items():
            _write(staging / name, text)
        if not directory.exists():
            os.replace(staging, directory)
            return [directory / name for name in texts]
        for name in texts:
            target = directory / name
            if target.is_dir() and not target.is_symlink():
                raise WriteError(f"cannot write {target}: it is a folder")
            os.replace(staging / name, target)  # replaces a symlink itself, never the file it points to
        return [directory / name for name in texts]
    except OSError as exc:
        raise WriteError(f"cannot write to {directory}: {_reason(exc)}; nothing was changed") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
