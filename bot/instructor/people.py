"""Staff blocks -> course.yaml ``staff`` with roles as written and each person's office hours.

Lines are read in page order, remembering whom they are about: "TA: Wen Zhao (w@x.edu)"
names a person, and an "Office hours: Thurs 11am-Noon" line after it is theirs. Also read:
"[Name](url) (Instructor) — email — OH: W 3-4pm, Room", "Peer mentors: A and B ... on
Sundays 7-9pm in Commons", "Monday: Weijan Li 3-5pm on [zoom](url), Conor 5-6pm in Mudd",
staff tables (name, role, email, hours, place columns) and "X's office hours are in Room".
A role with no name ("Instructor: TBD") is kept as not determined, never as a person.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from bot.instructor import dates, hours
from bot.instructor.document import Block, Inline
from bot.instructor.emit import Guess
from bot.instructor.names import EMAIL, TITLE_NOUNS, TITLES, is_role, people_in
from bot.instructor.staff_table import read_table
from bot.instructor.words import close_phrase, singular_role

HOURS_WORDS = ("office hours", "office hour", "office hrs", "oh", "hours", "student hours")
_LABEL = re.compile(r"^[ \t]{0,3}([A-Za-z][\w .'’/&()#-]{0,40}?)[ \t]{0,2}(?::(?!\d)|[ \t][—–-][ \t])[ \t]{0,3}")
SENTENCE_VERB = re.compile(r"\b(?:is|are|was|were|will|must|can|should|may|have|has|do|does)\b", re.IGNORECASE)
_DEFAULT_PLACE = re.compile(r"([A-Z][\w.'’ -]{0,40}?|\bTAs?\b|\binstructors?\b)(?:'s|’s)?[ \t]{1,3}office[ \t]hours"
                            r"[ \t]{1,3}are[ \t]{1,3}(?:held[ \t]{1,3})?(?:in|at)[ \t]{1,3}(?:the[ \t]{1,3})?"
                            r"([^.;]{1,100}?)(?:[ \t]{1,3}unless\b[^.;]{0,100})?(?:[.;]|$)", re.IGNORECASE)


def is_hours(label: str) -> bool:
    lowered = label.lower().strip()
    return lowered.endswith(("hours", "hour", "hrs")) or lowered == "oh" or any(
        close_phrase(lowered, phrase) for phrase in HOURS_WORDS)


@dataclass
class Member:
    name: str
    role: str
    url: str | None = None
    email: str | None = None
    office_hours: list[Any] = field(default_factory=list)

    def to_yaml(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "url": self.url, "email": self.email,
                "office_hours": self.office_hours}


@dataclass
class StaffReader:
    """Reads staff lines in page order into members, their slots and what is not decided yet."""

    members: list[Member] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    undetermined: list[dict[str, Any]] = field(default_factory=list)
    current: list[Member] = field(default_factory=list)
    unowned: list[tuple[int, hours.Slot]] = field(default_factory=list)
    places: list[tuple[str, str]] = field(default_factory=list)  # (who, place) from "X's office hours are in P"

    # -- lines ---------------------------------------------------------------------------
    def block(self, block: Block, heading: str) -> None:
        if block.table is not None:
            self.table(block, heading)
            return
        placed = [self.line(number, line, heading) for number, line in block.text_lines()]
        block.used = block.used or all(placed) or any(placed)

    def line(self, number: int, text: Inline, heading: str) -> bool:
        text = text.strip()
        if not text:
            return True
        if self._default_places(text.text):
            return True
        label, value = split_label(text)
        if label and is_role(label):
            return self._role_line(number, label, value)
        if label and is_hours(label):
            return self._hours(number, value, [])
        if label and label.lower() in ("email", "e-mail", "contact", "mail"):
            return self._email(value.text)
        if label and label.lower() in ("office", "office location", "room", "location") and self.current:
            # "Office: Smith 301. Office hours: ...": two labels on one line
            more = re.search(r"[.;][ \t]{1,3}(?=[A-Z][\w ]{0,30}:)", value.text)
            place = value.slice(0, more.start()) if more else value
            self.places.append((self.current[-1].name, place.plain.strip(" .")))
            return self.line(number, value.slice(more.end()), heading) if more else True
        if label and (days := dates.weekdays_in(label)) and len(label.split()) <= 2:
            return self._hours(number, value, days)
        if label and (member := self.match(label)):
            self.current = [member]
            return self._hours(number, value, [])
        if self.current and dates.time_ranges(text.text) and dates.weekdays_in(text.text[:12]) and not label:
            return self._hours(number, text, [])  # "Tu/Th 3-4:30pm, Perception Lab": the hours of the person above
        return self._person_line(number, text, heading)

    def _role_line(self, number: int, label: str, value: Inline) -> bool:
        role = singular_role(label)
        if dates.undecided(value.text) and not people_in(value):
            self.undetermined.append({"field": "staff", "what": f"The course's {role}s", "note": value.plain})
            return True
        found = people_in(value)
        self.current = [self.add(name, role, url, email) for name, url, email in found]
        rest = _after_names(value)
        if rest and dates.time_ranges(rest.text):
            self._hours(number, rest, [])
        return bool(found)

    def _person_line(self, number: int, text: Inline, heading: str) -> bool:
        """ "[Name](url) (TA) — email — OH: ...", "Name (TA): Tues 10-11am", a name under a staff heading."""
        parts = _segments(text)
        head = parts[0]
        role_match = re.search(r"\(([^()]{1,40})\)", head.text)
        role = role_match[1] if role_match and is_role(role_match[1]) else None
        rest_at = role_match.end() if role and role_match else None
        titled = re.match(r"[ \t]{0,3}(prof\.?|professor)[ \t]", head.text, re.IGNORECASE)
        found = people_in(head.slice(0, role_match.start()) if role and role_match else head)
        if found and not role and (written := _written_role(head.text, found[0][0])):
            role, rest_at = written  # "[Kavya Iyer](url), Instructor", "Jia Wu, Head TA; office hours ..."
        if not found or (not role and not titled and not is_role(heading) and not dates.time_ranges(text.text) and
                         not EMAIL.search(text.text)):
            return self._unnamed(number, text, heading)
        name, url, email = found[0]
        from_heading = _heading_role(heading)
        role = role or (from_heading if from_heading != "staff" or not titled else "professor")
        member = self.add(name, singular_role(role), url, email)
        self.current = [member]
        rest = head.slice(rest_at) if rest_at is not None else None
        for part in ([rest] if rest and rest.text.strip(" :;,") else []) + parts[1:]:
            label, value = split_label(part.strip(" :;,"))
            mail = EMAIL.search(part.text)
            if mail and not member.email:
                member.email = mail[0]
            elif (label and is_hours(label)) or dates.time_ranges(part.text):
                self._hours(number, value if label else part.strip(" :"), [])
        return True

    def _unnamed(self, number: int, text: Inline, heading: str = "") -> bool:
        """A line about the person just named: their e-mail, their hours; or "To be announced" under "Instructor"."""
        if dates.undecided(text.text) and is_role(heading) and len(text.plain.split()) <= 12:
            role = _heading_role(heading)
            self.undetermined.append({"field": "staff", "what": f"The course's {singular_role(role)}",
                                      "note": text.plain})
            return True
        found = EMAIL.search(text.text)
        if found and self.current and not self.current[-1].email:
            self.current[-1].email = found[0]
        if dates.time_ranges(text.text) and dates.weekdays_in(text.text):
            return self._hours(number, text, [])
        return bool(found and self.current)

    def _email(self, text: str) -> bool:
        found = EMAIL.search(text)
        if found and self.current and not self.current[-1].email:
            self.current[-1].email = found[0]
        return bool(found)

    def _hours(self, number: int, value: Inline, days: list[int]) -> bool:
        if dates.undecided(value.text) and not dates.time_ranges(value.text):
            for member in self.current or []:
                self.undetermined.append({"field": "office_hours", "what": f"{member.name}'s office hours",
                                          "person": member.name, "note": value.plain})
            if not self.current:
                self.undetermined.append({"field": "office_hours", "what": "Office hours", "note": value.plain})
            return True
        found = hours.entries(value, days)
        for entry in found:
            self._attach(number, entry)
        return bool(found)

    def _attach(self, number: int, entry: hours.Entry) -> None:
        owners: list[Member] = []
        who = re.sub(r"^(?:the|a|an|our)[ \t]{1,3}", "", entry.who or "", flags=re.IGNORECASE)
        if who and is_role(who):  # "with the TA": whoever has that role, never a person named "the TA"
            owners = [m for m in self.members if singular_role(who).lower() in m.role.lower()] or []
            if not owners:
                self.unplaced.append(f"line {number}: office hours for {entry.who!r}, but the page names no "
                                     f"{singular_role(who)}; not placed")
                return
        elif entry.who:
            member = self.match(entry.who)
            if member is None:
                member = self.add(entry.who, "staff", None, None)
                self.unplaced.append(f"line {number}: {entry.who} holds office hours but is not in a staff list; "
                                     "added with role 'staff'")
            owners = [member]
        if owners:
            pass
        elif self.current:
            owners = self.current
        for slot in entry.slots:
            if not owners:
                self.unowned.append((number, slot))
            for member in owners:
                value: Any = slot_yaml(slot)
                if entry.who and entry.who != member.name:
                    value["note"] = Guess(value.get("note") or f"the page writes {entry.who!r}",
                                          f"the page writes {entry.who!r}; matched to {member.name}")
                if len(owners) > 1:
                    value = Guess(value, f"the page gives these hours to {', '.join(m.name for m in owners)} together")
                member.office_hours.append(value)

    # -- tables --------------------------------------------------------------------------
    def table(self, block: Block, heading: str) -> None:
        read_table(self, block, heading)
        block.used = True

    # -- people --------------------------------------------------------------------------
    def add(self, name: str, role: str, url: str | None, email: str | None) -> Member:
        member = self.match(name, exact=True)
        if member is None:
            member = Member(name, role, url, email)
            self.members.append(member)
        member.url, member.email = member.url or url, member.email or email
        if member.role == "staff" and role != "staff":
            member.role = role
        return member

    def match(self, name: str, exact: bool = False) -> Member | None:
        """Exact name, else a unique first, last or near-spelling match ("Kotwasinsky", "Prof. Abernathy")."""
        lowered = TITLES.sub("", name.strip()).lower()
        for member in self.members:
            if member.name.lower() == lowered:
                return member
        if exact or not lowered:
            return None
        for index in (0, -1):
            part = [m for m in self.members if m.name.lower().split()[index] == lowered]
            if len(part) == 1:
                return part[0]
        close = difflib.get_close_matches(lowered, [m.name.lower() for m in self.members], n=1, cutoff=0.85)
        return next((m for m in self.members if m.name.lower() == close[0]), None) if close else None

    def _default_places(self, text: str) -> bool:
        found = [(m[1].strip(), m[2].strip(" ,")) for m in _DEFAULT_PLACE.finditer(text)]
        self.places += found
        return bool(found) and _only_places(text)

    def finish(self) -> list[Member]:
        """Apply "X's office hours are in P" to X's slots without a place; give hours without an owner away."""
        for who, place in self.places:
            member = self.match(who)
            targets = [member] if member else [m for m in self.members if who.lower().rstrip("s") in m.role.lower()]
            for target in targets:
                for slot in target.office_hours:
                    inner = slot.value if isinstance(slot, Guess) else slot
                    if not inner.get("place") and not inner.get("url"):
                        inner["place"] = place
        self._give_unowned()
        return self.members

    def _give_unowned(self) -> None:
        if not self.unowned:
            return
        leads = [m for m in self.members if re.search(r"instructor|professor|lecturer", m.role, re.IGNORECASE)]
        owner = leads[0] if len(leads) == 1 else (self.members[0] if len(self.members) == 1 else None)
        for number, slot in self.unowned:
            if owner is None:
                self.unplaced.append(f"line {number}: office hours {slot.day} {dates.clock(slot.start)} without a "
                                     "person named; not placed")
                continue
            owner.office_hours.append(Guess(slot_yaml(slot), "the page does not say whose office hours these are; "
                                                             f"given to {owner.name}"))


def _written_role(text: str, name: str) -> tuple[str, int] | None:
    """The role written after a name and a comma ("Jia Wu, Head TA; ...", "Ana Ruiz, Associate Professor of
    History"), and where the text after it starts; None unless those words are a role."""
    at = text.find(name)
    if at < 0:
        return None
    after = at + len(name)
    match = re.match(r"[ \t]{0,3}(?:\([^()]{0,60}\)[ \t]{0,3})?,[ \t]{1,3}([^;:(),]{2,60})", text[after:])
    if not match:
        return None
    role = re.split(r"[ \t]of[ \t]", match[1], maxsplit=1)[0].strip(" .")
    after_name = is_role(role) or (len(role.split()) <= 3 and role.lower().split()[-1] in TITLE_NOUNS)
    return (role, after + match.end()) if after_name else None


def _heading_role(heading: str) -> str:
    """The role a staff heading gives the names under it: "Teaching Assistants" -> TA-like, "People" -> staff."""
    if not is_role(heading) or heading.lower().split()[-1] in ("staff", "people", "team", "contacts", "contact"):
        return "staff"
    return heading


def _only_places(text: str) -> bool:
    """The line says nothing but where office hours are held (so it is placed)."""
    rest = _DEFAULT_PLACE.sub("", text)
    return not dates.time_ranges(rest) and len(rest.split()) < 12


def slot_yaml(slot: hours.Slot) -> dict[str, Any]:
    value = slot.to_yaml()
    if slot.guessed:
        value["start"] = Guess(slot.start, "am/pm not given; afternoon assumed")
    return value


def split_label(text: Inline) -> tuple[str, Inline]:
    """ "**Office hours:** x", "TA: x", "Office hours — x", "office hrs Mon" -> (label, rest)."""
    strong = text.leading_mark()
    bold = text.text[strong.start:strong.end] if strong else ""
    if strong and len(bold) <= 45 and len(bold.split()) <= 6 and not SENTENCE_VERB.search(bold):
        label = text.text[strong.start:strong.end].strip()
        rest = text.slice(strong.end).strip()
        if label.endswith((":", ".")) or rest.text.startswith((":", "—", "–", "-")):
            return label.rstrip(":. "), rest.strip(" :—–-")
    match = _LABEL.match(text.text)
    if match and not EMAIL.search(match[1]) and not dates.time_ranges(match[1]) and (
            text.text[match.end() - 3:match.end()].strip().endswith(":") or is_hours(match[1]) or is_role(match[1])):
        return match[1].strip(), text.slice(match.end()).strip()
    first = re.match(r"(office[ \t]hrs|office[ \t]hours|OH)\b[ \t]{0,3}", text.text, re.IGNORECASE)
    if first:
        return first[1], text.slice(first.end()).strip(" :—–-")
    return "", text


def _segments(text: Inline) -> list[Inline]:
    parts, start = [], 0
    for match in re.finditer(r"[ \t]{1,3}[—–|][ \t]{1,3}|[ \t]{1,3}-[ \t]{1,3}", text.text):
        if not text.links_in(match.start(), match.end()):
            parts.append(text.slice(start, match.start()))
            start = match.end()
    parts.append(text.slice(start))
    return [part.strip() for part in parts if part.strip()]


def _after_names(value: Inline) -> Inline | None:
    """What follows the names on a role line ("Instructor: Jane, Mon 3-5pm in Room 1")."""
    spans = dates.time_ranges(value.text)
    if not spans:
        return None
    days = [start for _, start, _ in dates.weekday_spans(value.text) if start < spans[0].begin]
    return value.slice(days[0] if days else spans[0].begin)
