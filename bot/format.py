"""Text helpers every layer may use: dates, times, Discord's limits and stamps, safe chat text.

Imports nothing from bot/, so the knowledge, index, answer, reminders and adapter layers
can all depend on it without running back up the data flow.
"""

from __future__ import annotations

import datetime as dt
import re

DISCORD_MESSAGE_CHARS = 2000  # one Discord message


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


def stamp(moment: dt.datetime) -> str:
    """``<t:…:F> (<t:…:R>)``: Discord shows the full date and time, then "in 3 days", in each reader's zone."""
    if moment.tzinfo is None:
        raise ValueError("timestamps need an aware datetime")
    seconds = int(moment.timestamp())
    return f"<t:{seconds}:F> (<t:{seconds}:R>)"


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
