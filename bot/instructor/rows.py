"""Schedule rows -> sessions and deliverables (calendar.yaml).

A row's topic and due text are cut into parts (";", " — ", sentences, line breaks). A part
that says "X due" or sits in the due column is a deliverable; a part naming an exam or quiz
("Midterm exam (in class, 20%)", "final exam Thursday 3/12, 9am–12pm") is an exam on the
date it names, else on the row's date (never an invented day); "available Oct 28–30" is a
window. A week row ("Sep 6–10") has no date: its dated parts become sessions, and what is
due in it without a day of its own is due within that week (a window).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from bot.instructor import dates
from bot.instructor.calendar_table import Row
from bot.instructor.document import Inline
from bot.instructor.emit import Guess
from bot.instructor.words import exam_in, is_notice, kind_of, no_class

_PARTS = re.compile(r"[ \t]{0,3}(?:;|\n|[ \t][—–][ \t]|\.[ \t]{1,3}(?=[A-Z])|,[ \t]{1,3}then\b)[ \t]{0,3}")
_DUE_WORD = re.compile(r"\b(?:is[ \t]{1,3})?due\b[ \t]{0,3}:?", re.IGNORECASE)
_NOT_DUE = re.compile(r"^\W*$|\b(?:released?|out|assigned|posted|handed out|available soon|none|n/a)\W*$",
                      re.IGNORECASE)
_POINTS = re.compile(r"\(?[ \t]{0,2}(\d{1,4}(?:\.\d{1,2})?)[ \t]{0,2}(points?|pts?\.?|%)(?:[ \t]{1,3}each)?"
                     r"[ \t]{0,2}\)?", re.IGNORECASE)
_WINDOW = re.compile(r"\b(?:available|open(?:s|ed)?|window|takes?[ \t]place|from)\b", re.IGNORECASE)
_PAREN = re.compile(r"\([^()]{0,120}\)")
_OPENS = re.compile(r"\b(?:opens?|opened|available|released?|goes[ \t]{1,3}out|out|posted|handed[ \t]{1,3}out|"
                    r"distributed|assigned)\b", re.IGNORECASE)
_CLOSES = re.compile(r"\b(?:due|by|until|closes?|submit(?:ted)?|turned[ \t]{1,3}in|handed[ \t]{1,3}in)\b",
                     re.IGNORECASE)
_DUE_PARTS = re.compile(r"[ \t]{0,3}(?:;|\n|[ \t]\+[ \t])[ \t]{0,3}")  # a due cell: "Lab 2; Project proposal"
_TOPIC_PARTS = re.compile(r"[ \t]{0,3}(?:;|\n)[ \t]{0,3}")  # a week's topic: "Mon studio only; no studio Wed 11/24"
_WEIGHT = re.compile(r"\([ \t]{0,2}\d{1,3}(?:\.\d)?[ \t]{0,2}(?:%|points?|pts?\.?)[ \t]{0,2}\)", re.IGNORECASE)


@dataclass
class Piece:
    """A deliverable found in a row, with the day it names (if any) as written."""

    item: dict[str, Any]
    day: dates.DayText | None = None
    span: tuple[dates.DayText, dates.DayText] | None = None


@dataclass
class RowResult:
    topic: str
    pieces: list[Piece] = field(default_factory=list)
    dated_topics: list[tuple[dates.DayText, str]] = field(default_factory=list)  # week rows: "Critique 1 (Wed 9/29)"
    undetermined: list[dict[str, Any]] = field(default_factory=list)
    readings: list[Inline] = field(default_factory=list)


def points_of(text: str) -> tuple[float | None, str | None, str]:
    """(points, note for a percentage, text without it): "HW 1 (20 pts)", "Lab 1 due (5%)"."""
    match = _POINTS.search(text)
    if not match:
        return None, None, text
    value = float(match[1])
    note = f"{match[1]}% of the course grade" if match[2] == "%" else None
    return value, note, (text[: match.start()] + text[match.end():]).strip(" ,;:()-–—")


def read_row(row: Row) -> RowResult:
    """The topic, deliverables and dated mentions of one row."""
    parts = [row.topic] if row.due_only else _split(row.topic, _TOPIC_PARTS if row.in_table else None)
    topic_parts: list[str] = []
    result = RowResult("")
    for part in parts:
        text = part.plain
        reading = re.match(r"(?:required[ \t])?(?:readings?|read)[ \t]{0,2}:[ \t]{0,3}", text, re.IGNORECASE)
        if reading and part.links:
            result.readings.append(part.slice(part.text.find(":") + 1).strip())
            continue
        due = _DUE_WORD.search(text)
        exam = None if is_notice(text) else exam_in(text)  # "Report exam conflicts to Dr. Lee by Fri": no exam
        inner = re.search(r"\((?:[^()]{0,20}\b)?due\b[ \t]{0,3}:?[ \t]{0,3}([^()]{1,120})\)", text, re.IGNORECASE)
        if inner and not row.due_column:  # "Tables and pandas (due: Lab 1)"
            result.pieces.append(_piece(inner[1], row, exam_in(inner[1]) is not None))
            topic_parts.append((text[: inner.start()] + text[inner.end():]).strip(" ,;"))
            continue
        if row.due_only:
            result.pieces.append(_piece(text, row, exam is not None))
        elif due and not row.due_column and not text.lower().startswith(("homework is due", "everything")):
            name = (text[: due.start()] + " " + text[due.end():]).strip(" ,;:.-–—*")
            result.pieces.append(_piece(name, row, exam is not None))
        elif exam and not row.due.plain and not _exam_elsewhere(row, exam):
            result.pieces.append(_exam_piece(text, exam, row))
            own = dates.day_text(text)
            if own is None or row.span:
                topic_parts.append(text)
        elif not row.due_column and _WEIGHT.search(text) and not row.span:  # "Final project presentations (10%)"
            result.pieces.append(_piece(text, row, False))
            topic_parts.append(text)
        else:
            topic_parts.append(text)
        if dates.undecided(text) and exam:
            result.undetermined.append({"field": "exam", "what": "The exam room", "note": text})
    due_parts = [re.sub(r"^due\b|\bdue$", "", part.plain, flags=re.IGNORECASE).strip(" ,;:.-–—*")
                 for part in _split(row.due, _DUE_PARTS)]
    due_parts = [text for text in due_parts if text and not _NOT_DUE.search(text)]
    points = [p for p in re.split(r"[;\n/]|<br>", row.points.plain) if p.strip()]
    for index, text in enumerate(due_parts):
        share = points[index] if len(points) == len(due_parts) else (row.points.plain if len(due_parts) == 1 else "")
        result.pieces.append(_piece(text, row, exam_in(text) is not None, points=share.strip()))
    result.pieces = [p for p in result.pieces if str(p.item["name"]).strip(" -–—*")]
    if row.reading:
        result.readings += [p for p in _split_readings(row.reading)]
    if row.span:
        whole = [part.plain for part in _split(row.topic, _TOPIC_PARTS)]
        result.dated_topics = _dated_topics(whole)
        dated = {source for source, _ in _dated_sources(whole)}
        topic_parts = [_without_dated(t) for t in whole if t not in dated or _without_dated(t)]
    if topic_parts == [part.plain for part in parts] and not row.span:  # nothing taken out: the topic as written
        topic_parts = [row.topic.plain]
    result.topic = "; ".join(t for t in topic_parts if t) or (result.pieces[0].item["name"] if result.pieces else "")
    return result


def _exam_elsewhere(row: Row, exam: re.Match[str]) -> bool:
    return False


def _split(value: Inline, pattern: re.Pattern[str] | None = None) -> list[Inline]:
    parts, start = [], 0
    for match in (pattern or _PARTS).finditer(value.text):
        if _inside(value.text, match.start()) or (value.text[match.start()] == "." and re.search(
                r"\b(?:[A-Z][a-z]{0,3}|vs|al|e\.g|i\.e|ch|no|pp)$", value.text[: match.start()])):
            continue
        parts.append(value.slice(start, match.start()))
        start = match.end()
    parts.append(value.slice(start))
    return [part.strip() for part in parts if part.plain.strip(" —–-")]


def _split_readings(value: Inline) -> list[Inline]:
    parts, start = [], 0
    for match in re.finditer(r"[ \t]{0,3}(?:;|\n)[ \t]{0,3}", value.text):
        parts.append(value.slice(start, match.start()))
        start = match.end()
    parts.append(value.slice(start))
    return [part.strip() for part in parts if part.plain.strip(" —–-")]


def _inside(text: str, index: int) -> bool:
    return text.count("(", 0, index) > text.count(")", 0, index)


def opens_and_closes(text: str) -> tuple[tuple[dates.DayText, dates.DayText], int] | None:
    """ "released on Wednesday, Feb 3 ... due Friday, Feb 5", "(out Wed Feb 3, due Fri Feb 5)", "handed out
    Fri Oct 16, submit by Mon Oct 19": the window, and where the words that open it start."""
    found = dates.days_in(text)
    if len(found) < 2:
        return None
    opener = ([None] + list(_OPENS.finditer(text, 0, found[0].start)))[-1]  # the last before the first day
    if opener is None or found[0].start - opener.end() > 30:
        return None
    closer = _CLOSES.search(text, found[0].end, found[-1].start)
    last = next((day for day in found[1:] if closer and day.start > closer.start()), None)
    return ((found[0], last), opener.start()) if closer and last else None


def _piece(text: str, row: Row, is_exam: bool, points: str = "") -> Piece:
    span = dates.day_range(text)
    opened = None if span else opens_and_closes(text)
    span = opened[0] if opened else span
    day = None if span else dates.day_text(text)
    name = text
    window = _WINDOW.search(text)
    if opened:
        name = text[: opened[1]]
    elif span:
        name = text[: (window.start() if window and window.start() < span[0].start else span[0].start)]
    elif day and day.start > 0:
        name = text[: day.start]
    elif day:
        name = text[day.end:]
    value, note, name = points_of(name if span or day else text)
    if value is None:
        value, note, _ = points_of(text)
    if value is None and points:
        value, note, _ = points_of(points if re.search(r"%|pt|point", points) else f"{points} pts")
    due_time = dates.single_time(text[day.end:] if day else text) if not dates.time_ranges(text) else None
    described = re.search(r"[ \t]{1,3}[—–][ \t]{1,3}", name)
    if described and described.start() > 1:  # "Homework 1 — n-gram language model": the name, then what it is
        about = re.split(r"\bdue\b", _PAREN.sub("", name[described.end():]), flags=re.IGNORECASE)[0].strip(" ,;:.")
        note = f"{about[:1].upper()}{about[1:]}" + (f" ({note})" if note else "") if about else note
        name = name[: described.start()]
    name = _clean_name(name)
    kind, guessed = kind_of(name, row.topic.plain)
    if is_exam and kind not in ("exam", "quiz"):
        kind, guessed = "exam", True
    item: dict[str, Any] = {"name": name or text, "kind": Guess(kind, f"kind guessed from {row.topic.plain!r}")
                            if guessed else kind}
    if value is not None:
        item["points"] = value
    if note:
        item["note"] = note
    if due_time:
        item["due_time"] = due_time
    return Piece(item, day, span)


def _exam_piece(text: str, exam: re.Match[str], row: Row) -> Piece:
    """ "**Midterm exam** (in class, 20%)", "final exam Thursday 3/12, 9am–12pm (25%), room to be determined"."""
    name = exam[0].strip()
    name = name.capitalize() if name.isupper() else name[0].upper() + name[1:]
    if name.lower().startswith("midterm"):
        name = "M" + name[1:]
    own = text[exam.start():] if dates.days_in(text[exam.start():]) else text  # "Jan 30 at 5pm. The final exam is"
    day = dates.day_text(own)
    opened = opens_and_closes(own)  # a take-home exam: "released Thu Jan 28, due Sat Jan 30"
    span = opened[0] if opened else dates.day_range(own)
    value, note, _ = points_of(text)
    if value is None and row.points.plain:
        value, note, _ = points_of(row.points.plain if re.search(r"%|pt|point", row.points.plain)
                                   else f"{row.points.plain} pts")
    item: dict[str, Any] = {"name": name, "kind": "quiz" if name.lower().startswith("quiz") else "exam"}
    if value is not None:
        item["points"] = value
    if note:
        item["note"] = note
    times = dates.time_ranges(own)
    if times:
        item["due_time"] = times[0].start  # an exam's moment is when it starts
    return Piece(item, None if span else day, span)


def _clean_name(name: str) -> str:
    name = re.sub(r"[ \t,;]{0,3}\(?see[ \t](?:below|above)\)?[ \t.]{0,2}$", "", name, flags=re.IGNORECASE)
    for _ in range(3):  # "P1: Wayfinding — due Wed" -> "P1: Wayfinding"
        days = [d for d in dates.weekday_spans(name) if d[2] >= len(name.rstrip(" ,.")) - 1]
        name = name[: days[-1][1]] if days else name
        name = re.sub(r"(?:[ \t]{1,3}|^)(?:due|on|by|[—–-])[ \t]{0,3}$", "", name.rstrip(" ,"), flags=re.IGNORECASE)
    name = re.sub(r"\b(?:by|at)[ \t]{0,3}\d{1,2}(?::\d{2})?[ \t]?[ap]\.?m\.?.*$", "", name, flags=re.IGNORECASE)
    name = _PAREN.sub("", name) if len(_PAREN.sub("", name).strip()) > 2 else name
    name = re.sub(r"^(?:the|a|an)[ \t]{1,3}", "", name.strip(" ,;:.-–—*"), flags=re.IGNORECASE)
    name = re.sub(r"[ \t]{1,3}(?:is|are)$", "", name)
    name = re.sub(r"[ \t]{1,3}[—–-][ \t]{1,3}.*$", "", name) if len(name) > 40 else name
    name = re.sub(r"[ \t]{1,3}([,;:])", r"\1", name).strip(" ,;:.-–—*")
    if name.count("(") > name.count(")"):  # "HW 1 (Fri 1/16)" cut at its date
        name = name[: name.rindex("(")].strip(" ,;:.-–—*")
    return name[:1].upper() + name[1:] if name else name


def _dated_sources(parts: list[str]) -> list[tuple[str, dates.DayText]]:
    return [(part, day) for part in parts if (day := dates.day_text(part)) and not dates.day_range(part)]


def _without_dated(text: str) -> str:
    """A week's topic without its dated aside:
    "Research methods (no studio Mon 9/6 — Labor Day)" -> "Research methods"."""
    kept = re.sub(r"\([^()]{0,120}\)", lambda m: "" if dates.day_text(m[0]) else m[0], text).strip(" ,;")
    return "" if dates.day_text(kept) else kept


def _dated_topics(parts: list[str]) -> list[tuple[dates.DayText, str]]:
    """In a week row, "Critique 1 (Wed 9/29)" and "(no studio Mon 9/6 — Labor Day)" name sessions of their own."""
    found = []
    for part in parts:
        pieces = [part] + re.findall(r"\(([^()]{0,120})\)", part)
        for piece in pieces[::-1]:
            day = dates.day_text(piece)
            if day and not dates.day_range(piece):
                text = piece[: day.start] + piece[day.end:]
                for _, start, end in reversed(dates.weekday_spans(text)):
                    text = text[:start] + text[end:]
                text = re.sub(r"\(\s*\)", "", text)
                text = re.sub(r"[ \t]{1,3}([,;:])", r"\1", " ".join(text.split())).strip(" ,;:—–-")
                found.append((day, text[1:-1] if text.startswith("(") and text.endswith(")") else text))
                break
    return found


def is_off(topic: str) -> tuple[bool, bool]:
    return no_class(topic)


def window_of(piece: Piece, year_of: Any) -> dict[str, dt.date] | None:
    if not piece.span:
        return None
    start, end = year_of(piece.span[0]), year_of(piece.span[1])
    if start and end and start <= end:
        return {"start": start, "end": end}
    return None
