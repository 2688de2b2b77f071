"""``coursebot run``: start the Discord bot (the token comes from DISCORD_TOKEN or .env)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from bot.commands._common import CliError, knowledge_of, settings_of

NO_TOKEN = ("no Discord token: set DISCORD_TOKEN in the environment or in a .env file "
            "(see docs/discord.md); `coursebot chat` works without Discord.")


def run_command(args: argparse.Namespace) -> int:
    from bot.discord._token import find_token

    token = find_token(Path(args.env_file))
    if not token:
        raise CliError(NO_TOKEN)
    settings = settings_of(args)  # validated before anything slow starts
    knowledge = knowledge_of(args)
    _setup_logging(args.verbose)
    import discord
    from discord.ext import commands

    from bot.discord.client import CourseBot
    from bot.instructor.watch import watching
    from bot.serving.live import LiveCourse

    store = _feedback_store(settings.discord.database)  # before the slow start, so a bad path fails fast
    live = LiveCourse.start(knowledge, settings)
    bot = CourseBot(live, settings, store=store)
    try:
        with watching(live):  # edits to knowledge/ are picked up without /reload
            bot.run(token, log_handler=None)
    except commands.ExtensionFailed as exc:  # e.g. a feature's settings checked at load time
        raise CliError(f"{exc.name}: {exc.original}") from exc
    except discord.LoginFailure as exc:
        raise CliError(f"Discord refused the token ({exc}); check DISCORD_TOKEN") from exc
    except discord.PrivilegedIntentsRequired as exc:
        raise CliError("discord.qa_channel_id and forum channels need the Message Content intent: enable it for "
                       "the bot in the Developer Portal (Bot → Privileged Gateway Intents), or unset them") from exc
    if bot.startup_error:  # e.g. the staff role name matches two roles
        raise CliError(bot.startup_error)
    return 0


def _feedback_store(path: Path):
    import sqlite3

    from bot.serving.feedback import FeedbackStore, FeedbackUnavailable

    try:
        return FeedbackStore(path)
    except FeedbackUnavailable as exc:  # not a file at all (a directory, a FIFO, a symlink loop), says which
        raise CliError(f"{exc} (discord.database)") from exc
    except (sqlite3.Error, OSError) as exc:  # a damaged file is set aside by the store itself
        raise CliError(f"the feedback database {path} can't be opened: {exc} (discord.database)") from exc


def _setup_logging(verbose: bool) -> None:
    logging.getLogger().setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.getLogger("discord.http").setLevel(logging.WARNING)
    logging.getLogger("discord.gateway").setLevel(logging.WARNING)


def _run_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env-file", default=".env", help="file to read DISCORD_TOKEN from when the "
                        "environment lacks it (default: .env)")
    parser.add_argument("--verbose", action="store_true", help="debug logging")


COMMANDS = {
    "run": (run_command, "Start the Discord bot (needs DISCORD_TOKEN; see docs/discord.md).",
            "DISCORD_TOKEN=... coursebot run --config config.yaml", _run_args),
}
