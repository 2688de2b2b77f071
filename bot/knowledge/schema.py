"""The shape of each knowledge file, as typed immutable models.

Every model forbids unknown keys (a misspelt key is an error, not silently ignored)
and is frozen (a loaded course never changes; a reload builds a new one).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from bot.knowledge.yamlfile import shown

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DELIVERABLE_KINDS = ("homework", "reading", "project", "exam", "quiz", "other")
RESOURCE_KINDS = ("package", "book", "compute", "dataset", "slides", "notebook", "tool", "other")
_TIME = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)


def parse_time(value: object) -> object:
    """Accept "16:20", "4:20pm", "4 pm" (and datetime.time); leave the rest to pydantic."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f"expected a time such as \"16:20\", got the number {value}")
    if not isinstance(value, str):
        return value
    match = _TIME.match(value)
    if not match:
        raise ValueError(f'expected a time such as "16:20" or "4:20pm", got {shown(value)}')
    hour, minute, meridiem = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} does not fit am/pm in {value!r}")
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{value!r} is not a time of day")
    return dt.time(hour, minute)


def parse_weekday(value: object) -> object:
    """Accept "Mon", "monday", "Mondays"; return the canonical full name."""
    if not isinstance(value, str):
        raise ValueError(f"expected a weekday such as Monday, got {shown(value)}")
    word = value.strip().lower().rstrip("s").rstrip(".")
    for day in WEEKDAYS:
        if len(word) >= 2 and day.lower().startswith(word[:3]) and day.lower().startswith(word):
            return day
    raise ValueError(f"expected a weekday such as Monday or Tue, got {shown(value)}")


def parse_date(value: object) -> object:
    """Accept a YAML date or "2020-10-20"; say how to write one instead of pydantic's timestamp talk."""
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date such as 2020-10-20, without a time")
    if isinstance(value, int | float) and not isinstance(value, bool):  # pydantic would read a Unix timestamp
        raise ValueError(f"expected a date written {_as_iso(value) or '2020-10-20'}, got the number {value}")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"expected a real date written 2020-10-20, got {shown(value)}") from exc
    return value


def _as_iso(number: float) -> str | None:
    """20200917 -> "2020-09-17" when the digits are a real date, else None."""
    digits = str(number)
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat() if len(digits) == 8 else None
    except ValueError:
        return None


Time = Annotated[dt.time, BeforeValidator(parse_time)]
Weekday = Annotated[str, BeforeValidator(parse_weekday)]
Date = Annotated[dt.date, BeforeValidator(parse_date)]
Text = Annotated[str, Field(min_length=1)]
Url = Annotated[str, Field(pattern=r"^(https?://|mailto:|[\w./#-]+$)")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Link(Model):
    name: Text
    url: Url


Aliases = tuple[Text, ...]  # other names students use for an entry ("hw2", "the proposal", "CNNs")


class Meeting(Model):
    days: tuple[Weekday, ...] = Field(min_length=1)
    start: Time
    end: Time
    location: Text
    url: Url | None = None
    note: str | None = None


class OfficeHour(Model):
    day: Weekday
    start: Time
    end: Time
    place: str | None = None
    url: Url | None = None
    note: str | None = None


class StaffMember(Model):
    name: Text
    role: Text
    url: Url | None = None
    email: str | None = None
    office_hours: tuple[OfficeHour, ...] = ()
    aliases: Aliases = ()


class Channel(Model):
    """Where students ask humans: a forum, chat or email list."""

    name: Text
    url: Url | None = None
    text: str | None = None


class Textbook(Model):
    title: Text
    url: Url | None = None
    note: str | None = None


UNDETERMINED_FIELDS = ("class_time", "location", "staff", "office_hours", "textbook", "computing", "exam", "other")


class Undetermined(Model):
    """Something the course page says is not decided yet ("To be determined", "TBA").

    Kept as data, not dropped, so the bot answers "not determined yet" with its source
    instead of "not listed".
    """

    field: Literal["class_time", "location", "staff", "office_hours", "textbook", "computing", "exam", "other"]
    what: Text  # how to say it: "The class location", "Jane Doe's office hours"
    person: str | None = None  # for one person's office hours or role
    note: str | None = None  # the page's own words, e.g. "To be determined"


class CourseInfo(Model):
    code: Text
    title: Text
    term: Text
    institution: Text
    timezone: Text
    url: Url | None = None
    description: Text
    textbook: Textbook | None = None
    prerequisites: str | None = None
    meetings: tuple[Meeting, ...] = ()
    questions: Channel | None = None
    staff: tuple[StaffMember, ...] = ()
    grading_total: int | None = Field(default=None, gt=0)
    undetermined: tuple[Undetermined, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {shown(value)}; use an IANA name such as America/Chicago") from exc
        return value


class Window(Model):
    """Days a deliverable can be done in (a take-home exam open Oct 28-30); due at ``end``."""

    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")
        return self


class Deliverable(Model):
    name: Text
    kind: Literal["homework", "reading", "project", "exam", "quiz", "other"]
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")] | None = None
    points: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    due_time: Time | None = None
    note: str | None = None
    url: Url | None = None
    window: Window | None = None  # due at window.end rather than on the session's date
    aliases: Aliases = ()


class Session(Model):
    """One row of the calendar: a class date (or, with no date, a week-level item)."""

    date: Date | None = None
    week: int | None = Field(default=None, ge=0)
    topic: Text
    no_class: bool = False
    note: str | None = None
    url: Url | None = None
    due: tuple[Deliverable, ...] = ()
    aliases: Aliases = ()


class Policy(Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: Text
    text: Text
    aliases: tuple[Text, ...] = ()
    url: Url | None = None


class Reading(Model):
    title: Text
    url: Url | None = None
    authors: tuple[Text, ...] = ()
    year: int | None = Field(default=None, ge=1500, le=2100)
    venue: str | None = None
    note: str | None = None
    starred: bool = False
    start_here: bool = False
    credit: str | None = None
    links: tuple[Link, ...] = ()


class ReadingTopic(Model):
    topic: Text
    note: str | None = None
    aliases: Aliases = ()
    items: tuple[Reading, ...] = Field(min_length=1)


class Resource(Model):
    name: Text
    kind: Literal["package", "book", "compute", "dataset", "slides", "notebook", "tool", "other"]
    url: Url | None = None
    description: str | None = None
    aliases: Aliases = ()


class FaqEntry(Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    question: Text
    paraphrases: tuple[Text, ...] = ()
    answer: Text
    url: Url | None = None


# One model per file: the top-level keys each file may hold.
class CalendarFile(Model):
    sessions: tuple[Session, ...] = Field(min_length=1)


class PoliciesFile(Model):
    policies: tuple[Policy, ...] = ()


class ReadingsFile(Model):
    topics: tuple[ReadingTopic, ...] = ()


class ResourcesFile(Model):
    resources: tuple[Resource, ...] = ()


class FaqFile(Model):
    faq: tuple[FaqEntry, ...] = ()
