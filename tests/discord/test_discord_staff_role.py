"""Who is staff: role ids in the course's server only; a configured name is resolved once at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from helpers import fresh_bot

from bot.discord._roles import StaffRoleError, resolve_staff_role
from bot.discord.client import NOT_STAFF
from bot.settings import load_settings
from bot.settings.discord import DiscordSettings

STAFF_COMMANDS = ("unanswered", "stats", "reload")


def _configure(w, **changes) -> None:
    w.bot.settings = w.bot.settings.model_copy(update={"discord": w.bot.config.model_copy(update=changes)})


async def _refused_everywhere(actor, channel) -> None:
    for name in STAFF_COMMANDS:
        result = await actor.slash(channel, name)
        assert result.ephemeral and result.response.content == NOT_STAFF, name


def test_a_role_named_staff_in_another_server_grants_nothing(drive):
    """Issue 11 (2): with ``staff_role: Staff`` anyone holding a "Staff" role anywhere got the staff tools."""

    async def scenario(w):
        _configure(w, staff_role="Staff")
        await w.env.restart_bot(fresh_bot(w))  # start-up: the name is resolved in the course's server
        other = w.env.create_guild()
        lookalike = other.create_role("Staff")
        intruder = other.add_member(w.env.create_user("intruder"), roles=[lookalike])
        await _refused_everywhere(intruder, other.create_text_channel("lobby"))
        assert w.bot.staff_role_id == w.staff_role.id
        allowed = await w.teacher.slash(w.channel, "stats")
        assert "question(s)" in allowed.response.content
        w.env.errors  # noqa: B018 — the refusals went through the error handler

    drive(scenario)


def test_a_quoted_role_id_is_an_id_not_a_name(drive):
    """Issue 11 (2): ``staff_role: "123"`` stayed a string: real staff were refused, a role *named* 123 got in."""

    async def scenario(w):
        _configure(w, staff_role=DiscordSettings(staff_role=str(w.staff_role.id)).staff_role)
        impostor_role = w.guild.create_role(str(w.staff_role.id))
        impostor = w.guild.add_member(w.env.create_user("impostor"), roles=[impostor_role])
        await _refused_everywhere(impostor, w.channel)
        allowed = await w.teacher.slash(w.channel, "stats")
        assert "question(s)" in allowed.response.content
        w.env.errors  # noqa: B018

    drive(scenario)


def test_a_quoted_id_in_config_yaml_loads_as_a_number(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text('discord:\n  staff_role: "812345678901234567"\n')
    assert load_settings(config).discord.staff_role == 812345678901234567
    assert DiscordSettings(staff_role="Course Staff").staff_role == "Course Staff"


def test_two_roles_with_the_staff_name_stop_start_up_with_one_line(drive):
    async def scenario(w):
        w.guild.create_role("Staff")  # a second one, beside the fixture's
        _configure(w, staff_role="Staff")
        bot = fresh_bot(w)
        await w.env.restart_bot(bot)
        assert bot.startup_error is not None and "\n" not in bot.startup_error
        assert "2 roles are named 'Staff'" in bot.startup_error
        assert bot.is_closed()

    drive(scenario)


@dataclass
class FakeRole:
    id: int
    name: str


@dataclass
class FakeGuild:
    id: int
    name: str
    roles: list[FakeRole] = field(default_factory=list)


def test_resolving_a_name_looks_in_the_course_server_only():
    course = FakeGuild(1, "CS 101", [FakeRole(11, "Staff"), FakeRole(12, "Students")])
    other = FakeGuild(2, "Elsewhere", [FakeRole(21, "Staff")])
    assert resolve_staff_role(12, [course, other], None) == 12  # an id needs no lookup
    assert resolve_staff_role("Staff", [course, other], 1) == 11
    assert resolve_staff_role("Staff", [course], None) == 11  # one server: that is the course's
    assert resolve_staff_role("Staff", [other], 1) is None  # not in the course's server (yet)
    assert resolve_staff_role("TAs", [course], 1) is None
    with pytest.raises(StaffRoleError, match="set discord.guild_id"):
        resolve_staff_role("Staff", [course, other], None)
    course.roles.append(FakeRole(13, "Staff"))
    with pytest.raises(StaffRoleError, match="2 roles are named 'Staff' in CS 101"):
        resolve_staff_role("Staff", [course], 1)
