"""Answers as Discord embeds and messages, always inside Discord's size limits."""

from __future__ import annotations

import datetime as dt
import re

import discord

from bot.answer.model import Answer, Source
from bot.discord import _dates
from bot.format import DISCORD_MESSAGE_CHARS, defang, fit
from bot.knowledge import Course, Due

THREAD_NAME_CHARS = 100
TITLE_CHARS = 256
DESCRIPTION_CHARS = 4096
FIELD_NAME_CHARS = 256
FIELD_VALUE_CHARS = 1024
FIELDS_MAX = 25
FOOTER_CHARS = 2048
EMBED_TOTAL_CHARS = 6000
MENTION_TOKEN = re.compile(r"<(?:@[!&]?|#)\d+>")
ANSWERED_COLOUR = discord.Colour.blurple()
DECLINED_COLOUR = discord.Colour.light_grey()


def message_text(text: str) -> str:
    """Any text we echo: mentions defanged, cut to one message."""
    return fit(defang(text), DISCORD_MESSAGE_CHARS)


def thread_name(text: str, fallback: str = "Question") -> str:
    """A thread title made from a student's text: one line, cut to Discord's 100 characters.

    User, role and channel mentions are dropped (raw ids mean nothing in a title) and
    @everyone/@here are defanged, as in every message the bot echoes."""
    line = " ".join(defang(MENTION_TOKEN.sub(" ", text)).split())
    return fit(line, THREAD_NAME_CHARS) or fallback


def source_line(source: Source) -> str:
    title = defang(source.title).replace("[", "(").replace("]", ")")
    return f"[{title}]({source.url})" if source.url else title


def answer_embed(course: Course, answer: Answer, now: dt.datetime, default_time: dt.time) -> discord.Embed:
    """The engine's answer: text, where it comes from, and deadlines as local-time stamps."""
    colour = ANSWERED_COLOUR if answer.answered else DECLINED_COLOUR
    embed = discord.Embed(description=fit(defang(answer.answer), DESCRIPTION_CHARS), colour=colour)
    if answer.sources:
        label = "Source" if len(answer.sources) == 1 else "Sources"
        embed.add_field(name=label, value="\n".join(source_line(s) for s in answer.sources), inline=False)
    dues = _dates.stated(course, answer.refs) if answer.answered else []
    add_deadlines(embed, course, dues, default_time)
    return finish(embed, course)


def add_deadlines(embed: discord.Embed, course: Course, dues: list[Due], default_time: dt.time) -> None:
    if dues:
        name = "In your time zone"
        embed.add_field(name=name, value=_dates.stamps(course, dues[:10], default_time), inline=False)


def info_embed(course: Course, title: str, body: str, sources: tuple[Source, ...] = ()) -> discord.Embed:
    embed = discord.Embed(title=title, description=defang(body), colour=ANSWERED_COLOUR)
    if sources:
        embed.add_field(name="Source", value="\n".join(source_line(s) for s in sources), inline=False)
    return finish(embed, course)


def finish(embed: discord.Embed, course: Course) -> discord.Embed:
    embed.set_footer(text=f"{course.info.code} · {course.info.title} · {course.info.term}")
    return clamp(embed)


def clamp(embed: discord.Embed) -> discord.Embed:
    """Cut every part of an embed to Discord's limits, description last to fit the 6,000 total."""
    if embed.title:
        embed.title = fit(embed.title, TITLE_CHARS)
    fields = embed.fields[:FIELDS_MAX]
    embed.clear_fields()
    for f in fields:
        embed.add_field(name=fit(f.name or "\u200b", FIELD_NAME_CHARS),
                        value=fit(f.value or "\u200b", FIELD_VALUE_CHARS), inline=bool(f.inline))
    if embed.footer.text:
        embed.set_footer(text=fit(embed.footer.text, FOOTER_CHARS))
    if embed.description:
        room = EMBED_TOTAL_CHARS - (len(embed) - len(embed.description))
        embed.description = fit(embed.description, min(DESCRIPTION_CHARS, max(room, 50)))
    return embed
