"""Deliverables described outside the schedule, and what they are worth.

"- Project proposal, 10 points, due Thursday Nov 13", "**Midterm exam:** Wed Oct 22, 7–9pm,
**100 points**", "**Proposal** (1 page): due Tue, Mar 10" name a deliverable and its day;
"Problem sets (PS1–PS5): 50 points each", "Quizzes: Quiz 1 and Quiz 2, 20 points each" and a
grading table row "Problem Sets 1–4 | 40% (10% each)" say what deliverables already on the
calendar are worth (only where the calendar gives no points; marked for review).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.instructor import dates
from bot.instructor.calendar_table import Row
from bot.instructor.document import Inline
from bot.instructor.emit import Guess
from bot.instructor.rows import Piece, _exam_piece, _piece, opens_and_closes, points_of
from bot.instructor.words import exam_in, exams_in, is_notice

_EACH = re.compile(r"(\d{1,4}(?:\.\d{1,2})?)[ \t]{0,2}(%|points?|pts?)[ \t]{0,3}(?:each|apiece|per)\b", re.IGNORECASE)
_SERIES = re.compile(r"\b([A-Za-z]{1,20}(?:[ \t][A-Za-z]{1,20})?)[ \t]{0,2}#?(\d{1,2})[ \t]{0,2}(?:-|–|—|to|through)"
                     r"[ \t]{0,2}(?:\1[ \t]{0,2})?#?(\d{1,2})\b", re.IGNORECASE)
_ABBREVIATIONS = (("problem sets", "ps"), ("problem set", "ps"), ("homeworks", "hw"), ("homework", "hw"),
                  ("assignments", "a"), ("quizzes", "quiz"), ("labs", "lab"), ("exams", "exam"),
                  ("projects", "project"))


@dataclass(frozen=True)
class Worth:
    """A rule from the page: deliverables matching ``names`` (or the series) are worth ``points``."""

    names: tuple[str, ...]
    points: float
    percent: bool
    source: str


def deliverable_line(label: str, value: Inline, section_title: str) -> Piece | None:
    """A line that names a deliverable and the day it is due or held."""
    text = f"{label}: {value.plain}" if label else value.plain
    days = dates.days_in(value.plain)
    if not days or is_notice(value.plain):
        return None
    row = Row(0, None, None, "", None, Inline(section_title))
    exam = exam_in(label or text)
    label = re.sub(r"[ \t]{0,3}\([^()]{0,60}\)", "", label).strip() or label  # "Final exam (cumulative)"
    if not label and exam and exam[0].lower() in section_title.lower() and len(exams_in(text)) == 1:
        label = section_title  # "#### Take-home midterm" over "The midterm is released on ..."
    if exam and not re.search(r"\bdue\b", text, re.IGNORECASE):
        piece = _exam_piece(text, exam, row)
        piece.item["name"] = (label or piece.item["name"]).strip()
        return piece
    name = label or re.split(r"[,(:]|\bdue\b|[ \t](?:is|are|will|must)[ \t]", value.plain, maxsplit=1)[0]
    own_day = dates.day_text(name)
    if own_day and own_day.start > 0:  # "Final project demos — Wed 3/18": the name stops at its day
        name = re.sub(r"[ \t]{0,3}[—–-]?[ \t]{0,3}$", "", name[: own_day.start])
        name = re.sub(r"(?:[ \t]{1,3}(?:on|by))?[ \t]{1,3}[A-Za-z]{2,9}\.?,?$", lambda m: "" if dates.weekdays_in(
            m[0]) else m[0], name).rstrip(" ,—–-")
    piece = _piece(f"{name} {value.plain[value.plain.lower().find('due'):] if 'due' in value.plain.lower() else ''}"
                   f" {_dates_part(value.plain)}", row, False)
    name = re.sub(r"^(?:the|a|an)[ \t]{1,3}", "", name.strip(" ,;:.*"), flags=re.IGNORECASE)
    piece.item["name"] = name[:1].upper() + name[1:]  # "The field notebook is due ..." -> "Field notebook"
    points, note, _ = points_of(value.plain)
    if points is not None and "points" not in piece.item:
        piece.item["points"] = points
        if note:
            piece.item["note"] = note
    _event_details(piece, value.plain)
    window = _opens_and_closes(value.plain)
    if window:
        piece.span, piece.day = window, None
    elif piece.day is None and piece.span is None:
        piece.day = days[-1]
    if piece.item.get("kind") in ("other",) or isinstance(piece.item.get("kind"), Guess):
        from bot.instructor.words import kind_of

        kind, guessed = kind_of(piece.item["name"], section_title)
        piece.item["kind"] = Guess(kind, f"kind guessed from {section_title!r}") if guessed else kind
    return piece


def graded_event(text: str) -> bool:
    """A schedule line naming a graded thing of a known kind, its day and its points, without "due": "Final
    project demos — Wed 3/18, 1:30–4:30pm, Hollister B100 · 60 pts", "Poster session Thu 10/28 (40 points)"."""
    from bot.instructor.words import kind_of

    points, _, _ = points_of(text)
    day = dates.day_text(text)
    if points is None or day is None or day.start == 0 or is_notice(text):
        return False
    kind, guessed = kind_of(text[: day.start])
    return not guessed and kind != "other"


def _event_details(piece: Piece, text: str) -> None:
    """A graded event with hours ("Wed 3/18, 1:30–4:30pm, Hollister B100"): it starts at the first hour, and
    its time and place, as written, are its note."""
    times = dates.time_ranges(text)
    day = dates.day_text(text)
    if not times or re.search(r"\bdue\b", text, re.IGNORECASE) or day is None:
        return
    piece.item["due_time"] = times[0].start
    _, _, rest = points_of(text[day.end:])
    where = rest.strip(" ,;:·•—–-")
    if where and "note" not in piece.item:
        piece.item["note"] = where


def exam_parts(value: Inline) -> list[Inline]:
    """A line naming several exams with their days ("Midterm 1 is on Feb 24 and Midterm 2 on Apr 7; ...", "The
    midterm is ... Feb 24. The final exam is ... April 15") -> one part per exam, from its name to the next
    name; a name with no day after it joins the next part. Fewer than two dated exams: no parts."""
    starts = [match.start() for match in exams_in(value.text)]
    parts: list[Inline] = []
    begin = starts[0] if starts else 0
    for index in range(len(starts)):
        end = starts[index + 1] if index + 1 < len(starts) else len(value.text)
        if dates.days_in(value.text[begin:end]):
            parts.append(value.slice(begin, end))
        elif index + 1 < len(starts):
            continue  # "Exam 1 is a take-home exam: it goes out on ...": one exam
        begin = end
    return parts if len(parts) >= 2 else []


def _dates_part(text: str) -> str:
    span = dates.day_range(text)
    if span:
        return text[span[0].start:span[1].end]
    day = dates.day_text(text)
    return text[day.start:day.end] if day else ""


def _opens_and_closes(text: str) -> tuple[dates.DayText, dates.DayText] | None:
    """ "opens ... Tuesday, Oct 28 and must be submitted by ... Thursday, Oct 30": a window."""
    opened = opens_and_closes(text)
    return opened[0] if opened else dates.day_range(text)


def worth_rules(label: str, value: Inline) -> list[Worth]:
    """ "Problem sets (PS1–PS5): five problem sets, 50 points each", a grading row "Midterm exam | 20%"."""
    text = f"{label} {value.plain}"
    each = _EACH.search(text)
    if not each:
        return []
    names = tuple(_series_names(text)) or tuple(re.findall(r"\b[A-Z][a-z]{1,15}[ \t]?\d{1,2}\b", value.plain))
    return [Worth(names, float(each[1]), each[2] == "%", text)] if names else []


def _series_names(text: str) -> list[str]:
    found = []
    for match in _SERIES.finditer(text):
        prefix, first, last = match[1], int(match[2]), int(match[3])
        if 0 <= first < last <= first + 30:
            found += [f"{prefix} {n}" for n in range(first, last + 1)]
    return found


def grading_rule(name: str, weight: str) -> list[Worth]:
    """One row of a grading table: "Problem Set 0 | 2%", "Problem Sets 1–4 | 40% (10% each)"."""
    each = _EACH.search(weight)
    series = _series_names(name)
    if each and series:
        return [Worth(tuple(series), float(each[1]), each[2] == "%", f"{name}: {weight}")]
    value = re.fullmatch(r"[ \t]{0,2}(\d{1,3}(?:\.\d{1,2})?)[ \t]{0,2}(%|points?|pts?)?[ \t]{0,2}", weight)
    if value and not series:
        return [Worth((re.sub(r"\([^()]{0,80}\)", "", name).strip(),), float(value[1]), value[2] == "%",
                      f"{name}: {weight}")]
    return []


def section_kinds(items: list[Any]) -> list[tuple[str, str]]:
    """(label, kind) for items described under a "Projects" / "Homework" / "Exams" heading."""
    from bot.instructor.words import kind_of

    found = []
    for item in items:
        if item.role == "assignments" and item.label:
            kind, guessed = kind_of(item.section.title)
            if not guessed and kind != "other":
                found.append((item.label, kind))
    return found


def apply_kinds(sessions: list[dict[str, Any]], kinds: list[tuple[str, str]]) -> None:
    """A deliverable whose kind was not clear takes the kind of the heading its name is described under."""
    from bot.instructor.emit import unwrap
    from bot.instructor.schedule import _names_match

    for session in sessions:
        for due in session.get("due", []):
            if unwrap(due["kind"]) != "other" and not isinstance(due["kind"], Guess):
                continue
            kind = next((k for label, k in kinds if _names_match(due["name"], label)), None)
            if kind:
                due["kind"] = Guess(kind, "kind from the heading this deliverable is described under")


def canonical(name: str) -> str:
    text = name.lower()
    for long, short in _ABBREVIATIONS:
        text = re.sub(rf"\b{long}\b", short, text)
    text = re.sub(r"\b([a-z]{1,10})[ \t#]{0,2}(\d{1,2})\b", r"\1\2", text)
    return " ".join(re.findall(r"[a-z0-9]+", text))


def apply_worth(sessions: list[dict[str, Any]], rules: list[Worth]) -> None:
    """Give points to calendar deliverables that have none, from the page's own rules."""
    for session in sessions:
        for due in session.get("due", []):
            if "points" in due:
                continue
            scored = [(score, -index, rule) for index, rule in enumerate(rules) if (score := _fit(due["name"], rule))]
            rule = max(scored, key=lambda found: found[:2])[2] if scored else None
            if rule:
                why = f"points from {rule.source[:60]!r}" + (" (a share of the course grade)" if rule.percent else "")
                due["points"] = Guess(rule.points, why)


_GENERIC_WORDS = {"final", "project", "the", "exam", "exams", "report", "reports", "assignment", "assignments",
                  "hw", "ps", "lab", "quiz", "paper", "set"}  # shared by many names: no match on these alone


def _fit(name: str, rule: Worth) -> int:
    """How well a rule's names fit: 3 the same name, 2 (neither numbered) one name inside the other, 1 a shared
    word that is not a kind ("Final exam" and "Midterm exam" share only "exam"); a category never fits "HW 3"."""
    own = canonical(name)
    best = 0
    for other in rule.names:
        theirs = canonical(other)
        if own == theirs:
            return 3
        if re.search(r"\d", own) or re.search(r"\d", theirs):
            continue
        if own and (own in theirs or theirs in own):
            best = max(best, 2)
        elif set(own.split()) & set(theirs.split()) - _GENERIC_WORDS:
            best = max(best, 1)
    return best
