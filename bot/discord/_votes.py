"""👍/👎 under each answer: persistent buttons whose custom_id carries the question id.

Dynamic items survive restarts: after a restart discord.py rebuilds the button from its
custom_id, so a vote on last week's answer still lands in the feedback store. Each vote is
then dispatched as ``on_answer_vote(interaction, question_id, up)`` for cogs that care.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import discord

from bot.discord.client import CourseBot
from bot.serving.feedback import FeedbackUnavailable

log = logging.getLogger(__name__)
TEMPLATE = r"coursebot:vote:(?P<question>\d+):(?P<up>[01])"


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=TEMPLATE):
    def __init__(self, question_id: int, up: bool):
        super().__init__(discord.ui.Button(
            emoji="👍" if up else "👎",
            style=discord.ButtonStyle.secondary,
            custom_id=f"coursebot:vote:{question_id}:{int(up)}",
        ))
        self.question_id = question_id
        self.up = up

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> VoteButton:
        return cls(int(match["question"]), match["up"] == "1")

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = interaction.client
        assert isinstance(bot, CourseBot)  # the one client that registers this item (answering.setup)
        try:
            stored = await asyncio.to_thread(bot.store.record_vote, self.question_id, interaction.user.id, self.up,
                                             bot.now())
        except FeedbackUnavailable:  # the store logged it once, in one line
            stored = None
        except Exception:
            log.exception("could not record a vote on question %d", self.question_id)
            stored = None
        if stored is None:
            text = "Sorry, I couldn't record that vote just now."
        elif not stored:
            text = "I no longer have that question on record, sorry."
        elif self.up:
            text = "Thanks — glad it helped."
        else:
            text = "Thanks — noted. The course staff review answers that missed."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        # Other features react to votes without this button knowing them (the forum retags on 👎).
        bot.dispatch("answer_vote", interaction, self.question_id, self.up)


def vote_view(question_id: int | None) -> discord.ui.View:
    """👍/👎 for a stored question; no buttons when it could not be stored (nothing to vote on)."""
    view = discord.ui.View(timeout=None)
    if question_id is not None:
        view.add_item(VoteButton(question_id, True))
        view.add_item(VoteButton(question_id, False))
    return view
