"""``coursebot check``: likely mistakes in a course that loads, each located at file:line.

Errors (the course does not load) come from the loader itself; these are warnings:
a deliverable on a day that is not a class day or outside the term, a weekday that does
not match its date, duplicate names, points that do not add up to the grading total,
a reading without a link, a policy that contradicts the calendar, and every fact the page
says is not decided yet (``undetermined``, "TBD" places).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.instructor import dates
from bot.instructor.document import Inline, sentences
from bot.instructor.words import is_notice, named_in_passing
from bot.knowledge import Course, KnowledgeError, Problem
from bot.knowledge.schema import WEEKDAYS
from bot.knowledge.yamlfile import Located, field_path, read_yaml

TERM_GAP_DAYS = 35  # a dated row this far from every other row is probably a typo
_NON_LECTURE = re.compile(r"\b(meetings?|exams?|midterms?|quiz|presentations?|due|review session|office hours)\b",
                          re.IGNORECASE)
_UNITS = r"(?:lectures|classes|class sessions|class meetings|class days)"
_COUNT = re.compile(rf"\b(?:there\s+(?:are|will\s+be)|we\s+(?:have|meet\s+for)|a\s+total\s+of)"
                    rf"\s+(\d{{1,3}})\s+{_UNITS}\b"
                    rf"|\b(\d{{1,3}})\s+{_UNITS}\s+(?:this|in\s+the|in\s+this|during\s+the|per)\s+"
                    r"(?:term|quarter|semester|course)\b", re.IGNORECASE)
_NO_CLASS_ON = re.compile(r"\bno\s+(?:class|classes|lecture|lectures)\b", re.IGNORECASE)
Where = tuple[str, tuple[Any, ...]]  # (file name, path into its YAML)


@dataclass
class Checker:
    course: Course
    directory: Path
    parsed: dict[str, Located | None] = field(default_factory=dict)  # for a Course that carries no positions

    def warnings(self) -> list[Problem]:
        found: list[tuple[Where, str]] = []
        for rule in (self._off_days, self._term, self._meeting_days, self._stated_weekdays, self._duplicates,
                     self._points, self._unlinked_readings, self._policy_counts, self._policy_dates,
                     self._unfinished_faq, self._undetermined):
            found.extend(rule())
        return [self._locate(where, message) for where, message in found]

    def _locate(self, where: Where, message: str) -> Problem:
        name, loc = where
        path = self.directory / name
        if self.course.positions:  # located in the bytes that were loaded: no second parse
            line, column = self.course.position(name, loc) or (None, None)
            return Problem(str(path), line, column, field_path(loc), message)
        if name not in self.parsed:  # each file parsed at most once, however many warnings it has
            try:
                self.parsed[name] = read_yaml(path)
            except KnowledgeError:
                self.parsed[name] = None
        located = self.parsed[name]
        line, column = located.position(loc) if located else (None, None)
        return Problem(str(path), line, column, field_path(loc), message)

    # -- deliverables and dates -------------------------------------------------------
    def _sessions(self) -> Iterator[tuple[int, Any]]:
        return ((i, s) for i, s in enumerate(self.course.sessions) if s.date)

    def _off_days(self):
        meeting_days = self._meeting_days_set()
        for i, session in self._sessions():
            for j, item in enumerate(session.due):
                where = ("calendar.yaml", ("sessions", i, "due", j, "name"))
                if session.no_class:
                    yield where, (f"{item.name!r} is due on {session.date}, a day marked no_class "
                                  "(move it to a class day, or check no_class)")
                elif meeting_days and session.date.weekday() not in meeting_days:
                    yield where, (f"{item.name!r} is due on {session.date:%A} {session.date}, not a class day "
                                  f"(class meets {self._days_text()})")

    def _term(self):
        term = dates.term_year(self.course.info.term)
        dated = [s.date for _, s in self._sessions()]
        gaps = _nearest_gaps(dated) if len(dated) > 2 else {}
        for i, session in self._sessions():
            where = ("calendar.yaml", ("sessions", i, "date"))
            what = "deliverable due" if session.due else "session"
            if term and not _in_term_year(session.date, *term):
                yield where, f"{what} on {session.date} is outside the term {self.course.info.term!r}"
            elif gaps.get(session.date, 0) > TERM_GAP_DAYS:
                yield where, f"{what} on {session.date} is more than {TERM_GAP_DAYS} days from any other date"

    def _meeting_days(self):
        meeting_days = self._meeting_days_set()
        if not meeting_days:
            return
        for i, session in self._sessions():
            if not session.no_class and not session.due and session.date.weekday() not in meeting_days:
                yield ("calendar.yaml", ("sessions", i, "date")), (
                    f"{session.date} is a {session.date:%A}, but class meets {self._days_text()} "
                    "(wrong date, or a meeting missing from course.yaml?)")

    def _stated_weekdays(self):
        """A text that writes a weekday next to a date ("Tue Oct 21") must agree with the calendar."""
        term = dates.term_year(self.course.info.term)
        for where, text in self._texts():
            for match in re.finditer(rf"\b({'|'.join(WEEKDAYS)}|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b,?\s+([^.;]{{3,20}})",
                                     text, re.IGNORECASE):
                day = dates.day_text(match[2])
                date = day.on(term[1]) if day and term else None
                stated = dates.weekday_in(match[1])
                if date and stated is not None and date.weekday() != stated:
                    yield where, f"{match[0].strip()!r}: {date} is a {date:%A}, not a {WEEKDAYS[stated]}"

    def _texts(self) -> Iterator[tuple[Where, str]]:
        for i, session in enumerate(self.course.sessions):
            yield ("calendar.yaml", ("sessions", i, "topic")), session.topic
            if session.note:
                yield ("calendar.yaml", ("sessions", i, "note")), session.note
            for j, item in enumerate(session.due):
                if item.note:
                    yield ("calendar.yaml", ("sessions", i, "due", j, "note")), item.note
        for i, policy in enumerate(self.course.policies):
            yield ("policies.yaml", ("policies", i, "text")), policy.text
        for i, entry in enumerate(self.course.faq):
            yield ("faq.yaml", ("faq", i, "answer")), entry.answer

    # -- names, points, links -----------------------------------------------------------
    def _duplicates(self):
        for i, session in self._sessions():
            counts: Counter[str] = Counter()
            for j, item in enumerate(session.due):
                counts[item.name.strip().lower()] += 1
                if counts[item.name.strip().lower()] == 2:  # report a name once, where it repeats
                    yield ("calendar.yaml", ("sessions", i, "due", j, "name")), (
                        f"{item.name!r} is listed twice on {session.date}")
        yield from _repeats("policies.yaml", "policies", [p.title for p in self.course.policies], "title")
        yield from _repeats("faq.yaml", "faq", [f.question for f in self.course.faq], "question")
        for t, topic in enumerate(self.course.readings):
            titles = [r.title for r in topic.items]
            for index in _repeat_indexes(titles):
                yield ("readings.yaml", ("topics", t, "items", index, "title")), (
                    f"reading {titles[index]!r} appears twice under {topic.topic!r}")

    def _points(self):
        total = self.course.info.grading_total
        dues = self.course.deliverables
        if not total or not any(d.points for d in dues):
            return
        points = sum(d.points or 0 for d in dues)
        extra = sum(d.points or 0 for d in dues if _extra_credit(d.name, d.note))
        if points == total or points - extra == total:
            return
        message = f"deliverable points add up to {_num(points)}, but grading_total is {total}"
        if extra:
            message += (f" ({_num(points - extra)} without the {_num(extra)} extra-credit points; "
                        "extra credit may explain part of the difference)")
        else:
            message += " (if some of it is extra credit, say so in the deliverable's name or note)"
        yield ("course.yaml", ("grading_total",)), message

    def _unlinked_readings(self):
        for t, topic in enumerate(self.course.readings):
            for r, item in enumerate(topic.items):
                if not item.url:
                    yield ("readings.yaml", ("topics", t, "items", r, "title")), (
                        f"reading {item.title!r} has no link (add url: so students can find it)")

    def _unfinished_faq(self):
        for i, entry in enumerate(self.course.faq):
            if re.match(r"\s*TODO\b", entry.answer):
                yield ("faq.yaml", ("faq", i, "answer")), (
                    f"the answer to {entry.question!r} is still TODO: students would be shown it")

    def _undetermined(self) -> Iterator[tuple[Where, str]]:
        """What the page said is not decided yet: each one is a fact to fill in once it is."""
        info = self.course.info
        for i, entry in enumerate(info.undetermined):
            said = f" (the page says {entry.note!r})" if entry.note else ""
            yield ("course.yaml", ("undetermined", i, "what")), (
                f"not decided yet: {entry.what}{said}; the bot answers 'not determined yet' until you fill it in "
                "and remove this entry")
        fields = {entry.field for entry in info.undetermined}
        for i, meeting in enumerate(info.meetings):
            if dates.undecided(meeting.location) and "location" not in fields:
                yield ("course.yaml", ("meetings", i, "location")), (
                    f"the location {meeting.location!r} is not decided yet: add it to undetermined (field: location) "
                    "so students are told so, or fill it in")

    # -- policies against the calendar -----------------------------------------------------
    def _policy_counts(self):
        classes = self.course.classes
        lectures = [s for s in classes if not _NON_LECTURE.search(s.topic)]
        for i, policy in enumerate(self.course.policies):
            for match in _COUNT.finditer(policy.text):
                said = int(match[1] or match[2])
                if said not in (len(classes), len(lectures)):
                    yield ("policies.yaml", ("policies", i, "text")), (
                        f"{policy.title!r} says {match[0]!r}, but the calendar has {len(classes)} class days "
                        f"({len(lectures)} not counting meetings, exams or due days)")

    def _policy_dates(self):
        term = dates.term_year(self.course.info.term)
        if not term:
            return
        for i, policy in enumerate(self.course.policies):
            for sentence in (s.plain for s in sentences(Inline(policy.text))):
                if dates.day_text(sentence):
                    yield from self._policy_date(i, policy.title, sentence, term[1])

    def _policy_date(self, i: int, title: str, sentence: str, year: int):
        where = ("policies.yaml", ("policies", i, "text"))
        first = dates.day_text(sentence)
        date = first.on(year) if first else None
        session = self.course.session_on(date) if date else None
        if _NO_CLASS_ON.search(sentence) and session and not session.no_class:
            yield where, f"{title!r} says there is no class on {date}, but the calendar has {session.topic!r} then"
        for due in self.course.deliverables:
            named = re.search(rf"\b{re.escape(due.name)}\b", sentence, re.IGNORECASE)
            if not named or is_notice(sentence) or named_in_passing(sentence, named.start()):
                continue  # "send it to Dr. Lee by Jan 16 so we can plan for the midterm": not the midterm's day
            after = dates.days_in(sentence[named.end():])  # "Midterm 1 is on Feb 24 and Midterm 2 on Apr 7"
            said = {when for day in (after or dates.days_in(sentence))[:2] if (when := day.on(year))}
            same = [d for d in self.course.deliverables if d.name == due.name]
            held = {d.date for d in same} | {d.opens for d in same if d.opens}  # a window: released .. due
            if said and not said & held:
                yield where, (f"{title!r} puts {due.name!r} on {min(said)}, but the calendar has it on "
                              f"{', '.join(str(d) for d in sorted({d.date for d in same}))}")
                return

    # -- helpers -----------------------------------------------------------------------
    def _meeting_days_set(self) -> set[int]:
        return {WEEKDAYS.index(day) for meeting in self.course.info.meetings for day in meeting.days}

    def _days_text(self) -> str:
        return ", ".join(WEEKDAYS[d][:3] for d in sorted(self._meeting_days_set()))


def check_course(course: Course, directory: Path | str) -> list[Problem]:
    return Checker(course, Path(directory)).warnings()


def _in_term_year(date: dt.date, season: str, year: int) -> bool:
    if date.year == year:
        return True
    if season in ("Fall", "Autumn", "Winter") and date.year == year + 1 and date.month <= 2:
        return True
    return season == "Winter" and date.year == year - 1 and date.month == 12


def _extra_credit(name: str, note: str | None) -> bool:
    return "extra credit" in f"{name} {note or ''}".lower() or "bonus" in name.lower()


def _nearest_gaps(days: list[dt.date]) -> dict[dt.date, int]:
    """Each date's distance in days to the nearest other date (sorted neighbours: linear after the sort)."""
    ordered = sorted(set(days))
    gaps = {}
    for at, day in enumerate(ordered):
        neighbours = [abs((day - ordered[k]).days) for k in (at - 1, at + 1) if 0 <= k < len(ordered)]
        gaps[day] = min(neighbours) if neighbours else 0
    return gaps


def _repeat_indexes(values: list[str]) -> list[int]:
    seen: set[str] = set()
    result = []
    for index, value in enumerate(values):
        key = value.strip().lower()
        if key in seen:
            result.append(index)
        seen.add(key)
    return result


def _repeats(fname: str, key: str, values: list[str], attr: str):
    for index in _repeat_indexes(values):
        yield (fname, (key, index, attr)), f"{attr} {values[index]!r} is used twice"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)

