"""Forum Q&A (CampusWire-style): each new post is answered in the post, tagged, and handed to staff if need be.

A post's title and first message are read together as the question (``_posts`` says what
discord.py gives on thread create). The answer embed carries 👍/👎 and, when the forum
has the resolved tag, a "Resolved" button for the post's author. Tags come from the
forum's own tags (``_tags``): "answered by bot" when the bot answered, "needs staff" when
it declined or a student voted 👎, "resolved" when the author marks it so; applying them
needs Manage Threads, and a missing tag or permission is said once in the log. Staff are
never pinged: a short note with the post's link goes to the staff channel, with a "Save as
FAQ" button (``_faq_save``).
Follow-up questions that mention the bot in a post are answered by the answering cog.
The bot archives and locks nothing.
"""

from __future__ import annotations

import asyncio
import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import _format
from bot.discord._faq_save import SaveFaqButton, save_as_faq_menu
from bot.discord._posts import is_post, post_text, post_url
from bot.discord._tags import Status, find_tags, retag
from bot.discord._votes import vote_view
from bot.discord.client import APOLOGY, CourseBot, rate_limit_message

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
LOCKS_KEPT = 10_000  # per-post tag locks, forgotten beyond this many posts
RESOLVE_TEMPLATE = r"coursebot:resolved:(?P<post>\d+)"
NOT_A_POST = "Use this inside a post in the course's Q&A forum."
NOT_AUTHOR = "Only the post's author (or course staff) can mark it resolved."


class ResolveButton(discord.ui.DynamicItem[discord.ui.Button], template=RESOLVE_TEMPLATE):
    """"Resolved" under the bot's answer; works after restarts (the post id is in the custom_id)."""

    def __init__(self, post_id: int):
        super().__init__(discord.ui.Button(label="Resolved", emoji="✅", style=discord.ButtonStyle.secondary,
                                           custom_id=f"coursebot:resolved:{post_id}"))
        self.post_id = post_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item,
                             match: re.Match[str]) -> ResolveButton:
        return cls(int(match["post"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        forum = client.get_cog("Forum") if isinstance(client, CourseBot) else None
        if isinstance(forum, Forum):
            await forum.resolve(interaction)


class Forum(commands.Cog):
    def __init__(self, bot: CourseBot):
        self.bot = bot
        self._locks: dict[int, asyncio.Lock] = {}
        self._said: set[tuple[int, str]] = set()  # (forum id, what) already logged
        self._noted: set[int] = set()  # posts already reported to staff

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ResolveButton, SaveFaqButton)
        self.bot.tree.add_command(save_as_faq_menu())

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ResolveButton, SaveFaqButton)
        self.bot.tree.remove_command("Save as FAQ", type=discord.AppCommandType.message)

    def post(self, channel: object) -> discord.Thread | None:
        if isinstance(channel, discord.Thread) and is_post(channel, self.bot.config.forum_ids):
            return channel
        return None

    # --- a new post -------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        if self.post(thread) is None or thread.owner_id == getattr(self.bot.user, "id", None):
            return
        try:
            await self.answer_post(thread)
        except Exception:
            log.exception("answering forum post %s failed", thread.id)
            try:
                await thread.send(APOLOGY, allowed_mentions=NONE)
            except discord.HTTPException:
                log.exception("could not apologise in forum post %s", thread.id)

    async def answer_post(self, thread: discord.Thread) -> None:
        question = await post_text(self.bot, thread)  # waits for the first message: posting earlier fails
        author = thread.owner_id or 0
        wait = self.bot.check_rate(author)
        if wait:
            await thread.send(rate_limit_message(wait), allowed_mentions=NONE)
            return
        answered = await self.bot.answer(question)
        answer = answered.answer
        view = vote_view(await self.bot.record(author, f"forum:{thread.id}", answer))
        if self._has_tag(thread, Status.RESOLVED):
            view.add_item(ResolveButton(thread.id))
        embed = _format.answer_embed(answered.course, answer, self.bot.now(), self.bot.default_due_time)
        await thread.send(embed=embed, view=view, allowed_mentions=NONE)
        if answer.answered:
            await self.set_status(thread, Status.ANSWERED)
        else:
            await self.needs_staff(thread, "I couldn't answer this post")

    # --- votes and "resolved" -------------------------------------------------------------

    @commands.Cog.listener()
    async def on_answer_vote(self, interaction: discord.Interaction, question_id: int, up: bool) -> None:
        thread = self.post(interaction.channel)
        if thread is not None and not up:
            await self.needs_staff(thread, "A student voted 👎 on my answer in", refresh=True)

    @app_commands.command(name="resolved", description="Mark your forum post resolved (adds the resolved tag).")
    @app_commands.guild_only()
    async def resolved(self, interaction: discord.Interaction) -> None:
        await self.resolve(interaction)

    async def resolve(self, interaction: discord.Interaction) -> None:
        """The post's author (or staff) marks it resolved: the tag changes, nothing is archived."""
        thread = self.post(interaction.channel)
        if thread is None or (interaction.user.id != thread.owner_id and not self.bot.is_staff(interaction.user)):
            text = NOT_A_POST if thread is None else NOT_AUTHOR
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        done = await self.set_status(thread, Status.RESOLVED, refresh=True)
        text = ("Marked resolved. The post stays open; staff close posts." if done else
                "I couldn't apply the resolved tag (the forum lacks it, or I may not tag posts); nothing changed.")
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)

    # --- tags and staff -------------------------------------------------------------------

    async def needs_staff(self, thread: discord.Thread, why: str, *, refresh: bool = False) -> None:
        await self.set_status(thread, Status.NEEDS_STAFF, refresh=refresh)
        await self.note_staff(thread, why)

    def _has_tag(self, thread: discord.Thread, status: Status) -> bool:
        forum = thread.parent
        return isinstance(forum, discord.ForumChannel) and status in find_tags(
            forum.available_tags, self.bot.config.forum_tags).found

    async def set_status(self, thread: discord.Thread, status: Status, *, refresh: bool = False) -> bool:
        """Apply the status's tag (and take off the one it replaces); True when the tag is on the post."""
        forum = thread.parent
        if not isinstance(forum, discord.ForumChannel):
            return False
        tags = find_tags(forum.available_tags, self.bot.config.forum_tags)
        for name in tags.missing:
            self._say_once(forum, f"tag {name}", f"has no tag named {name!r}: create it, or change discord.forum_tags")
        wanted = tags.found.get(status)
        if wanted is None:
            return False
        async with self._lock(thread.id):
            current = await self._fresh(thread) if refresh else thread
            new = retag(current.applied_tags, status, tags)
            if new is None:
                return wanted.id in {tag.id for tag in current.applied_tags}
            if not current.permissions_for(current.guild.me).manage_threads:
                self._say_once(forum, "permission", "won't take tags: the bot needs Manage Threads there")
                return False
            try:
                await current.edit(applied_tags=new, reason=f"coursebot: {status.value}")
            except discord.Forbidden:
                self._say_once(forum, "permission", "refused a tag edit: the bot needs Manage Threads there")
                return False
            except discord.HTTPException as exc:
                log.warning("could not tag forum post %s: %s", thread.id, exc)
                return False
        return True

    async def note_staff(self, thread: discord.Thread, why: str) -> None:
        """A short note with the post's link in the staff channel (once per post; no pings)."""
        channel_id = self.bot.config.staff_channel_id
        if not channel_id or thread.id in self._noted:
            return
        self._noted.add(thread.id)
        text = f"{why}: **{_format.thread_name(thread.name)}** {post_url(thread)}"
        view = discord.ui.View(timeout=None)
        view.add_item(SaveFaqButton(thread.id))
        try:
            channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                log.warning("the staff channel %s is not a text channel", channel_id)
                return
            await channel.send(_format.message_text(text), view=view, allowed_mentions=NONE)
        except discord.HTTPException:
            log.exception("could not post to the staff channel %s", channel_id)

    async def _fresh(self, thread: discord.Thread) -> discord.Thread:
        """The post as Discord has it now (tags may have changed since the cached copy)."""
        try:
            fetched = await self.bot.fetch_channel(thread.id)
        except discord.HTTPException:
            return thread
        return fetched if isinstance(fetched, discord.Thread) else thread

    def _lock(self, post_id: int) -> asyncio.Lock:
        if len(self._locks) > LOCKS_KEPT:
            self._locks = {k: v for k, v in self._locks.items() if v.locked()}
        return self._locks.setdefault(post_id, asyncio.Lock())

    def _say_once(self, forum: discord.ForumChannel, what: str, text: str) -> None:
        if (forum.id, what) not in self._said:
            self._said.add((forum.id, what))
            log.warning("forum #%s (%s) %s", forum.name, forum.id, text)


async def setup(bot: CourseBot) -> None:
    await bot.add_cog(Forum(bot))
