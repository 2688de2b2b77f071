"""Load ``knowledge/`` into a Course, or fail with every located problem at once."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bot.knowledge.course import Course, assign_ids
from bot.knowledge.schema import (
    CalendarFile,
    CourseInfo,
    FaqFile,
    PoliciesFile,
    ReadingsFile,
    ResourcesFile,
)
from bot.knowledge.yamlfile import KnowledgeError, Located, Problem, field_path, read_yaml

M = TypeVar("M", bound=BaseModel)

# file name -> (model, required)
FILES: dict[str, tuple[type[BaseModel], bool]] = {
    "course.yaml": (CourseInfo, True),
    "calendar.yaml": (CalendarFile, True),
    "policies.yaml": (PoliciesFile, False),
    "readings.yaml": (ReadingsFile, False),
    "resources.yaml": (ResourcesFile, False),
    "faq.yaml": (FaqFile, False),
}


def knowledge_hash(directory: Path) -> str:
    """A hash of every knowledge file's name and bytes (what the index is built from)."""
    digest = hashlib.sha256()
    for name in sorted(FILES):
        path = directory / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_course(directory: Path | str) -> Course:
    """Read and validate every knowledge file; raise KnowledgeError listing all problems."""
    directory = Path(directory)
    if not directory.is_dir():
        raise KnowledgeError([Problem(str(directory), None, None, "", "is not a directory of knowledge files")])
    models: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, (model, required) in FILES.items():
        path = directory / name
        if not path.exists():
            if required:
                problems.append(Problem(str(path), None, None, "", "is missing (this file is required)"))
            continue
        try:
            models[name] = parse_file(path, model)
        except KnowledgeError as exc:
            problems.extend(exc.problems)
    if not problems:
        problems.extend(_cross_checks(directory, models))
    if problems:
        raise KnowledgeError(problems)
    return _assemble(directory, models)


def parse_file(path: Path, model: type[M]) -> M:
    located = read_yaml(path)
    data = located.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise KnowledgeError(
            [Problem(str(path), 1, 1, "", f"expected a mapping of keys at the top, found {type(data).__name__}")]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(list(_problems(str(path), located, exc))) from exc


def _problems(name: str, located: Located, exc: ValidationError) -> Iterable[Problem]:
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        # pydantic appends validator names (e.g. "function-before[...]") to some locs
        loc = tuple(part for part in loc if not (isinstance(part, str) and "[" in part))
        line, column = located.position(loc)
        if line is None:  # a top-level key is missing: point at the top of the file
            line, column = 1, 1
        yield Problem(name, line, column, field_path(loc), _message(error))


def _message(error: ErrorDetails) -> str:
    kind, message = error["type"], error["msg"]
    if kind == "extra_forbidden":
        return "unknown key (check its spelling; see the knowledge format in README.md)"
    if kind == "missing":
        return "is required but missing"
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if kind == "literal_error":
        return f"{message.lower()}, got {error.get('input')!r}"
    got = error.get("input")
    return f"{message.lower()}, got {got!r}" if not isinstance(got, dict | list) else message.lower()


def _cross_checks(directory: Path, models: dict[str, Any]) -> list[Problem]:
    """Rules that span items: unique ids, unique dates."""
    problems = []
    calendar: CalendarFile = models["calendar.yaml"]
    seen_dates: set[Any] = set()
    for i, session in enumerate(calendar.sessions):
        if session.date and session.date in seen_dates:
            problems.append(_dup(directory, "calendar.yaml", f"sessions[{i}].date", f"date {session.date}"))
        seen_dates.add(session.date)
    ids = [d.id for d in assign_ids(calendar.sessions)]
    problems += [_dup(directory, "calendar.yaml", "sessions.due.id", f"deliverable id {x!r}") for x in _repeats(ids)]
    for fname, attr in (("policies.yaml", "policies"), ("faq.yaml", "faq")):
        if fname in models:
            entries = getattr(models[fname], attr)
            problems += [_dup(directory, fname, f"{attr}.id", f"id {x!r}") for x in _repeats(e.id for e in entries)]
    return problems


def _repeats(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeats = []
    for value in values:
        if value in seen and value not in repeats:
            repeats.append(value)
        seen.add(value)
    return repeats


def _dup(directory: Path, fname: str, field: str, what: str) -> Problem:
    path = directory / fname
    line = _find_line(path, what.split()[-1].strip("'"))
    return Problem(str(path), line, None, field, f"duplicate {what}: each must be unique")


def _find_line(path: Path, needle: str) -> int | None:
    """The line of the second occurrence of ``needle`` (where the duplicate stands)."""
    hits = [n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in text]
    return hits[1] if len(hits) > 1 else (hits[0] if hits else None)


def _assemble(directory: Path, models: dict[str, Any]) -> Course:
    return Course(
        info=models["course.yaml"],
        sessions=models["calendar.yaml"].sessions,
        policies=models.get("policies.yaml", PoliciesFile()).policies,
        readings=models.get("readings.yaml", ReadingsFile()).topics,
        resources=models.get("resources.yaml", ResourcesFile()).resources,
        faq=models.get("faq.yaml", FaqFile()).faq,
        source_hash=knowledge_hash(directory),
    )
