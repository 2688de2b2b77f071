"""Add one entry to ``knowledge/faq.yaml`` (from a staff answer on Discord): checked, atomic, comments kept.

No discord import. The file is never round-tripped through a YAML dumper: the new entry
is appended as text (strings double-quoted, so nothing can change type) at the
indentation the file's ``faq:`` list already uses, after the file's own bytes, so the
instructor's comments, order and layout stay exactly as they were. Before anything is
replaced, the whole knowledge folder is loaded with the new faq.yaml standing in for
the old one (in a scratch copy); only a course that loads is written, to a temp file
then ``os.replace``. Any failure leaves faq.yaml untouched and says why.

This is the one place the program writes ``knowledge/``, on a staff member's explicit
confirmation; everything else there is the instructor's.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.instructor import emit
from bot.knowledge import KnowledgeError, load_course
from bot.knowledge.course import slugify
from bot.knowledge.load import FILES

FAQ_FILE = "faq.yaml"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # as bot.knowledge.schema.FaqEntry
ID_CHARS = 48
DEFAULT_INDENT = 2
_locks_guard = threading.Lock()
_locks: dict[Path, threading.Lock] = {}


@dataclass(frozen=True)
class NewFaq:
    id: str
    question: str
    answer: str
    comment: str = ""  # one line written above the entry, e.g. where it came from


class FaqWriteError(Exception):
    """Nothing was written; the message says why."""


def suggest_id(question: str, taken: Iterable[str]) -> str:
    """A free id from the question's words: "are-the-lectures-recorded", then "-2", "-3"…"""
    base = slugify(question)[:ID_CHARS].strip("-") or "item"
    used, candidate, n = set(taken), base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def entry_lines(entry: NewFaq, indent: int) -> list[str]:
    """The entry as YAML list-item lines at ``indent`` spaces (a comment line above it, if any)."""
    pad = " " * indent
    body = emit.mapping({"id": entry.id, "question": entry.question, "answer": entry.answer}, 0)
    comment = " ".join(entry.comment.split())
    lines = [f"{pad}# {comment}"] if comment else []
    return lines + [f"{pad}- {body[0]}"] + [f"{pad}  {line}" for line in body[1:]]


def append_entry(raw: bytes, entry: NewFaq) -> bytes:
    """faq.yaml's bytes with the entry added at the end of its ``faq:`` list (the rest untouched)."""
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    indent, add_key = _list_indent(text)
    lines = (["faq:"] if add_key else []) + entry_lines(entry, indent)
    lead = "" if not text or text.endswith(("\n", "\r")) else newline
    gap = newline if text.strip() and not text.rstrip(" \t").endswith(("\n\n", "\r\n\r\n")) else ""
    addition = (lead + gap + newline.join(lines) + newline).encode("utf-8")
    result = raw + addition
    _check_landed(text, result.decode("utf-8-sig"), entry)
    return result


def _list_indent(text: str) -> tuple[int, bool]:
    """(indent of the faq list's items, whether a ``faq:`` key has to be written first)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise FaqWriteError(f"{FAQ_FILE} is not valid YAML now{where}: fix it first") from exc
    if root is None:
        return DEFAULT_INDENT, True
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise FaqWriteError(f"{FAQ_FILE} should hold a `faq:` list at the top; it holds something else")
    keys = [key.value for key, _ in root.value]
    if "faq" not in keys:
        return DEFAULT_INDENT, True
    if keys[-1] != "faq":
        raise FaqWriteError(f"`faq:` is not the last key in {FAQ_FILE}, so an entry can't be added at the end")
    value = root.value[-1][1]
    if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null":
        return DEFAULT_INDENT, False
    if not isinstance(value, yaml.SequenceNode) or value.flow_style:
        raise FaqWriteError(f"the `faq:` list in {FAQ_FILE} is written inline ([...]): write it as a block list "
                            "(one `- id:` per entry) so entries can be added")
    return value.start_mark.column, False


def _check_landed(before: str, after: str, entry: NewFaq) -> None:
    """The entry is the list's new last item and nothing else moved (guards the text surgery)."""
    old = (yaml.safe_load(before) or {}).get("faq") or []
    new = (yaml.safe_load(after) or {}).get("faq") or []
    if new[:-1] != old or new[-1:] != [{"id": entry.id, "question": entry.question, "answer": entry.answer}]:
        raise FaqWriteError(f"could not add the entry to {FAQ_FILE} without changing other entries")


def check_entry(entry: NewFaq, existing_ids: Iterable[str]) -> None:
    if not ID_PATTERN.match(entry.id):
        raise FaqWriteError(f"id {entry.id!r}: use lowercase letters, digits and dashes, e.g. lecture-recordings")
    if entry.id in set(existing_ids):
        raise FaqWriteError(f"id {entry.id!r} is already in {FAQ_FILE}: pick another")
    if not entry.question.strip() or not entry.answer.strip():
        raise FaqWriteError("the question and the answer must both have text")


def add_faq(knowledge: Path, entry: NewFaq) -> Path:
    """Validate and write; returns the file written. Raises FaqWriteError (nothing written) on any problem."""
    path = Path(knowledge) / FAQ_FILE
    with _lock_for(path):
        before = _read(path)
        try:
            ids = [str(e.get("id")) for e in (yaml.safe_load(before.decode("utf-8-sig")) or {}).get("faq") or []
                   if isinstance(e, dict)]
        except (yaml.YAMLError, UnicodeDecodeError, AttributeError):
            ids = []  # append_entry reports what is wrong with the file
        check_entry(entry, ids)
        after = append_entry(before, entry)
        _validate(Path(knowledge), after)
        _replace(path, before, after)
    return path


def _lock_for(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(path.resolve(), threading.Lock())


def _read(path: Path) -> bytes:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise FaqWriteError(f"could not read {path}: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise FaqWriteError(f"{path} is not a regular file (a link or device?): the bot only edits a plain file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FaqWriteError(f"could not read {path}: {exc.strerror}") from exc


def _validate(knowledge: Path, faq: bytes) -> None:
    """Load the whole course with the new faq.yaml in a scratch copy of the folder."""
    with tempfile.TemporaryDirectory(prefix="coursebot-faq-") as scratch:
        for name in FILES:
            if name != FAQ_FILE and (knowledge / name).is_file():
                shutil.copyfile(knowledge / name, Path(scratch) / name)
        (Path(scratch) / FAQ_FILE).write_bytes(faq)
        try:
            load_course(scratch)
        except KnowledgeError as exc:
            problems = [str(p).replace(scratch, str(knowledge)) for p in exc.problems]
            raise FaqWriteError("the knowledge would not load with this entry:\n" + "\n".join(problems)) from exc


def _replace(path: Path, before: bytes, after: bytes) -> None:
    """Temp file beside it, fsync, then one rename; refused if faq.yaml changed meanwhile."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{FAQ_FILE}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise FaqWriteError(f"could not write in {path.parent}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(after)
            handle.flush()
            os.fsync(handle.fileno())
        if _read(path) != before:
            raise FaqWriteError(f"{path} changed while the entry was being saved; nothing was written: try again")
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise FaqWriteError(f"could not write {path}: {exc.strerror}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
