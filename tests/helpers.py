"""What several test modules share: paths, fixed moments, and fakes around the real classes.

Fixtures live in conftest.py (pytest finds them by name); plain values and functions that
tests import live here, so no test imports a conftest module.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

import discord
import pytest
import simcord

from bot.cli import main
from bot.discord.client import CourseBot
from bot.serving.feedback import FeedbackStore
from bot.serving.live import LiveCourse
from bot.settings import DiscordSettings, Settings

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
CONFIG = ROOT / "config.yaml"
SPRING2024 = ROOT / "tests" / "fixtures" / "spring2024"
# The project's shared/ folder stands beside the checkout (as in CI); a checkout elsewhere,
# such as a git worktree, names it with COURSEBOT_SHARED.
SHARED = Path(os.environ.get("COURSEBOT_SHARED") or ROOT.parent / "shared")
SEED = SHARED / "seed"
DEV_SET = SHARED / "eval" / "fall2020_dev.yaml"

NOW = dt.datetime.fromisoformat("2020-10-19T09:00-05:00")  # Monday of week 6; Homework 2 is due tomorrow


def at(text: str) -> dt.datetime:
    """An aware moment from ISO 8601 text, e.g. at("2020-10-19T09:00-05:00")."""
    return dt.datetime.fromisoformat(text)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``coursebot ARGV`` in-process: (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- Damage that hangs or eats memory: a FIFO blocks its reader, /dev/zero never ends ---

T = TypeVar("T")
BLOCK_TIMEOUT_S = 60.0  # far more than any of these calls takes; a blocked reader never returns


def without_blocking(call: Callable[[], T], fifo: Path, timeout_s: float = BLOCK_TIMEOUT_S) -> T:
    """``call()``'s result, or a test failure if it blocked on ``fifo`` (the reader is then released)."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # re-raised in the test's own thread
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():  # a writer end that opens and closes gives the stuck reader its end of file
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout_s)
        pytest.fail(f"blocked on the FIFO {fifo.name} for more than {timeout_s:.0f} s")
    [result] = outcome
    if isinstance(result, BaseException):
        raise result
    return cast(T, result)


MEMORY_CAP_PREAMBLE = """
import re, resource
from pathlib import Path
vm_mb = int(re.search(r"VmSize:\\s+(\\d+)", Path("/proc/self/status").read_text())[1]) // 1024
cap = (vm_mb + {extra_mb}) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
"""


def run_memory_capped(setup: str, code: str, extra_mb: int = 1024, timeout_s: float = 120) -> str:
    """Run ``setup`` then ``code`` in a child Python whose address space may grow only ``extra_mb`` past
    what ``setup`` left (reading /dev/zero whole then dies with MemoryError instead of eating the machine);
    its stdout if it exits 0, else a test failure with its stderr's last lines."""
    script = setup + MEMORY_CAP_PREAMBLE.format(extra_mb=extra_mb) + code
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout_s,
                          cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"})
    if done.returncode != 0:
        pytest.fail("the capped child failed:\n" + "\n".join(done.stderr.strip().splitlines()[-6:]))
    return done.stdout


# --- A tiny course written to disk, for the checker and the commands that read a directory ---

TINY_COURSE = """\
code: CS 1
title: Tiny
term: Fall 2020
institution: Somewhere University
timezone: America/Chicago
description: A tiny course.
meetings:
  - days: [Tue, Thu]
    start: "16:20"
    end: "17:40"
    location: Room 1
"""
TINY_CALENDAR = """\
sessions:
  - date: 2020-09-15
    week: 1
    topic: Start
  - date: 2020-09-17
    week: 1
    topic: More
    due:
      - name: Homework 1
        kind: homework
        points: 10
  - date: 2020-09-22
    week: 2
    topic: End
"""


def course_dir(tmp_path: Path, course: str = TINY_COURSE, calendar: str = TINY_CALENDAR, **files: str) -> Path:
    """tmp_path/knowledge with course.yaml, calendar.yaml and any other file given (dedented)."""
    directory = tmp_path / "knowledge"
    directory.mkdir(exist_ok=True)
    (directory / "course.yaml").write_text(course)
    (directory / "calendar.yaml").write_text(calendar)
    for name, text in files.items():
        (directory / f"{name}.yaml").write_text(textwrap.dedent(text))
    return directory


# --- Discord: a world of guild, channels and members around a real CourseBot (simcord) ---

class Clock:
    """Injected monotonic time for the rate limiter (seconds)."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


@dataclass
class World:
    env: simcord.Env
    bot: CourseBot
    guild: simcord.GuildHandle
    channel: simcord.ChannelHandle
    staff_channel: simcord.ChannelHandle
    qa_channel: simcord.ChannelHandle
    staff_role: simcord.RoleHandle
    student: simcord.MemberActor
    teacher: simcord.MemberActor


Scenario = Callable[[World], Awaitable[None]]


def make_bot(live: LiveCourse, store: FeedbackStore, clock: Clock, **overrides) -> CourseBot:
    config = DiscordSettings(**{"database": store.path, **overrides})
    settings = Settings(discord=config)
    return CourseBot(live, settings, store=store, clock=lambda: NOW, monotonic=clock)


def fresh_bot(w: World) -> CourseBot:
    """A second bot process on the same course, database and settings (for restarts)."""
    bot = CourseBot(w.bot.live_course, w.bot.settings, store=w.bot.store, clock=w.bot.clock,
                    monotonic=w.bot.monotonic)
    w.bot = bot
    return bot


def build_world(env: simcord.Env, bot: CourseBot) -> World:
    guild = env.create_guild()
    staff_role = guild.create_role("Staff")
    return World(
        env=env, bot=bot, guild=guild,
        channel=guild.create_text_channel("general"),
        staff_channel=guild.create_text_channel("staff"),
        qa_channel=guild.create_text_channel("questions"),
        staff_role=staff_role,
        student=guild.add_member(env.create_user("student")),
        teacher=guild.add_member(env.create_user("teacher"), roles=[staff_role]),
    )


def embed_text(embed: discord.Embed) -> str:
    parts = [embed.title or "", embed.description or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)
