"""Small text helpers shared by the answer composer: dates, times, safe chat text."""

from __future__ import annotations

import datetime as dt
import re

DISCORD_LIMIT_CHARS = 2000


def day_label(day: dt.date, year: bool = True) -> str:
    """Tue, Oct 20, 2020 (weekday, month, day[, year])."""
    text = f"{day:%a}, {day:%b} {day.day}"
    return f"{text}, {day.year}" if year else text


def clock(value: dt.time) -> str:
    """16:20 -> 4:20pm; 16:00 -> 4:00pm (the way the course page writes times)."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"


def days_between(start: dt.date, end: dt.date) -> str:
    days = (end - start).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d+>|<#\d+>")


def defang(text: str) -> str:
    """Neutralise @everyone/@here and user/role/channel mentions in echoed text."""
    return _MENTION.sub(lambda m: m[0].replace("@", "@\u200b").replace("<", "<\u200b"), text)


def fit(text: str, limit: int) -> str:
    """Cut text to ``limit`` characters at a line or sentence boundary, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 2]
    for sep in ("\n", ". ", "; "):
        pos = cut.rfind(sep)
        if pos > limit * 0.6:
            cut = cut[: pos + (1 if sep != "\n" else 0)]
            break
    return cut.rstrip() + " …"
