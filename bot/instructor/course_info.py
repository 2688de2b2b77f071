"""The page's title and logistics sections -> course.yaml (code, term, meetings, staff...)."""

from __future__ import annotations

import re
from typing import Any

from bot.instructor import dates
from bot.instructor.emit import Guess
from bot.instructor.markdown import Block, Section, links
from bot.instructor.people import Member, read_office_hours, read_staff

_CODE = re.compile(r"\b([A-Z]{2,6}(?:[ -][A-Z]{2,6})?)[ -]?(\d{2,4}[A-Z]?(?:\s?/\s?\d{2,4}[A-Z]?)*)\b")
_SPELLED_CODE = re.compile(r"[A-Z][\w&]*(?:\s+[A-Z][\w&]*){0,3}\s+\d{2,4}[A-Z]?")  # "Data Science 200"
_INSTITUTION = re.compile(
    r"((?:[A-Z][\w&.'-]*\s+)*(?:University|College|Institute|School|Academy|Polytechnic)"
    r"(?:\s+of(?:\s+[A-Z][\w&.'-]*)+)?)"
)
_TOTAL = re.compile(
    r"(\d{2,4})[- ]point scale|out of (\d{2,4}) points|total of (\d{2,4}) points|(\d{2,4}) points (?:in )?total",
    re.IGNORECASE,
)
_SMALL = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


def title_case(text: str) -> str:
    if not text.isupper():
        return text
    return " ".join(w.lower() if i and w.lower() in _SMALL else w.capitalize() for i, w in enumerate(text.split()))


def heading_facts(title: str) -> dict[str, Any]:
    """code, title, term and institution from a heading like
    "DEEP LEARNING: Northwestern University CS 396/496 FALL 20"."""
    facts: dict[str, Any] = {}
    rest = title
    term = dates.term_year(title)
    if term:
        facts["term"] = f"{term[0]} {term[1]}"
        rest = re.sub(r"\b(fall|autumn|spring|summer|winter)\s*(quarter|semester|term)?\s*'?\d{2,4}\b", " ", rest,
                      flags=re.IGNORECASE)
    if code := _CODE.search(rest):
        facts["code"] = re.sub(r"\s*/\s*", "/", f"{code[1]} {code[2]}")
        rest = rest.replace(code[0], " ")
    if institution := _INSTITUTION.search(rest):
        facts["institution"] = institution[1].strip()
        rest = rest.replace(institution[1], " ")
    rest = re.sub(r"\(\s*\)|\[\s*\]", " ", rest)  # brackets the term or code was taken out of
    parts = [p.strip(" -–—:|,") for p in re.split(r"[:|–—]| - ", rest)]
    if "code" not in facts:  # "Data Science 200: Foundations": a department name and a number
        spelled = next((p for p in parts if _SPELLED_CODE.fullmatch(p)), None)
        if spelled and len([p for p in parts if p]) > 1:
            facts["code"] = Guess(spelled, "course code read from the title's 'Name 123' part")
            parts.remove(spelled)
    name = max((p for p in parts if p), key=len, default="")
    if name:
        facts["title"] = title_case(name)
    return facts


def build_course_info(page_title: str, roles: dict[str, list[Section]], all_text: str,
                      unplaced: list[str], preamble: list[Block]) -> dict[str, Any]:
    facts = heading_facts(page_title)
    for block in preamble:  # "Lakeside College of Engineering" under the title
        if "institution" not in facts and (found := _INSTITUTION.search(block.plain)):
            facts["institution"] = found[1].strip()
            block.used = True
    info: dict[str, Any] = {
        "code": facts.get("code") or Guess("TODO", "no course code found in the page title"),
        "title": facts.get("title") or Guess(page_title or "TODO", "course title taken from the first heading"),
        "term": facts.get("term") or Guess("TODO", "no term (e.g. Fall 2020) found in the page title"),
        "institution": facts.get("institution") or Guess("TODO", "no institution found in the page title"),
        "timezone": _zone(roles, all_text),
        "description": _description(roles),
        "textbook": _textbook(roles),
        "prerequisites": _joined(roles.get("prerequisites", [])),
        "meetings": _meetings(roles, all_text, unplaced),
        "questions": _questions(roles),
    }
    info["staff"] = [m.to_yaml() for m in _staff(roles, unplaced)]
    total = _TOTAL.search(all_text)
    if total:
        info["grading_total"] = int(next(g for g in total.groups() if g))
    return info


def _blocks(sections: list[Section]) -> list[Block]:
    return [block for section in sections for block in section.blocks]


def _joined(sections: list[Section]) -> str | None:
    blocks = _blocks(sections)
    for block in blocks:
        block.used = True
    return " ".join(block.plain for block in blocks if block.kind != "table") or None


def _zone(roles: dict[str, list[Section]], all_text: str) -> Any:
    meeting_text = " ".join(b.plain for b in _blocks(roles.get("meeting", []) + roles.get("office_hours", [])))
    zone = dates.timezone_in(meeting_text) or dates.timezone_in(all_text)
    return zone or Guess("UTC", "no time zone found on the page; set the course's IANA zone")


def _description(roles: dict[str, list[Section]]) -> Any:
    text = _joined(roles.get("description", []))
    return text or Guess("TODO: describe the course", "the page has no course description section")


def _textbook(roles: dict[str, list[Section]]) -> dict[str, Any] | None:
    for block in _blocks(roles.get("textbook", [])):
        found = links(block.text)
        block.used = True
        if found:
            title = re.sub(r"^(the)\s+|\s+(book|textbook)$", "", found[0].text, flags=re.IGNORECASE)
            return {"title": title, "url": found[0].url, "note": block.plain}
        emphasis = re.search(r"(?<![*_])([*_]{1,2})([^*_]{2,120})\1(?![*_])", block.text)
        if emphasis:
            return {"title": emphasis[2].strip(), "note": block.plain}
        return {"title": Guess(block.plain[:80], "textbook title guessed from the text"), "note": block.plain}
    return None


def _meetings(roles: dict[str, list[Section]], all_text: str, unplaced: list[str]) -> list[dict[str, Any]]:
    location = _location(roles)
    meetings = []
    candidates = _blocks(roles.get("meeting", []))
    for block in candidates:
        days = dates.weekdays_in(block.plain)
        found = dates.time_range(block.plain)
        block.used = True
        if not (days and found):
            unplaced.append(f"line {block.line}: class time not understood: {block.plain[:80]!r}")
            continue
        start, end, guessed, match = found
        meeting: dict[str, Any] = {"days": [dates.WEEKDAY_NAMES[d][:3] for d in days],
                                   "start": Guess(start, "am/pm not given") if guessed else start, "end": end}
        zone_words = re.search(r"\b\w+ (standard |daylight )?time\b", block.plain[match.end():], re.IGNORECASE)
        meeting.update(location or _inline_location(block.plain[match.end():]))
        if zone_words and "note" not in meeting:
            meeting["note"] = zone_words[0].title()
        meetings.append(meeting)
    return meetings


def _inline_location(after: str) -> dict[str, Any]:
    after = re.sub(r"\s*\([^)]*\btime\)", "", after, flags=re.IGNORECASE)
    match = re.search(r"\b(?:in|at|@)\s+(.+)$", after, re.IGNORECASE)
    if match:
        return {"location": Guess(match[1].strip(" .,"), "location read from the class time line")}
    return {"location": Guess("TBA", "no class location found on the page")}


def _location(roles: dict[str, list[Section]]) -> dict[str, Any] | None:
    blocks = _blocks(roles.get("location", []))
    if not blocks:
        return None
    block = blocks[0]
    for other in blocks:
        other.used = True
    text = block.plain
    paren = re.search(r"\(([^)]*)\)", text)
    place = title_case(re.sub(r"\s*\([^)]*\)", "", text).strip())
    result: dict[str, Any] = {"location": place or text}
    found = links(block.text)
    if found:
        result["url"] = found[0].url
    if paren:
        result["note"] = paren[1].strip()
    return result


def _questions(roles: dict[str, list[Section]]) -> dict[str, Any] | None:
    for section in roles.get("policies", []) + roles.get("questions", []):
        for block in section.blocks:
            if "question" in (section.title + " " + block.plain).lower() and links(block.text):
                link = links(block.text)[0]
                return {"name": link.text, "url": link.url, "text": block.plain}
    return None


def _staff(roles: dict[str, list[Section]], unplaced: list[str]) -> list[Member]:
    members: list[Member] = []
    for section in roles.get("staff", []):
        for member in read_staff(section.blocks, section.title):
            if not any(m.name == member.name for m in members):
                members.append(member)
    return read_office_hours(_blocks(roles.get("office_hours", [])), members, unplaced)
