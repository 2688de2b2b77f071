"""Read one instructor YAML file safely, keeping line numbers for every key.

PyYAML's SafeLoader is YAML 1.1: ``16:20`` becomes the integer 980, ``no`` becomes
False and a repeated key silently wins. Instructors write times and words, so this
loader resolves scalars the YAML 1.2 way (only ``true``/``false`` are booleans, no
base-60 numbers), rejects duplicate keys, and records where each key stands so a
validation error can name ``file:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 2_000_000


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
        node, best = self.data, (None, None)
        for key in loc:
            marks = self.marks.get(id(node), {})
            if key in marks:
                best = marks[key]
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                break
        return best


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML-1.2-like scalars, duplicate-key errors and key marks."""

    key_marks: dict[int, dict[Any, tuple[int, int]]]


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
                None, None, f"a key must be plain text, found {key!r}", key_node.start_mark
            )
        if key in result:
            first = marks[key][0]
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first given on line {first})", key_node.start_mark
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
_Loader.add_constructor("tag:yaml.org,2002:int", lambda ld, n: _int_or_text(ld, n))
_Loader.add_constructor("tag:yaml.org,2002:float", lambda ld, n: _float_or_text(ld, n))


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


def read_yaml(path: Path, display: str | None = None) -> Located:
    """Parse ``path``; raise KnowledgeError with file:line:column on any problem."""
    name = display or str(path)
    return parse_yaml(read_file(path, name), name)


def parse_yaml(raw: bytes, name: str) -> Located:
    """Parse the bytes of the file called ``name``; raise KnowledgeError with file:line:column."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KnowledgeError(
            [Problem(name, line, None, "", "is not UTF-8 text (save the file as UTF-8)")]
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
    """The bytes of the file at ``path``, at most ``MAX_FILE_BYTES``; KnowledgeError if it cannot be read."""
    name = name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise KnowledgeError(
                [Problem(name, None, None, "", f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")]
            )
        return path.read_bytes()
    except OSError as exc:
        raise KnowledgeError([Problem(name, None, None, "", f"cannot be read: {exc.strerror}")]) from exc


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if "found character '\\t'" in problem:
        return "a tab character is used for indentation; YAML needs spaces"
    if "could not determine a constructor" in problem:
        return f"unsupported tag ({problem.split('tag')[-1].strip()}); only plain YAML is allowed"
    return problem
