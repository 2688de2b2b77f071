"""Straight from the course's structures: /due, /schedule, /readings, /officehours, /next."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.answer import compose
from bot.discord import _dates, _format
from bot.discord._schedule import NotUnderstood, find_topic, select_sessions
from bot.discord.client import CourseBot
from bot.format import day_label
from bot.knowledge import Course, Due

NONE = discord.AllowedMentions.none()
CHOICES_MAX = 25
CHOICE_CHARS = 100
UPCOMING_COUNT = 5


def _choice_name(text: str) -> str:
    return text if len(text) <= CHOICE_CHARS else text[: CHOICE_CHARS - 1] + "…"


def find_deliverable(course: Course, value: str) -> list[Due]:
    """By id (what autocomplete sends), else every deliverable whose name contains the text."""
    wanted = value.strip().lower()
    exact = [d for d in course.deliverables if d.id == wanted]
    return exact or [d for d in course.deliverables if wanted and wanted in d.name.lower()]


class CourseInfo(commands.Cog):
    def __init__(self, bot: CourseBot):
        self.bot = bot

    @property
    def course(self) -> Course:
        return self.bot.live_course.course

    async def _send(self, interaction: discord.Interaction, embed: discord.Embed) -> None:
        await interaction.response.send_message(embed=embed, allowed_mentions=NONE)

    async def _refuse(self, interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(_format.message_text(text), ephemeral=True, allowed_mentions=NONE)

    # --- /due ---------------------------------------------------------------------------

    @app_commands.command(name="due", description="When something is due; with no name, the next deadlines.")
    @app_commands.describe(deliverable="Start typing a homework, project or reading name")
    async def due(self, interaction: discord.Interaction, deliverable: str | None = None) -> None:
        course, now = self.course, self.bot.now()
        if deliverable:
            dues = find_deliverable(course, deliverable)
            if not dues:
                await self._refuse(interaction, f"Nothing called {deliverable!r} is on the calendar. "
                                   "Start typing and pick a name from the list.")
                return
            title = dues[0].name if len({d.name for d in dues}) == 1 else "Matching deadlines"
        else:
            dues = _dates.upcoming(course, now, self.bot.default_due_time, UPCOMING_COUNT)
            if not dues:
                await self._refuse(interaction, "Nothing more is due this term.")
                return
            title = "Next deadlines"
        reply = compose.deadlines(course, dues, now, header=f"{title}:")
        embed = _format.info_embed(course, title, reply.text, reply.sources)
        _format.add_deadlines(embed, course, dues, self.bot.default_due_time)
        await self._send(interaction, _format.clamp(embed))

    @due.autocomplete("deliverable")
    async def due_names(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        typed = current.strip().lower()
        dues = [d for d in self.course.deliverables if typed in d.name.lower() or typed in d.id]
        return [app_commands.Choice(name=_choice_name(f"{d.name} — {day_label(d.date)}"), value=d.id)
                for d in dues[:CHOICES_MAX]]

    # --- /schedule ------------------------------------------------------------------------

    @app_commands.command(name="schedule", description="What's on the calendar: a date, a week, or the coming week.")
    @app_commands.describe(when="e.g. week 5, 2020-10-20, oct 20, tomorrow, next week")
    async def schedule(self, interaction: discord.Interaction, when: str | None = None) -> None:
        course, now = self.course, self.bot.now()
        try:
            picked = select_sessions(course, when, now)
        except NotUnderstood as exc:
            await self._refuse(interaction, str(exc))
            return
        if not picked.sessions:
            await self._refuse(interaction, f"Nothing is on the calendar for {picked.label.lower()}.")
            return
        reply = compose.sessions(course, picked.sessions, header=f"{picked.label}:")
        embed = _format.info_embed(course, f"Schedule — {picked.label}", reply.text, reply.sources)
        dates = {s.date for s in picked.sessions}
        _format.add_deadlines(embed, course, [d for d in course.deliverables if d.date in dates],
                              self.bot.default_due_time)
        await self._send(interaction, _format.clamp(embed))

    # --- /readings ------------------------------------------------------------------------

    @app_commands.command(name="readings", description="The reading list, or the readings on one topic.")
    @app_commands.describe(topic="Start typing a topic from the reading list")
    async def readings(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        course = self.course
        if not topic:
            lines = [f"• **{t.topic}** ({len(t.items)} reading{'s' if len(t.items) != 1 else ''})"
                     for t in course.readings]
            body = "\n".join(lines) + "\n\nPick one with `/readings topic:`."
            await self._send(interaction, _format.info_embed(course, "Reading list", body))
            return
        found = find_topic(course, topic)
        if found is None:
            await self._refuse(interaction, f"No reading topic matches {topic!r}. Start typing and pick from the list.")
            return
        number, chosen = found
        reply = compose.topic_list(chosen, str(number))
        await self._send(interaction, _format.info_embed(course, f"Readings — {chosen.topic}", reply.text,
                                                         reply.sources))

    @readings.autocomplete("topic")
    async def topic_names(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        typed = current.strip().lower()
        names = [t.topic for t in self.course.readings if typed in t.topic.lower()]
        return [app_commands.Choice(name=_choice_name(n), value=n[:CHOICE_CHARS]) for n in names[:CHOICES_MAX]]

    # --- /officehours, /next ----------------------------------------------------------------

    @app_commands.command(name="officehours", description="When and where the course staff hold office hours.")
    async def officehours(self, interaction: discord.Interaction) -> None:
        course = self.course
        body = compose.office_hours(course) + f"\n\nQuestions between office hours: {course.where_to_ask}."
        await self._send(interaction, _format.info_embed(course, "Office hours", body))

    @app_commands.command(name="next", description="The next class and the next deadline.")
    async def next_up(self, interaction: discord.Interaction) -> None:
        course, now, default_time = self.course, self.bot.now(), self.bot.default_due_time
        session = course.next_class(now)
        dues = _dates.upcoming(course, now, default_time, limit=1)
        dues = [d for d in course.deliverables if dues and d.date == dues[0].date]
        parts = [compose.sessions(course, [session], header="Next class:").text if session
                 else "There are no more classes this term."]
        parts.append(compose.deadlines(course, dues, now, header="Next deadline:").text if dues
                     else "Nothing more is due this term.")
        embed = _format.info_embed(course, "Next up", "\n\n".join(parts))
        _format.add_deadlines(embed, course, dues, default_time)
        await self._send(interaction, _format.clamp(embed))


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(CourseInfo(bot))
