"""Score an imported course against a page's key of facts (tests/instructor/pages/blind/KEY_FORMAT.md).

Each fact in the key is checked on the loaded Course: right or wrong, with a line saying
what was expected. A key's repeated facts (three "Sketchbook check" deliverables) are
matched one-to-one. Run as a script to print the score of every page, or of one importer:

    python -m tests.instructor.keyfacts                      # this worktree's importer
    python -m tests.instructor.keyfacts --folder tests/instructor/pages/fresh -v   # any folder of keyed pages
    python -m tests.instructor.keyfacts --out-root DIR       # score already imported folders DIR/NAME/
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import Course, Due, KnowledgeError, load_course

BLIND = Path(__file__).parent / "pages" / "blind"
PLACEHOLDER_NAMES = {"instructor", "professor", "ta", "tas", "staff", "tbd", "tba", "teaching assistant", "todo"}


@dataclass(frozen=True)
class Fact:
    what: str
    ok: bool


@dataclass
class Score:
    page: str
    facts: list[Fact] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)  # staff members named only by a role
    error: str | None = None  # the import did not load

    @property
    def right(self) -> int:
        return sum(fact.ok for fact in self.facts)

    @property
    def total(self) -> int:
        return len(self.facts)

    @property
    def wrong(self) -> list[str]:
        return [fact.what for fact in self.facts if not fact.ok]

    @property
    def lost_tbd(self) -> int:
        return sum(1 for fact in self.facts if not fact.ok and fact.what.startswith("tbd "))

    def summary(self) -> str:
        share = 100 * self.right / self.total if self.total else 0.0
        return f"{self.page}: {self.right}/{self.total} ({share:.1f}%)"


def pages(folder: Path | None = None) -> list[Path]:
    """The keyed pages of a folder (the blind pages by default; pages/fresh for the later ones)."""
    folder = folder or BLIND
    return sorted(p for p in folder.iterdir() if p.suffix in (".md", ".html") and p.name != "KEY_FORMAT.md")


def key_of(page: Path) -> dict[str, Any]:
    return yaml.safe_load((page.parent / f"{page.stem}.key.yaml").read_text("utf-8"))


def _has(text: str | None, part: object) -> bool:
    return text is not None and str(part).lower() in text.lower()


def _time(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else "-"


def _url(value: str | None) -> str:
    return (value or "").rstrip("/").lower()


def _one_to_one(expected: list[Any], candidates: list[Any], fits: Callable[[Any, Any], bool]) -> list[bool]:
    """Each expected fact takes the first unused candidate that fits it."""
    used: set[int] = set()
    found = []
    for item in expected:
        index = next((i for i, c in enumerate(candidates) if i not in used and fits(item, c)), None)
        if index is not None:
            used.add(index)
        found.append(index is not None)
    return found


def score_course(course: Course, key: dict[str, Any], course_yaml: str, page: str = "") -> Score:
    result = Score(page)
    facts = result.facts
    facts.append(_timezone(course, key.get("timezone"), course_yaml))
    facts += _course_fields(course, key.get("course") or {})
    facts += _meetings(course, key.get("meetings") or [])
    facts += _staff(course, key.get("staff") or [])
    facts += _tbd(course, key.get("tbd") or [])
    facts += _sessions(course, key.get("sessions") or [], key.get("no_class") or [])
    facts += _deliverables(course.deliverables, key.get("deliverables") or [])
    facts += _policies(course, key.get("policies") or [])
    facts += _readings(course, key.get("readings") or [])
    facts += _resources(course, key.get("resources") or [])
    result.placeholders = [m.name for m in course.info.staff if m.name.strip().lower() in PLACEHOLDER_NAMES]
    return result


def _timezone(course: Course, zone: str | None, course_yaml: str) -> Fact:
    if zone:
        return Fact(f"timezone {zone} (got {course.info.timezone})", course.info.timezone == zone)
    line = next((line for line in course_yaml.splitlines() if line.startswith("timezone:")), "")
    return Fact(f"timezone not on the page: marked for review (got {line!r})", "# REVIEW:" in line)


def _course_fields(course: Course, expected: dict[str, Any]) -> list[Fact]:
    info = course.info
    got = {"code": info.code, "title": info.title, "term": info.term,
           "textbook": info.textbook.title if info.textbook else None, "prerequisites": info.prerequisites,
           "questions": f"{info.questions.name} {info.questions.text or ''}" if info.questions else None}
    return [Fact(f"course {name} {value!r} (got {got.get(name)!r})", _has(got.get(name), value))
            for name, value in expected.items()]


def _meetings(course: Course, expected: list[dict[str, Any]]) -> list[Fact]:
    def fits(want: dict[str, Any], meeting: Any) -> bool:
        return (set(meeting.days) == set(want["days"]) and _time(meeting.start) == want["start"]
                and _time(meeting.end) == want["end"] and ("location" not in want or _has(meeting.location,
                                                                                           want["location"])))
    have = list(course.info.meetings)
    got = [f"{'/'.join(m.days)} {_time(m.start)}-{_time(m.end)} {m.location}" for m in have]
    return [Fact(f"meeting {w} (got {got})", ok) for w, ok in zip(expected, _one_to_one(expected, have, fits),
                                                                   strict=True)]


def _staff(course: Course, expected: list[dict[str, Any]]) -> list[Fact]:
    facts = []
    members = {m.name.lower(): m for m in course.info.staff}
    for person in expected:
        member = members.get(str(person["name"]).lower())
        ok = bool(member) and _has(member.role, person["role"]) and (
            "email" not in person or (member.email or "").lower() == str(person["email"]).lower())
        got = f"{member.role}, {member.email}" if member else "missing"
        facts.append(Fact(f"staff {person['name']} ({person['role']}, {person.get('email')}) (got {got})", ok))
        slots = list(member.office_hours) if member else []
        wanted = person.get("office_hours") or []

        def fits(want: dict[str, Any], slot: Any) -> bool:
            return (slot.day == want["day"] and _time(slot.start) == want["start"] and _time(slot.end) == want["end"]
                    and ("place" not in want or _has(slot.place, want["place"])))
        have = [f"{s.day} {_time(s.start)}-{_time(s.end)} {s.place}" for s in slots]
        facts += [Fact(f"office hours of {person['name']}: {w} (got {have})", ok)
                  for w, ok in zip(wanted, _one_to_one(wanted, slots, fits), strict=True)]
    return facts


def _tbd(course: Course, expected: list[dict[str, Any]]) -> list[Fact]:
    have = list(course.info.undetermined)
    staff = {m.name.lower() for m in course.info.staff}

    def fits(want: dict[str, Any], entry: Any) -> bool:
        section = str(want.get("section", "")).lower()
        if entry.field != want["field"]:
            return False
        return section not in staff or _has(entry.person, section)
    got = [f"{u.field}:{u.person or u.what}" for u in have]
    return [Fact(f"tbd {w['field']} ({w.get('section')}) (got {got})", ok)
            for w, ok in zip(expected, _one_to_one(expected, have, fits), strict=True)]


def _sessions(course: Course, classes: list[dict[str, Any]], off: list[dict[str, Any]]) -> list[Fact]:
    by_date: dict[dt.date, list[Any]] = {}
    for session in course.dated_sessions:
        by_date.setdefault(session.date, []).append(session)  # type: ignore[arg-type]
    facts = []
    for want in classes:
        found = by_date.get(want["date"], [])
        ok = any(not s.no_class and _has(s.topic, want["topic"]) for s in found)
        facts.append(Fact(f"session {want['date']} {want['topic']!r} (got {[s.topic for s in found]})", ok))
    for want in off:
        found = by_date.get(want["date"], [])
        ok = any(s.no_class and ("note" not in want or _has(f"{s.topic} {s.note or ''}", want["note"]))
                 for s in found)
        facts.append(Fact(f"no class {want['date']} {want.get('note', '')!r} "
                          f"(got {[(s.topic, s.no_class) for s in found]})", ok))
    return facts


def _points_fit(want: object, due: Due) -> bool:
    if want is None:
        return True
    if isinstance(want, str) and want.endswith("%"):
        number = float(want.rstrip("%"))
        return due.points == number or _has(f"{due.note or ''} {due.name}", want)
    return due.points == float(want)  # type: ignore[arg-type]


def _deliverables(dues: Iterable[Due], expected: list[dict[str, Any]]) -> list[Fact]:
    have = list(dues)

    def fits(want: dict[str, Any], due: Due) -> bool:
        window = want.get("window")
        when = (due.opens == window["start"] and due.date == window["end"]) if window else (
            due.date == want["date"] and due.opens is None)
        return _has(due.name, want["name"]) and due.kind == want["kind"] and when and _points_fit(
            want.get("points"), due)

    def shown(due: Due) -> str:
        return f"{due.name}/{due.kind}/{due.opens or ''}{'..' if due.opens else ''}{due.date}/{due.points}"
    facts = []
    for want, ok in zip(expected, _one_to_one(expected, have, fits), strict=True):
        near = [shown(d) for d in have if _has(d.name, want["name"]) or d.date == want.get("date")]
        facts.append(Fact(f"deliverable {want} (near: {near})", ok))
    return facts


def _policies(course: Course, expected: list[dict[str, Any]]) -> list[Fact]:
    return [Fact(f"policy {w['about']} containing {w['contains']!r}",
                 any(_has(f"{p.title}\n{p.text}", w["contains"]) for p in course.policies)) for w in expected]


def _readings(course: Course, expected: list[dict[str, Any]]) -> list[Fact]:
    items = [r for topic in course.readings for r in topic.items]
    return [Fact(f"reading {w['title']!r} {w.get('url', '')}",
                 any(_has(r.title, w["title"]) and ("url" not in w or _url(r.url) == _url(w["url"])) for r in items))
            for w in expected]


def _resources(course: Course, expected: list[dict[str, Any]]) -> list[Fact]:
    return [Fact(f"resource {w['name']!r} {w['url']}",
                 any(_url(r.url) == _url(w["url"]) and _has(f"{r.name} {r.description or ''}", w["name"])
                     for r in course.resources)) for w in expected]


def score_directory(directory: Path, key: dict[str, Any], page: str) -> Score:
    """Score what was imported into ``directory``.

    An import without calendar sessions does not load; it is scored as if the instructor had
    added one empty session (so its other files still count), and the error says so.
    """
    error = None
    try:
        course = load_course(directory)
    except KnowledgeError as exc:
        if not all(problem.field == "sessions" for problem in exc.problems):
            result = Score(page, error=f"does not load: {exc.problems[0]}")
            result.facts = [Fact("the import loads", False)] * _count(key)
            return result
        course, error = _with_one_session(directory), "no calendar sessions: scored with one added by hand"
    result = score_course(course, key, (directory / "course.yaml").read_text("utf-8"), page)
    result.error = error
    return result


def _with_one_session(directory: Path) -> Course:
    with tempfile.TemporaryDirectory() as tmp:
        for path in directory.glob("*.yaml"):
            (Path(tmp) / path.name).write_bytes(path.read_bytes())
        (Path(tmp) / "calendar.yaml").write_text('sessions:\n  - {date: 1999-01-01, topic: "added by hand"}\n')
        return load_course(tmp)


def _count(key: dict[str, Any]) -> int:
    """How many facts a key holds (for an import that does not load: all of them wrong)."""
    lists = ("meetings", "tbd", "sessions", "no_class", "deliverables", "policies", "readings", "resources")
    staff = key.get("staff") or []
    return (1 + len(key.get("course") or {}) + sum(len(key.get(name) or []) for name in lists)
            + len(staff) + sum(len(p.get("office_hours") or []) for p in staff))


def import_and_score(page: Path, timezone: str | None = None) -> Score:
    """Import ``page`` with this worktree's importer into a temporary folder and score it."""
    from bot.instructor.importer import import_file

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        result = import_file(page, near_year=2026, timezone=timezone)
        result.write(out, page.name)
        return score_directory(out, key_of(page), page.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-root", type=Path, help="score folders already imported as DIR/<page stem>/")
    parser.add_argument("--folder", type=Path, help="score the keyed pages of this folder (default: the blind pages)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wrong fact")
    args = parser.parse_args(argv)
    right = total = 0
    for page in pages(args.folder):
        if args.out_root:
            score = score_directory(args.out_root / page.stem, key_of(page), page.name)
        else:
            score = import_and_score(page)
        right, total = right + score.right, total + score.total
        extra = f"; placeholder staff {score.placeholders}" if score.placeholders else ""
        print(score.summary() + (f" [{score.error}]" if score.error else "") + extra)
        if args.verbose:
            for what in score.wrong:
                print("    wrong: " + re.sub(r"\s+", " ", what)[:400])
    print(f"all pages: {right}/{total} ({100 * right / total:.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
