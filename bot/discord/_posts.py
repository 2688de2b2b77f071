"""Forum posts as questions: which threads are posts, what a post asks, and its first message.

What discord.py 2.x (2.7.1 here) gives when a student opens a post, read in its source:

- ``on_thread_create(thread)`` fires for THREAD_CREATE with ``newly_created``
  (``ConnectionState.parse_thread_create`` in discord/state.py; needs ``Intents.guilds``).
  The Thread has the title (``name``), ``owner_id``, ``parent_id`` and ``applied_tags``;
  the starter message is not part of the event.
- The starter message comes as its own MESSAGE_CREATE, with the thread's id as its id.
  ``Thread.starter_message`` only reads the cache (discord/threads.py), so it is None
  until that event arrived, which may be after THREAD_CREATE. Hence: cache, else wait
  for it briefly, else ``thread.fetch_message(thread.id)``.
- Its ``content`` is empty without the privileged Message Content intent: a post's first
  message is neither a DM nor a mention of the bot, the only messages whose content a bot
  gets without it (``Intents.message_content`` in discord/flags.py). Being told about the
  thread grants nothing, so a configured forum asks for the intent (``intents_for``).
"""

from __future__ import annotations

import re

import discord

from bot.format import fit

STARTER_WAIT_S = 5.0
QUESTION_CHARS = 500  # as /ask


def is_post(channel: object, forum_ids: frozenset[int]) -> bool:
    """A thread in one of the configured forums."""
    return isinstance(channel, discord.Thread) and channel.parent_id in forum_ids


def is_starter(message: discord.Message, forum_ids: frozenset[int]) -> bool:
    """A post's first message (it shares the thread's id), in one of our forums or a thread not cached yet."""
    parent = getattr(message.channel, "parent_id", None)
    return bool(forum_ids) and message.id == message.channel.id and (parent is None or parent in forum_ids)


def post_question(title: str, body: str, bot_id: int | None = None) -> str:
    """What a post asks: its title and first message read together (a mention of the bot dropped)."""
    if bot_id is not None:
        body = re.sub(rf"<@!?{bot_id}>", " ", body)
    title, body = " ".join(title.split()), " ".join(body.split())
    if body.casefold().startswith(title.casefold().rstrip("?")):
        title = ""  # the message repeats the title
    return fit("\n".join(part for part in (title, body) if part), QUESTION_CHARS)


async def starter_message(client: discord.Client, thread: discord.Thread,
                          wait_s: float = STARTER_WAIT_S) -> discord.Message | None:
    """The post's first message: from the cache, else as it arrives, else fetched."""
    if thread.starter_message is not None:
        return thread.starter_message
    if wait_s > 0:
        try:
            return await client.wait_for("message", check=lambda m: m.id == thread.id, timeout=wait_s)
        except TimeoutError:
            pass
    try:
        return await thread.fetch_message(thread.id)
    except discord.HTTPException:
        return None


async def post_text(client: discord.Client, thread: discord.Thread, wait_s: float = STARTER_WAIT_S) -> str:
    starter = await starter_message(client, thread, wait_s)
    return post_question(thread.name, starter.content if starter else "", getattr(client.user, "id", None))


def post_url(thread: discord.Thread) -> str:
    return f"https://discord.com/channels/{thread.guild.id}/{thread.id}"
