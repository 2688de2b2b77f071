"""Read one instructor YAML file safely, keeping line numbers for every key.

PyYAML's SafeLoader is YAML 1.1: ``16:20`` becomes the integer 980, ``no`` becomes
False and a repeated key silently wins. Instructors write times and words, so this
loader resolves scalars the YAML 1.2 way (only ``true``/``false`` are booleans, no
base-60 numbers), rejects duplicate keys, and records where each key stands so a
validation error can name ``file:line``. It refuses anchors and aliases: a few KB of
nested aliases expand to gigabytes, and a course never needs them.

Files are read by ``read_file``: regular files only (a FIFO, a device or a directory
is named, never opened for a blocking read), at most ``MAX_FILE_BYTES`` actually read.
"""

from __future__ import annotations

import errno
import os
import re
import reprlib
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 2_000_000
READ_CHUNK_BYTES = 1 << 20
SHOWN_CHARS = 60  # a value quoted in a message is cut to about this many characters
_NOT_REGULAR = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = SHOWN_CHARS
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 5


def shown(value: object) -> str:
    """``repr(value)`` short enough for a one-line message, with the length of a long string."""
    text = _SHORT.repr(value)
    return f"{text} ({len(value):,} characters)" if isinstance(value, str) and len(value) > SHOWN_CHARS else text


@dataclass(frozen=True)
class Problem:
    """One located, human-readable problem in the knowledge files."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        what = f" {self.field}:" if self.field else ""
        return f"{where}:{what} {self.message}"


def field_path(loc: tuple[Any, ...]) -> str:
    """A pydantic ``loc`` as the field a person reads: ``sessions[3].due[0].points``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


class KnowledgeError(Exception):
    """The knowledge could not be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Located:
    """Parsed YAML data plus the (line, column) of every mapping key and list item."""

    data: Any
    marks: dict[int, dict[Any, tuple[int, int]]] = field(default_factory=dict)

    def position(self, loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
        """Best (line, column), 1-based, for a pydantic ``loc`` path into ``data``."""
        node = self.data
        best: tuple[int | None, int | None] = (None, None)
        for key in loc:
            marks = self.marks.get(id(node), {})
            if key in marks:
                best = marks[key]
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                break
        return best

    def positions(self) -> dict[tuple[Any, ...], tuple[int, int]]:
        """(line, column) of every key and list item by its path: ``position``'s lookups, flattened."""
        found: dict[tuple[Any, ...], tuple[int, int]] = {}
        stack: list[tuple[tuple[Any, ...], Any]] = [((), self.data)]
        while stack:
            path, node = stack.pop()
            marks = self.marks.get(id(node), {})
            children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            for key, child in children:
                if key in marks:
                    found[(*path, key)] = marks[key]
                stack.append(((*path, key), child))
        return found


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML-1.2-like scalars, duplicate-key errors, key marks and no aliases."""

    key_marks: dict[int, dict[Any, tuple[int, int]]]

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:  # AliasEvent is a NodeEvent
            what = f"alias *{event.anchor}" if isinstance(event, yaml.AliasEvent) else f"anchor &{event.anchor}"
            mark = event.start_mark if isinstance(event.start_mark, yaml.error.Mark) else None  # pure-Python parser
            raise yaml.composer.ComposerError(
                None, None, f"YAML {what}: anchors and aliases are not allowed in knowledge files (a few lines of "
                            "them can expand to gigabytes); write the value out in full", mark)
        return super().compose_node(parent, index)


# Keep only the implicit resolvers that YAML 1.2 also has; drop base-60 numbers and
# yes/no/on/off booleans, which surprise people writing times and words.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    marks: dict[Any, tuple[int, int]] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be plain text, found {shown(key)}", key_node.start_mark
            )
        if key in result:
            first = marks[key][0]
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {shown(key)} (first given on line {first})", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        marks[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    loader.key_marks[id(result)] = marks
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode, deep: bool = False) -> list:
    items = [loader.construct_object(child, deep=True) for child in node.value]
    loader.key_marks[id(items)] = {
        i: (child.start_mark.line + 1, child.start_mark.column + 1) for i, child in enumerate(node.value)
    }
    return items


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:  # 2020-02-30 matches the pattern but is no day
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a real date ({exc})", node.start_mark
        ) from exc


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _int_or_text(loader: _Loader, node: yaml.ScalarNode) -> Any:
    if _SEXAGESIMAL.match(node.value):
        return node.value
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError as exc:  # Python refuses to convert integers of more than 4,300 digits
        raise yaml.constructor.ConstructorError(
            None, None, f"number with too many digits ({len(node.value):,})", node.start_mark
        ) from exc


def _float_or_text(loader: _Loader, node: yaml.ScalarNode) -> Any:
    if _SEXAGESIMAL.match(node.value):
        return node.value
    return yaml.SafeLoader.construct_yaml_float(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:int", _int_or_text)
_Loader.add_constructor("tag:yaml.org,2002:float", _float_or_text)


def read_yaml(path: Path, display: str | None = None) -> Located:
    """Parse ``path``; raise KnowledgeError with file:line:column on any problem."""
    name = display or str(path)
    try:
        raw = read_file(path, name)
    except FileNotFoundError as exc:
        raise KnowledgeError([Problem(name, None, None, "", "does not exist")]) from exc
    return parse_yaml(raw, name)


def parse_yaml(raw: bytes, name: str) -> Located:
    """Parse the bytes of the file called ``name``; raise KnowledgeError with file:line:column."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        raise KnowledgeError(
            [Problem(name, bad_line, None, "", "is not UTF-8 text (save the file as UTF-8)")]
        ) from exc
    try:
        loader = _Loader(text)  # the reader rejects control characters here, before parsing
    except yaml.reader.ReaderError as exc:
        raise KnowledgeError([_control_character(name, text, exc)]) from exc
    loader.key_marks = {}
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise KnowledgeError([Problem(name, line, col, "", _yaml_message(exc))]) from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError([Problem(name, None, None, "", f"is not valid YAML: {exc}")]) from exc
    except RecursionError as exc:
        line = loader.get_mark().line + 1 if loader.get_mark() else None
        raise KnowledgeError([Problem(name, line, None, "", "is nested too deeply to read")]) from exc
    finally:
        loader.dispose()
    return Located(data, loader.key_marks)


def _control_character(name: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    before = text[: exc.position]
    line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
    return Problem(name, line, column, "", f"contains a control character (#x{exc.character:04x}) that YAML does "
                                           "not allow; delete it or retype the text around it")


def read_file(path: Path, name: str | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), at most ``MAX_FILE_BYTES``.

    Anything but a regular file is refused before it is opened; the file is then opened
    non-blocking (a FIFO swapped in meanwhile cannot stall the caller) and checked again
    with fstat. The cap holds for what is read, not what ``st_size`` claims (``/proc``
    files say 0; a file may grow while it is read). Raises FileNotFoundError when nothing
    is at ``path``, KnowledgeError (one whole-file Problem) for everything else.
    """
    name = name or str(path)
    try:
        _refuse_irregular(os.stat(path).st_mode, name)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        if os.path.islink(path):
            raise _whole(name, f"is a symlink to {os.readlink(path)}, which does not exist") from None
        raise
    except OSError as exc:
        raise _whole(name, _unreadable(exc)) from exc
    try:
        info = os.fstat(fd)
        _refuse_irregular(info.st_mode, name)
        if info.st_size > MAX_FILE_BYTES:
            raise _whole(name, f"is {info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        data = _read_at_most(fd, MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _whole(name, _unreadable(exc)) from exc
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise _whole(name, f"is more than {MAX_FILE_BYTES:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    return data


def _refuse_irregular(mode: int, name: str) -> None:
    if not stat.S_ISREG(mode):
        kind = next((what for test, what in _NOT_REGULAR if test(mode)), "not a file")
        raise _whole(name, f"is not a regular file ({kind}); knowledge files must be plain files")


def _read_at_most(fd: int, limit: int) -> bytes:
    data = bytearray()
    while len(data) < limit:
        chunk = os.read(fd, min(READ_CHUNK_BYTES, limit - len(data)))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def _unreadable(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symlink loop (it points back to itself); replace it with the file"
    return f"cannot be read: {exc.strerror}"


def _whole(name: str, message: str) -> KnowledgeError:
    return KnowledgeError([Problem(name, None, None, "", message)])


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if "found character '\\t'" in problem:
        return "a tab character is used for indentation; YAML needs spaces"
    if "could not determine a constructor" in problem:
        return f"unsupported tag ({problem.split('tag')[-1].strip()}); only plain YAML is allowed"
    return problem
