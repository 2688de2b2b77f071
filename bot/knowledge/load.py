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
from bot.knowledge.yamlfile import (
    KnowledgeError,
    Located,
    Problem,
    field_path,
    parse_yaml,
    read_file,
    read_yaml,
    shown,
)

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
    """A hash of every knowledge file's name and bytes (what the index is built from).

    Reads the files as ``load_course`` does (so it raises KnowledgeError for a file that
    cannot be loaded); a loaded Course's ``source_hash`` is this hash of the very bytes
    it was parsed from.
    """
    sources: dict[str, bytes] = {}
    for name in FILES:
        try:
            sources[name] = read_file(directory / name)
        except FileNotFoundError:
            continue
    return _digest(sources)


def _digest(sources: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(name.encode() + b"\0" + sources[name] + b"\0")
    return digest.hexdigest()


def load_course(directory: Path | str) -> Course:
    """Read and validate every knowledge file; raise KnowledgeError listing all problems.

    Each file is read once: the bytes parsed are the bytes hashed, so a save that lands
    during loading is never taken for what was loaded (the next reload sees it).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise KnowledgeError([Problem(str(directory), None, None, "", "is not a directory of knowledge files")])
    sources: dict[str, bytes] = {}
    located: dict[str, Located] = {}
    models: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, (model, required) in FILES.items():
        path = directory / name
        try:
            sources[name] = read_file(path)
            located[name] = parse_yaml(sources[name], str(path))
            models[name] = _validate(str(path), located[name], model)
        except FileNotFoundError:
            if required:
                problems.append(Problem(str(path), None, None, "", "is missing (this file is required)"))
        except KnowledgeError as exc:
            problems.extend(exc.problems)
    if not problems:
        problems.extend(_cross_checks(directory, models, located))
    if problems:
        raise KnowledgeError(problems)
    return _assemble(models, _digest(sources), {name: parsed.positions() for name, parsed in located.items()})


def parse_file(path: Path, model: type[M]) -> M:
    """Read, parse and validate one YAML file (e.g. config.yaml) into ``model``."""
    return _validate(str(path), read_yaml(path), model)


def _validate(name: str, located: Located, model: type[M]) -> M:
    data = located.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise KnowledgeError(
            [Problem(name, 1, 1, "", f"expected a mapping of keys at the top, found {type(data).__name__}")]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(list(_problems(name, located, exc))) from exc


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
        return f"{message.lower()}, got {shown(error.get('input'))}"
    got = error.get("input")
    return f"{message.lower()}, got {shown(got)}" if not isinstance(got, dict | list) else message.lower()


def _cross_checks(directory: Path, models: dict[str, Any], located: dict[str, Located]) -> list[Problem]:
    """Rules that span items: unique ids, unique dates. Located from the one parse of each file."""
    def dup(fname: str, loc: tuple[Any, ...], what: str) -> Problem:
        line, column = located[fname].position(loc)
        return Problem(str(directory / fname), line, column, field_path(loc), f"duplicate {what}: each must be unique")

    problems = []
    calendar: CalendarFile = models["calendar.yaml"]
    seen_dates: set[Any] = set()
    for i, session in enumerate(calendar.sessions):
        if session.date and session.date in seen_dates:
            problems.append(dup("calendar.yaml", ("sessions", i, "date"), f"date {session.date}"))
        seen_dates.add(session.date)
    places = [("sessions", i, "due", j, "id" if item.id else "name")  # in assign_ids' order
              for i, session in enumerate(calendar.sessions) if session.date for j, item in enumerate(session.due)]
    ids = [d.id for d in assign_ids(calendar.sessions)]
    problems += [dup("calendar.yaml", places[at], f"deliverable id {shown(ids[at])}") for at in _repeats(ids)]
    for fname, attr in (("policies.yaml", "policies"), ("faq.yaml", "faq")):
        if fname in models:
            entries = [e.id for e in getattr(models[fname], attr)]
            problems += [dup(fname, (attr, at, "id"), f"id {shown(entries[at])}") for at in _repeats(entries)]
    return problems


def _repeats(values: list[str]) -> list[int]:
    """The position of each value's second occurrence (where the duplicate stands)."""
    counts: dict[str, int] = {}
    repeats = []
    for at, value in enumerate(values):
        counts[value] = counts.get(value, 0) + 1
        if counts[value] == 2:
            repeats.append(at)
    return repeats


def _assemble(models: dict[str, Any], source_hash: str, positions: dict[str, Any]) -> Course:
    return Course(
        info=models["course.yaml"],
        sessions=models["calendar.yaml"].sessions,
        policies=models.get("policies.yaml", PoliciesFile()).policies,
        readings=models.get("readings.yaml", ReadingsFile()).topics,
        resources=models.get("resources.yaml", ResourcesFile()).resources,
        faq=models.get("faq.yaml", FaqFile()).faq,
        source_hash=source_hash,
        positions=positions,
    )
