"""Names on a course page: people ("Dr. Jane Doe", "[Alan](url) (alan@x.edu)"), e-mails, role words.

Read by the staff reader (people.py) and the staff-table reader (staff_table.py) alike.
"""

from __future__ import annotations

import re

from bot.instructor import dates
from bot.instructor.document import Inline, Link

EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
TITLES = re.compile(r"^(?:prof\.?|professor|dr\.?|mr\.?|ms\.?|mrs\.?|mx\.?)[ \t]{1,3}", re.IGNORECASE)
_NAME = re.compile(r"[A-Z][\w'’.-]{0,30}(?:[ \t]{1,2}(?:de|da|van|von|der|del|la|le|bin|al|[A-Z][\w'’.-]{0,30})){0,4}")
ROLE_NOUNS = ("instructor", "professor", "prof", "lecturer", "teacher", "ta", "gta", "uta", "assistant", "mentor",
              "grader", "tutor", "coordinator", "leader", "fellow", "tf", "ca", "la", "reader", "staff", "faculty",
              "co-instructor", "facilitator", "advisor", "team", "people")
TITLE_NOUNS = ("manager", "administrator", "director", "librarian")  # roles only after a name ("X, Course Manager")


def is_role(label: str) -> bool:
    words = label.lower().replace("(s)", "").split()
    if not words or len(words) > 4 or words[-1].rstrip("s") in ("hour", "hr", "time", "email"):
        return False
    last = words[-1]
    return any(last in (noun, noun + "s", noun + "es") for noun in ROLE_NOUNS)


def people_in(value: Inline) -> list[tuple[str, str | None, str | None]]:
    """(name, url, email) for each person in "A, [B](url) and Dr. C (c@x.edu)", stopping at the first non-name."""
    found: list[tuple[str, str | None, str | None]] = []
    for part in _name_parts(value):
        email_match = EMAIL.search(part.text)
        email = email_match[0] if email_match else None
        link = next((k for k in part.links if not k.url.startswith("mailto:")), None)
        mail = next((k for k in part.links if k.url.startswith("mailto:")), None)
        email = email or (mail.url.removeprefix("mailto:") if mail else None)
        words = re.sub(r"\([^()]{0,200}\)", "", part.text)
        words = EMAIL.sub("", words).strip(" -–—:,.<>")
        words = TITLES.sub("", link.text if link and _only_link(part, link) else words).strip()
        name = _NAME.fullmatch(words)
        if name and not dates.weekdays_in(words) and not is_role(words) and not dates.undecided(words):
            found.append((words, link.url if link else None, email))
        elif email and found and not found[-1][2] and not words:
            found[-1] = (found[-1][0], found[-1][1], email)
        elif found:
            break
    return found


def _only_link(part: Inline, link: Link) -> bool:
    """The link's text is the name: nothing but a title, a bracket or an e-mail is written beside it
    ("Prof. [Name](url) (TA)"), unlike "Questions go on [Piazza](url)"."""
    if link.text.startswith("http"):
        return False
    beside = re.sub(r"\([^()]{0,200}\)", "", part.text[: link.start] + " " + part.text[link.end:])
    beside = EMAIL.sub("", beside).strip(" -–—:,.<>()")
    return re.fullmatch(r"(?:(?:prof|professor|dr|mr|ms|mrs|mx)\.?)?", beside, re.IGNORECASE) is not None


def _name_parts(value: Inline) -> list[Inline]:
    sentence = re.search(r"[.!?][ \t]{1,3}(?=[A-Z])", value.text)
    if sentence and not _inside_parens(value.text, sentence.start()) and not re.search(
            r"\b(?:Dr|Prof|Mr|Ms|Mrs|Mx|St|Jr|[A-Z])$", value.text[: sentence.start()]):
        value = value.slice(0, sentence.start())
    cuts = [(m.start(), m.end()) for m in re.finditer(r"[ \t]{0,3}(?:,|;|\band\b|&|\n)[ \t]{0,3}", value.text)
            if not _inside_parens(value.text, m.start())]
    parts, start = [], 0
    for a, b in cuts:
        parts.append(value.slice(start, a))
        start = b
    parts.append(value.slice(start))
    return [part for part in parts if part.text.strip()]


def _inside_parens(text: str, index: int) -> bool:
    return text.count("(", 0, index) > text.count(")", 0, index)
