"""Staff described in sentences -> members with roles, e-mails and office hours.

"The instructor is Dr. Harriet Olsen (holsen@cvu.edu); office hours are Wednesdays 10–11:30am in
Sloane 312. The TAs are Kwame Asante and Lucia Moretti; Kwame holds hours Mondays 4–5pm, Lucia
Thursdays noon–1pm, both in the Stats Commons." Read: "the/our/your ROLE is/are NAMES", "NAMES
is/are the ROLE", "taught by NAME"; then, in a clause about hours, each person named (or "she",
"he", "they": whoever was named last) with the times after them, and "both/all in PLACE" for
slots that give no place of their own. A person is only ever made from a full name or a titled
one ("Prof. Osei"): "The TAs are listed on Canvas" names nobody.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.instructor import dates, hours
from bot.instructor.document import Inline, sentences, split
from bot.instructor.emit import Guess
from bot.instructor.words import FORUMS, singular_role

if TYPE_CHECKING:
    from bot.instructor.people import Member, StaffReader

_WORD = r"[A-Za-z][\w'’-]{0,20}"
_VERB = r"(?:is|are|will[ \t]{1,3}be)"
_ROLE_IS = re.compile(rf"\b(?:the|our|your)[ \t]{{1,3}}({_WORD}(?:[ \t]{{1,3}}{_WORD}){{0,2}}?)"
                      r"(?:[ \t]{1,3}(?:this|for[ \t]{1,3}(?:this|the))[ \t]{1,3}(?:term|semester|quarter|course|class|"
                      rf"year))?[ \t]{{1,3}}{_VERB}[ \t]{{1,3}}", re.IGNORECASE)
_ARE_ROLE = re.compile(rf"[ \t]{{1,3}}{_VERB}[ \t]{{1,3}}(?:the|our|your)[ \t]{{1,3}}"
                       rf"({_WORD}(?:[ \t]{{1,3}}{_WORD}){{0,3}})", re.IGNORECASE)
_TAUGHT_BY = re.compile(r"\b(?:co-)?(?:taught|led|run)[ \t]{1,3}by[ \t]{1,3}", re.IGNORECASE)
_TITLED = r"\b(?:Dr|Prof|Professor|Mr|Ms|Mrs|Mx)\.?[ \t]{1,3}"
_HOURS_WORD = re.compile(r"\bhours?\b|\bOH\b", re.IGNORECASE)
_SHARED_PLACE = re.compile(r",?[ \t]{1,3}(?:and[ \t]{1,3})?(?:both|all|each)(?:[ \t]{1,3}(?:are|is))?"
                           r"(?:[ \t]{1,3}held)?[ \t]{1,3}(?:in|at)[ \t]{1,3}(?:the[ \t]{1,3})?"
                           r"([^;]{2,80}?)[ \t.]{0,3}$", re.IGNORECASE)
_LEAD = re.compile(r"^[ \t,;:]*(?:and[ \t]{1,3})?(?:(?:she|he|they|her|his|their|whose)\b)?(?:'s|’s)?[ \t]{0,3}"
                   r"(?:also[ \t]{1,3})?(?:holds?|has|have|keeps?|will[ \t]{1,3}hold|is[ \t]{1,3}holding|offers?)?"
                   r"[ \t]{0,3}(?:her|his|their)?[ \t]{0,3}(?:(?:office|student)[ \t]{1,3})?(?:hours?)?[ \t]{0,3}"
                   r"(?:are|is)?[ \t]{0,3}(?:held[ \t]{1,3})?(?:on[ \t]{1,3})?", re.IGNORECASE)
_JOINED = re.compile(r",?[ \t]{1,3}(?:and|but)[ \t]{1,3}(?:the|she|he|they|we|I|you)\b.*$", re.IGNORECASE | re.DOTALL)
NOT_NAMES = {name.lower() for name in FORUMS} | {"canvas", "zoom", "moodle", "blackboard", "google", "teams", "office"}


def is_prose(text: str) -> bool:
    """A paragraph that introduces staff in sentences, or says in a sentence who holds which hours."""
    return bool(_ROLE_IS.search(text) or _ARE_ROLE.search(text) or _TAUGHT_BY.search(text)) or bool(
        re.search(r"\b(?:holds?|has|keeps?|offers?)[ \t]{1,3}(?:(?:her|his|their)[ \t]{1,3})?(?:office[ \t]{1,3})?"
                  r"hours\b|\b(?:her|his|their)[ \t]{1,3}office[ \t]{1,3}hours[ \t]{1,3}are\b", text, re.IGNORECASE))


def read(reader: StaffReader, content: Inline) -> bool:
    """Read a staff paragraph sentence by sentence; True if it named anyone or placed any hours."""
    placed = False
    content = Inline(content.text.replace("\n", " "), content.links, content.marks)  # offsets kept
    for sentence in sentences(content):
        about_hours = bool(_HOURS_WORD.search(sentence.text))
        shared = _SHARED_PLACE.search(sentence.text)
        given: list[tuple[list[Member], hours.Slot]] = []
        for clause in split(sentence, r";"):
            named, rest = _introduce(reader, clause)
            placed = placed or named
            if about_hours and rest is not None:
                given += _hours(reader, rest)
        for owners, slot in given:  # "..., both in the Stats Commons": where slots without a place are
            slot.place = slot.place or (shared[1].strip(" .,") if shared else None)
            _give(owners, slot)
        placed = placed or bool(given)
    return placed


def _introduce(reader: StaffReader, clause: Inline) -> tuple[bool, Inline | None]:
    """People the clause gives a role to, made current; and the clause after their names (for hours)."""
    for role, names_from, names_to in _role_spans(clause.text):
        found = _named(clause.slice(names_from, names_to))
        if found:
            reader.current = [reader.add(name, singular_role(role), url, email) for name, url, email in found]
            last = max(clause.text.find(found[-1][0], names_from) + len(found[-1][0]), names_from)
            tail = re.match(r"[ \t]{0,3}\([^()]{0,120}\)", clause.text[last:])
            return True, clause.slice(last + (tail.end() if tail else 0))
    return False, clause


def _role_spans(text: str) -> list[tuple[str, int, int]]:
    """(role, where the names start, where they end) for each way the clause may say who has a role."""
    spans = []
    for match in _ROLE_IS.finditer(text):
        if _is_role(match[1]):
            spans.append((match[1], match.end(), len(text)))
    for match in _ARE_ROLE.finditer(text):
        role = _role_prefix(match[1])
        if role:
            spans.append((role, 0, match.start()))
    for match in _TAUGHT_BY.finditer(text):
        spans.append(("co-instructor" if match[0].lower().startswith("co-") else "instructor", match.end(), len(text)))
    return spans


def _is_role(words: str) -> bool:
    from bot.instructor.people import is_role

    return is_role(words)


def _role_prefix(words: str) -> str | None:
    """The longest start of ``words`` that is a role ("instructor for this course" -> "instructor")."""
    parts = words.split()
    for size in range(len(parts), 0, -1):
        if _is_role(" ".join(parts[:size])):
            return " ".join(parts[:size])
    return None


def _named(value: Inline) -> list[tuple[str, str | None, str | None]]:
    """People named in full, or with a title ("Prof. Osei"), at the start of ``value``; no one otherwise."""
    from bot.instructor.people import people_in

    found = []
    for name, url, email in people_in(value):
        titled = re.search(_TITLED + re.escape(name), value.text)
        if not (len(name.split()) >= 2 or titled) or NOT_NAMES & set(name.lower().split()):
            break
        found.append((name, url, email))
    return found


def _hours(reader: StaffReader, rest: Inline) -> list[tuple[list[Member], hours.Slot]]:
    """ "Kwame holds hours Mondays 4–5pm, Lucia Thursdays noon–1pm": each person's slots."""
    text = _JOINED.sub("", rest.text)
    shared = _SHARED_PLACE.search(text)
    text = text[: shared.start()] if shared else text
    spans = dates.time_ranges(text)
    if not spans:
        return []
    given = []
    for owners, start, end in _chunks(reader, text, spans[0].begin):
        chunk = rest.slice(start, end).strip()
        lead = _LEAD.match(chunk.text)
        chunk = chunk.slice(lead.end() if lead else 0)
        tail = re.search(r"[ \t,;]{0,3}(?:\band|\bor|&)?[ \t,;]{0,3}$", chunk.text)
        chunk = chunk.slice(0, tail.start() if tail else None)
        given += [(owners, slot) for entry in hours.entries(chunk) for slot in entry.slots]
    return given


def _chunks(reader: StaffReader, text: str, first_time: int) -> list[tuple[list[Member], int, int]]:
    """Stretches of the clause, each about the person named at its start (the text before any name: the
    person last named)."""
    mentions = sorted(_mentions(reader, text))
    chunks: list[tuple[list[Member], int, int]] = []
    if not mentions or mentions[0][0] > first_time:
        end = mentions[0][0] if mentions else len(text)
        if reader.current:
            chunks.append((list(reader.current), 0, end))
    for index, (_, finish, member) in enumerate(mentions):
        end = mentions[index + 1][0] if index + 1 < len(mentions) else len(text)
        chunks.append(([member], finish, end))
        reader.current = [member]
    return chunks


def _mentions(reader: StaffReader, text: str) -> list[tuple[int, int, Member]]:
    """Where the clause names a known member: in full, by first or last name (when only one has it)."""
    found: list[tuple[int, int, Member]] = []
    for member in reader.members:
        parts = member.name.split()
        names = [member.name] + [part for part in (parts[0], parts[-1]) if len(parts) > 1 and sum(
            1 for other in reader.members if part in other.name.split()) == 1]
        for name in names:
            match = re.search(rf"(?:{_TITLED})?\b{re.escape(name)}\b(?:'s|’s)?", text)
            if match and not any(s <= match.start() < e for s, e, _ in found):
                found.append((match.start(), match.end(), member))
                break
    return found


def _give(owners: list[Member], slot: hours.Slot) -> None:
    from bot.instructor.people import slot_yaml

    for member in owners:
        value: Any = slot_yaml(slot)
        if len(owners) > 1:
            value = Guess(value, f"the page gives these hours to {', '.join(m.name for m in owners)} together")
        member.office_hours.append(value)
