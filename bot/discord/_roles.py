"""Who counts as staff: one role id, in the course's server (no discord import).

``discord.staff_role`` may be a role id or a role name. A name is resolved once, at
start-up, to the id of the one role of that name in the course's server; from then on
only ids are compared. Comparing names let a role called "Staff" in any other server the
bot is in (or a role *named* with the digits of a quoted id) unlock the staff tools.
Guilds, roles and members are duck-typed (``id``, ``name``, ``roles``, ``guild``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class StaffRoleError(ValueError):
    """The configured staff role cannot be pinned to one role; the message is one line."""


class _Role(Protocol):
    id: int
    name: str


class _Guild(Protocol):
    id: int
    name: str

    @property
    def roles(self) -> Sequence[_Role]: ...


def course_guild(guilds: Sequence[_Guild], guild_id: int | None, wanted: str) -> _Guild | None:
    """The course's server: ``discord.guild_id`` if set, else the only server the bot is in."""
    if guild_id is not None:
        return next((g for g in guilds if g.id == guild_id), None)
    if len(guilds) > 1:
        raise StaffRoleError(f"discord.staff_role {wanted!r} is a role name and the bot is in {len(guilds)} servers: "
                             "set discord.guild_id to the course's server, or give staff_role as a role id")
    return guilds[0] if guilds else None


def resolve_staff_role(wanted: int | str, guilds: Sequence[_Guild], guild_id: int | None) -> int | None:
    """The staff role's id; None while the course's server has no role of that name (or is not joined)."""
    if isinstance(wanted, int):
        return wanted
    guild = course_guild(guilds, guild_id, wanted)
    if guild is None:
        return None
    matches = [role for role in guild.roles if role.name == wanted]
    if len(matches) > 1:
        ids = ", ".join(str(role.id) for role in matches)
        raise StaffRoleError(f"discord.staff_role: {len(matches)} roles are named {wanted!r} in {guild.name}: "
                             f"rename all but one, or set staff_role to one of their ids ({ids})")
    return matches[0].id if matches else None


def holds_role(member: Any, role_id: int | None, guild_id: int | None = None) -> bool:
    """True when ``member`` (a guild member, not a DM user) has the role, in ``guild_id`` if given."""
    roles = getattr(member, "roles", None)
    if roles is None or role_id is None:  # a DM: no roles, so no staff tools
        return False
    if guild_id is not None and getattr(getattr(member, "guild", None), "id", None) != guild_id:
        return False
    return any(role.id == role_id for role in roles)
