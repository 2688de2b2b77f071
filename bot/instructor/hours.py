"""Office-hour text -> slots: "Tu 10-11am & Th 4-5pm, Halverson 1-105", "Sam — Tu 10-11am (Zoom)".

A line is cut into entries where a new time range starts after a comma or semicolon;
each range takes the weekdays written before it (or the previous range's), and the text
after the last range of an entry is the place (a room, or Zoom with its link). A name
written before the first range says whose hours they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.instructor import dates
from bot.instructor.document import Inline

_BY_APPOINTMENT = re.compile(r"[ \t]{0,3}(?:[&,;]|\band\b|\bor\b|\bplus\b)?[ \t]{0,3}\(?\bby[ \t]appointment\b\)?",
                             re.IGNORECASE)
_JOINER = re.compile(r"^[\s,;:&+]*(?:and|&|or|\+)?[\s,;:&+]*$", re.IGNORECASE)
_LEADING = re.compile(r"^[\s,;:–—-]*(?:(?:in|at|on|via|@)\b[ \t]{0,3})?", re.IGNORECASE)
_ZONE_WORDS = re.compile(r"\(?\b(?:central|eastern|pacific|mountain)(?:[ \t]{1,3}(?:standard|daylight))?"
                         r"[ \t]{1,3}time\b\)?|\((?:CT|ET|PT|MT|CST|CDT|EST|EDT|PST|PDT)\)", re.IGNORECASE)
_PAREN = re.compile(r"\(([^()]{0,200})\)")
_WITH = re.compile(r"\bwith[ \t]{1,3}((?:the[ \t]{1,3})?[A-Z][\w'’.-]{0,30}(?:[ \t]{1,2}[A-Z][\w'’.-]{0,30}){0,2})")


@dataclass
class Slot:
    day: str
    start: Any
    end: Any
    place: str | None = None
    url: str | None = None
    note: str | None = None
    guessed: bool = False  # am/pm not given

    def to_yaml(self) -> dict[str, Any]:
        return {"day": self.day, "start": self.start, "end": self.end, "place": self.place, "url": self.url,
                "note": self.note}


@dataclass
class Entry:
    """One person's slots as written in one entry; ``who`` is the name before the times, if any."""

    who: str | None
    slots: list[Slot] = field(default_factory=list)


def entries(value: Inline, default_days: list[int] | None = None) -> list[Entry]:
    result = []
    for part in _split(value):
        entry = _entry(part, default_days or [])
        if entry.slots:
            result.append(entry)
    return result


def _split(value: Inline) -> list[Inline]:
    """Cut at commas and semicolons outside links and brackets; a part without a time joins the previous."""
    text = value.text
    cuts, depth = [], 0
    for index, char in enumerate(text):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char in ",;\n" and depth <= 0 and not value.links_in(index, index + 1):
            cuts.append(index)
    bounds: list[list[int]] = []
    start = 0
    for cut in [*cuts, len(text)]:
        has_time = bool(dates.time_ranges(text[start:cut]))
        if bounds and not (has_time and dates.time_ranges(text[bounds[-1][0]:bounds[-1][1]])):
            bounds[-1][1] = cut
        else:
            bounds.append([start, cut])
        start = cut + 1
    return [value.slice(a, b) for a, b in bounds]


def _entry(part: Inline, default_days: list[int]) -> Entry:
    text = part.text
    spans = dates.time_ranges(text)
    if not spans:
        return Entry(None)
    appointment = bool(_BY_APPOINTMENT.search(text))
    with_whom = _WITH.search(text)
    previous_end, days = 0, default_days
    slots: list[Slot] = []
    all_days = dates.weekday_spans(text)
    who = _who(_without_days(text[: spans[0].begin], [d for d in all_days if d[2] <= spans[0].begin]))
    if who is None and with_whom:  # "Monday 2-3pm (Econ 412) with Maria"
        who = with_whom[1]
    for index, span in enumerate(spans):
        written = list(dict.fromkeys(day for day, start, _ in all_days if previous_end <= start < span.begin))
        days = written or days
        previous_end = span.finish
        for day in days:
            slots.append(Slot(dates.WEEKDAY_NAMES[day], span.start, span.end, guessed=span.guessed))
        if index == len(spans) - 1 or not _JOINER.match(_without_days(text[span.finish:spans[index + 1].begin])):
            _place(part, span.finish, spans[index + 1].begin if index + 1 < len(spans) else len(text),
                   [s for s in slots if s.place is None and s.url is None])
    if appointment:
        for slot in slots:
            slot.note = "and by appointment" if not slot.note else f"{slot.note}; and by appointment"
    return Entry(who, slots)


def _without_days(text: str, spans: list[tuple[int, int, int]] | None = None) -> str:
    for _, start, end in reversed(spans if spans is not None else dates.weekday_spans(text)):
        text = text[:start] + " " + text[end:]
    return text


def _who(before: str) -> str | None:
    words = re.sub(r"\b(?:on|in|at|from|every|each)\b", " ", before, flags=re.IGNORECASE)
    words = words.strip(" :,;–—-()")
    if words and re.fullmatch(r"[A-Z][\w'’.-]{0,30}(?:[ \t]{1,2}[A-Z][\w'’.-]{0,30}){0,3}", words):
        return words
    return None


def _remark(text: str) -> bool:
    """Lower-case words with no room number or place word: a remark about the hours, not a place."""
    return bool(re.match(r"[a-z]", text)) and not re.search(
        r"\d|\b(?:hall|room|rm|building|bldg|center|centre|lab|library|office|zoom|online|teams|lounge|atrium|"
        r"basement|floor|suite|classroom|cafe|caf[eé])\b", text, re.IGNORECASE)


def _place(part: Inline, start: int, end: int, slots: list[Slot]) -> None:
    """The text after a time range, up to the next entry: a room, or Zoom and its link."""
    if not slots:
        return
    after = part.slice(start, end)
    links = [link for link in after.links if not link.url.startswith("mailto:")]
    with_whom = _WITH.search(after.text)
    after = after.slice(0, with_whom.start()) if with_whom else after
    zone = _ZONE_WORDS.search(after.text)
    text = _BY_APPOINTMENT.sub("", _ZONE_WORDS.sub("", after.text))
    note = zone[0].strip("()").title() if zone and "time" in zone[0].lower() else None
    paren = _PAREN.search(text)
    place = re.sub(r"^the[ \t]{1,3}", "", _LEADING.sub("", text).strip(" .,;:–—-"), flags=re.IGNORECASE)
    if paren and place.startswith("(") and place.endswith(")"):
        place = paren[1].strip()
    elif paren and place.lower().startswith("zoom"):
        note, place = paren[1].strip(), "Zoom"
    if _remark(place):  # "Fri 10-11am — grading and regrade questions only": what the hours are for, not where
        note, place = place, ""
    url = links[0].url if links else None
    if links and ("zoom" in (links[0].text + links[0].url).lower() or not place.replace(links[0].text, "").strip()):
        place = "Zoom" if "zoom" in (links[0].text + links[0].url).lower() else links[0].text
    for slot in slots:
        slot.place = place or None
        slot.url = url
        slot.note = note
