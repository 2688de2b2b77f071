"""Save as FAQ: a staff answer in a forum post becomes a knowledge/faq.yaml entry the bot answers from.

Two ways in, both staff-only: the "Save as FAQ" message context menu on the answer, or
the button on the bot's staff note (it takes the newest staff message in the post).
Either opens a modal with the entry's id, question and answer to confirm or edit; on
submit ``bot.instructor.faq_write`` checks and writes it and the live course reloads, so
the next post asking the same question is answered by the bot. A refused entry or a
failed write changes nothing and the reply says why.
"""

from __future__ import annotations

import asyncio
import logging
import re

import discord
from discord import app_commands

from bot.discord import _format
from bot.discord._posts import is_post, post_question, post_url, starter_message
from bot.discord.client import NOT_STAFF, CourseBot, freeze_heap
from bot.discord.staff import staff_check
from bot.instructor.faq_write import FaqWriteError, NewFaq, add_faq, suggest_id
from bot.serving.live import LiveCourse

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
MENU_NAME = "Save as FAQ"
SAVE_TEMPLATE = r"coursebot:faq:(?P<post>\d+)"
QUESTION_CHARS = 500
ANSWER_CHARS = 4000  # a modal text input holds at most 4,000 characters
HISTORY_LOOKED_AT = 50
NOT_IN_POST = "Save as FAQ works on an answer inside a post of the course's Q&A forum."


def save_and_reload(live: LiveCourse, entry: NewFaq) -> tuple[bool, str]:
    """Write the entry, then reload the course (blocking: run in a thread). (reloaded, what to tell staff)."""
    try:
        add_faq(live.knowledge, entry)
    except FaqWriteError as exc:
        return False, f"Nothing was saved: {exc}"
    result = live.reload()
    if result.ok:
        return result.changed, (f"Saved `{entry.id}` to faq.yaml and reloaded: I'll answer this question myself "
                                "from now on.")
    return False, f"Saved `{entry.id}` to faq.yaml, but the course did not reload:\n{result.summary()}"


class SaveFaqModal(discord.ui.Modal, title=MENU_NAME):
    def __init__(self, *, entry_id: str, question: str, answer: str, source: str):
        super().__init__(timeout=900)
        self.source = source
        self.entry_id: discord.ui.TextInput = discord.ui.TextInput(
            label="Id (lowercase letters, digits, dashes)", custom_id="faq:id", default=entry_id, max_length=64)
        self.question: discord.ui.TextInput = discord.ui.TextInput(
            label="Question", custom_id="faq:question", style=discord.TextStyle.paragraph,
            default=question[:QUESTION_CHARS],
            max_length=QUESTION_CHARS)
        self.answer: discord.ui.TextInput = discord.ui.TextInput(
            label="Answer", custom_id="faq:answer", style=discord.TextStyle.paragraph, default=answer[:ANSWER_CHARS],
            max_length=ANSWER_CHARS)
        for item in (self.entry_id, self.question, self.answer):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot = interaction.client
        assert isinstance(bot, CourseBot)  # the one client that adds this modal
        if not bot.is_staff(interaction.user):
            await interaction.response.send_message(NOT_STAFF, ephemeral=True, allowed_mentions=NONE)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        entry = NewFaq(self.entry_id.value.strip(), " ".join(self.question.value.split()), self.answer.value.strip(),
                       comment=f"Saved from a Discord forum post by course staff: {self.source}")
        reloaded, text = await asyncio.to_thread(save_and_reload, bot.live_course, entry)
        if reloaded:
            freeze_heap()  # the new engine is long-lived, as after /reload
        log.info("Save as FAQ %r by %s: %s", entry.id, interaction.user.id, text.splitlines()[0])
        await interaction.followup.send(_format.message_text(text), ephemeral=True, allowed_mentions=NONE)


async def faq_modal(client: CourseBot, thread: discord.Thread, answer: str) -> SaveFaqModal:
    """The modal, filled in from the post's question and the chosen answer."""
    starter = await starter_message(client, thread, wait_s=0)
    question = " ".join(post_question(thread.name, starter.content if starter else "").split())
    taken = [entry.id for entry in client.live_course.course.faq]
    return SaveFaqModal(entry_id=suggest_id(thread.name, taken), question=question, answer=answer.strip(),
                        source=post_url(thread))


@app_commands.guild_only()
async def save_as_faq(interaction: discord.Interaction[CourseBot], message: discord.Message) -> None:
    """Message context menu: this answer, with its post's question, as a new FAQ entry."""
    staff_check(interaction)  # raises NotStaff: the tree's error handler refuses privately
    thread = interaction.channel
    forums = interaction.client.config.forum_ids
    if not isinstance(thread, discord.Thread) or not is_post(thread, forums):
        await interaction.response.send_message(NOT_IN_POST, ephemeral=True, allowed_mentions=NONE)
        return
    if message.author.bot or message.id == thread.id or not message.content.strip():
        text = "Pick the staff answer in the post (not the question, not my reply, not an empty message)."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)
        return
    await interaction.response.send_modal(await faq_modal(interaction.client, thread, message.content))


def save_as_faq_menu() -> app_commands.ContextMenu:
    return app_commands.ContextMenu(name=MENU_NAME, callback=save_as_faq)


async def newest_staff_answer(client: CourseBot, thread: discord.Thread) -> discord.Message | None:
    """The most recent message in the post by someone holding the staff role."""
    async for message in thread.history(limit=HISTORY_LOOKED_AT):
        if message.author.bot or message.id == thread.id or not message.content.strip():
            continue
        member = message.author if isinstance(message.author, discord.Member) else thread.guild.get_member(
            message.author.id)
        if member is None:
            try:
                member = await thread.guild.fetch_member(message.author.id)
            except discord.HTTPException:
                continue
        if client.is_staff(member):
            return message
    return None


class SaveFaqButton(discord.ui.DynamicItem[discord.ui.Button], template=SAVE_TEMPLATE):
    """On the staff note: save the post's newest staff answer (survives restarts)."""

    def __init__(self, post_id: int):
        super().__init__(discord.ui.Button(label=MENU_NAME, emoji="📌", style=discord.ButtonStyle.secondary,
                                           custom_id=f"coursebot:faq:{post_id}"))
        self.post_id = post_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item,
                             match: re.Match[str]) -> SaveFaqButton:
        return cls(int(match["post"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        assert isinstance(client, CourseBot)  # the one client that registers this item (forum.setup)
        if not client.is_staff(interaction.user):
            await interaction.response.send_message(NOT_STAFF, ephemeral=True, allowed_mentions=NONE)
            return
        try:
            thread = client.get_channel(self.post_id) or await client.fetch_channel(self.post_id)
        except discord.HTTPException:
            thread = None
        answer = await newest_staff_answer(client, thread) if isinstance(thread, discord.Thread) else None
        if not isinstance(thread, discord.Thread) or answer is None:
            text = ("No staff answer in that post yet: answer in the post, then press this again "
                    "(or use Save as FAQ on any message in it).")
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)
            return
        await interaction.response.send_modal(await faq_modal(client, thread, answer.content))
