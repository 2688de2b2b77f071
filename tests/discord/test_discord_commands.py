"""Guard: every slash command is described, named to Discord's rules, and no two names clash."""

from __future__ import annotations

import re

import discord
from discord import app_commands

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")
EXPECTED = {"ask", "due", "schedule", "readings", "officehours", "next", "reload", "unanswered", "stats", "resolved"}
MENUS = {"Save as FAQ"}  # message context menus (with a forum configured)


def _walk(commands):
    for command in commands:
        yield command
        if isinstance(command, app_commands.Group):
            yield from _walk(command.commands)


def test_every_command_is_described_and_names_do_not_clash(drive):
    async def scenario(w):
        menus = w.bot.tree.get_commands(type=discord.AppCommandType.message)
        assert {m.name for m in menus} == MENUS and all(len(m.name) <= 32 for m in menus)
        commands = list(_walk(w.bot.tree.get_commands(type=discord.AppCommandType.chat_input)))
        names = [c.qualified_name for c in commands]
        assert len(names) == len(set(names)), names
        assert set(names) >= EXPECTED
        for command in commands:
            assert NAME.match(command.name), command.name
            assert command.description and command.description != "…", command.name
            assert len(command.description) <= 100, command.name
            for param in getattr(command, "parameters", []):
                assert param.description and param.description != "…", f"{command.name} {param.name}"
        assert set(w.student.available_commands(w.channel)) >= EXPECTED  # synced, visible

    drive(scenario, forum_channel_id=1)  # every feature loaded
