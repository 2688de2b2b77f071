"""The ``discord:`` section of config.yaml: channels, staff role, rate limit, feedback database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

Snowflake = Annotated[int, Field(gt=0)]


class ForumTags(BaseModel):
    """Names of tags the staff created in the forum (matched ignoring case); null = never apply that one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answered: str | None = "answered by bot"
    needs_staff: str | None = "needs staff"
    resolved: str | None = "resolved"


class DiscordSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Slash commands are synced to this guild at start-up (instant); None = globally.
    guild_id: Snowflake | None = None
    sync_commands: bool = True
    # Every message in this channel is answered (needs the Message Content intent); None = off.
    qa_channel_id: Snowflake | None = None
    # Forum channels whose new posts are answered in the post (needs the Message Content intent):
    # a list, or forum_channel_id for one.
    forum_channel_ids: tuple[Snowflake, ...] = ()
    forum_channel_id: Snowflake | None = None
    forum_tags: ForumTags = ForumTags()
    # Who may use /reload, /unanswered, /stats: a role id or a role name (resolved to an id at start-up).
    staff_role: Snowflake | str = "Staff"
    # Where declined questions are reported (with a link), if notify_staff_on_decline.
    staff_channel_id: Snowflake | None = None
    notify_staff_on_decline: bool = False
    # Answer mentions / Q&A-channel messages in a new thread instead of inline.
    reply_in_thread: bool = False
    # Per-user rate limit: at most rate_limit_questions questions per rate_limit_seconds.
    rate_limit_questions: int = Field(default=5, ge=1, le=100)
    rate_limit_seconds: float = Field(default=60.0, gt=0, le=86400)
    # SQLite file for asked questions and 👍/👎 votes (read by `coursebot unanswered`).
    database: Path = Path("data/feedback.sqlite3")

    @property
    def forum_ids(self) -> frozenset[int]:
        """Every configured forum, from either key."""
        one = (self.forum_channel_id,) if self.forum_channel_id else ()
        return frozenset((*self.forum_channel_ids, *one))

    @field_validator("staff_role", mode="before")
    @classmethod
    def _quoted_id_is_an_id(cls, value: object) -> object:
        """``staff_role: "812…"`` is an id written in quotes, not a role named with digits."""
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        return value
