"""The ``reminders:`` section of config.yaml: where, when and what to remind about."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from bot.knowledge.schema import DELIVERABLE_KINDS, Time

_LEAD = re.compile(r"(\d+)\s*([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
DEFAULT_LEADS = ("7d", "1d", "2h")
DEFAULT_DUE_TIME = dt.time(23, 59)


def parse_lead(value: object) -> object:
    """Accept "7d", "2h", "1d 12h", "90m" (and timedelta); whole days count on the local calendar."""
    return lead_time(value) if isinstance(value, str) else value


def lead_time(value: str) -> dt.timedelta:
    text = value.strip().lower()
    parts = _LEAD.findall(text)
    if not parts or _LEAD.sub("", text).strip():
        raise ValueError(f'expected a lead time such as "7d", "2h" or "1d 12h", got {value!r}')
    return dt.timedelta(**{_UNITS[unit]: int(n) for n, unit in parts})


Lead = Annotated[dt.timedelta, BeforeValidator(parse_lead)]


class QuietHours(BaseModel):
    """Local hours without pings: a reminder falling inside moves earlier, to ``start``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: Time
    end: Time

    def contains(self, local: dt.time) -> bool:
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # wraps past midnight


class ReminderSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Off when there is no config file (e.g. Settings() in tests); the shipped config.yaml turns it on.
    enabled: bool = False
    # Discord channel id to post in; required when enabled (a missing one stops start-up).
    channel: int | None = None
    leads: tuple[Lead, ...] = Field(default=tuple(lead_time(v) for v in DEFAULT_LEADS), min_length=1)
    # When a deliverable has no due_time (the default course says "by the time on Canvas").
    default_due_time: Time = DEFAULT_DUE_TIME
    quiet_hours: QuietHours | None = None
    skip_kinds: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()  # deliverable ids that get no reminders
    # Deliverable id or kind -> the policy id whose title and link a reminder cites.
    related: dict[str, str] = Field(default_factory=lambda: {
        "reading": "reading-reactions",
        "homework": "submitting-assignments",
        "project": "submitting-assignments",
    })
    database: Path = Path("data/reminders.sqlite3")
    poll_seconds: int = Field(default=30, ge=1, le=3600)
    retry_base_seconds: int = Field(default=5, ge=1)
    retry_max_seconds: int = Field(default=600, ge=1)
    # No longer used: a post that may have gone out is looked for among *all* messages since its
    # floor (a fixed limit let a busy channel hide it). Still accepted so existing config files load.
    history_limit: int = Field(default=100, ge=1, le=1000)
    dm: bool = True  # allow students to opt in to DM copies with /remindme on

    @field_validator("leads")
    @classmethod
    def _positive(cls, value: tuple[dt.timedelta, ...]) -> tuple[dt.timedelta, ...]:
        if any(lead <= dt.timedelta(0) for lead in value):
            raise ValueError("lead times must be positive, e.g. 7d, 1d, 2h")
        return tuple(sorted(set(value), reverse=True))

    @field_validator("skip_kinds")
    @classmethod
    def _kinds(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [kind for kind in value if kind not in DELIVERABLE_KINDS]
        if unknown:
            raise ValueError(f"unknown deliverable kind(s) {unknown}; kinds are {', '.join(DELIVERABLE_KINDS)}")
        return value
