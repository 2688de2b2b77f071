"""The sender as a separate process, for the crash test: a scripted clock, a file-backed channel.

``python crash_worker.py`` runs as a *zygote*: it imports the reminder code and builds the
scripted term once, then for each JSON command on stdin forks a worker process that runs
the sender from where the last one stopped to the end of the term (whose calendar changes
on the way: one deliverable moves, one is removed). The worker dies by
SIGKILL either when the zygote's seeded timer fires or at a seeded durable step (right
after the ledger records an intent or an attempt, after the channel stores a message,
after a post is confirmed). Forking keeps each restart to milliseconds; every worker is
still a real process killed by a real SIGKILL, with only files surviving it.

The channel is a busy one (fake_channel.py): other users post in bursts before sends,
its clock is Discord's, not the bot's (``ahead_minutes``), and sends and history pages
fail or time out at ``fault_rate``. Now and then (``jump_chance``) the worker's wall clock
lies for one tick (days fast or slow) while its monotonic clock does not. ``mutant``
swaps the lookup for the one before issue 11 item 10, to show that this test catches it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import random
import select
import signal
import sys
import time
import traceback
from pathlib import Path
from types import MethodType

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_channel import BOT, FileChannel  # noqa: E402
from reminder_kit import at, course, item  # noqa: E402

from bot.reminders import planner  # noqa: E402
from bot.reminders import sender as sender_module  # noqa: E402
from bot.reminders.ledger import Ledger  # noqa: E402
from bot.reminders.sender import Sender  # noqa: E402
from bot.settings.reminders import ReminderSettings  # noqa: E402

START = at("2020-10-01T00:00-05:00")
END = at("2020-10-15T00:00-05:00")
SETTINGS = ReminderSettings()
TERM = course(
    item("2020-10-05", "Homework 1", "hw1"), item("2020-10-05", "Readings 1", "r1", "reading", 9),
    item("2020-10-07", "Quiz 1", "q1", "quiz", 5, due_time="09:00"), item("2020-10-09", "Homework 2", "hw2"),
    item("2020-10-11", "Proposal", "prop", "project", 5, due_time="17:00"),
    item("2020-10-13", "Homework 3", "hw3"), item("2020-10-13", "Readings 2", "r2", "reading", 9),
    item("2020-10-14", "Quiz 2", "q2", "quiz", 5, due_time="12:00"),
)

# On Oct 6 the instructor edits the calendar: Homework 2 moves from Fri Oct 9 to Sat Oct 10
# and Quiz 2 is removed. Workers read whichever course is live at each tick.
MOVE_AT = at("2020-10-06T00:00-05:00")
MOVED = course(
    item("2020-10-05", "Homework 1", "hw1"), item("2020-10-05", "Readings 1", "r1", "reading", 9),
    item("2020-10-07", "Quiz 1", "q1", "quiz", 5, due_time="09:00"), item("2020-10-10", "Homework 2", "hw2"),
    item("2020-10-11", "Proposal", "prop", "project", 5, due_time="17:00"),
    item("2020-10-13", "Homework 3", "hw3"), item("2020-10-13", "Readings 2", "r2", "reading", 9),
)


def course_at(now: dt.datetime):
    return TERM if now < MOVE_AT else MOVED


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class Crashes:
    """Seeded crash points at durable steps."""

    def __init__(self, seed: int, chance: float):
        self.rng, self.chance = random.Random(seed), chance

    def maybe(self) -> None:
        if self.rng.random() < self.chance:
            die()


class DyingLedger(Ledger):
    crashes: Crashes

    def record(self, *args, **kwargs):
        nonce = super().record(*args, **kwargs)
        self.crashes.maybe()
        return nonce

    def attempt(self, nonce):
        super().attempt(nonce)
        self.crashes.maybe()

    def sent(self, *args, **kwargs):
        super().sent(*args, **kwargs)
        self.crashes.maybe()


class DyingChannel(FileChannel):
    crashes: Crashes

    def _append(self, line: str) -> None:
        super()._append(line)
        if f'"author": "{BOT}"' in line:
            self.crashes.maybe()  # posted, but the reply never reaches the ledger


RETRIES = [dt.timedelta(minutes=m) for m in (1, 10)]  # the real loop ticks every 30 s
LIES = [dt.timedelta(days=3), dt.timedelta(days=-2), dt.timedelta(hours=6)]


def ticks() -> list[dt.datetime]:
    """The scripted clock: every firing moment of the term and a few ticks after it, plus one every 12 hours."""
    fires = {p.fire_at for c in (TERM, MOVED) for p in planner.schedule(c, SETTINGS)}
    retries = {fire + delay for fire in fires for delay in RETRIES}
    regular = {START + k * dt.timedelta(hours=12) for k in range((END - START) // dt.timedelta(hours=12))}
    return sorted(t for t in fires | retries | regular if START <= t < END)


TICKS = ticks()


def run(directory: Path, cmd: dict) -> None:
    asyncio.run(_run(directory, cmd))


async def _run(directory: Path, cmd: dict) -> None:
    """Resume the scripted clock where the last worker stopped (minus a seeded downtime), run to the end."""
    clock_file = directory / "clock.txt"
    index = int(clock_file.read_text()) + cmd["downtime_ticks"] if clock_file.exists() else 0
    _save(directory, index)  # the scripted clock never runs backwards, even if this worker dies at once
    crashes = Crashes(cmd["seed"], cmd["chance"])
    lies = random.Random(cmd["seed"] + 1)
    clock = {"now": START}
    ledger = DyingLedger.open(directory / "ledger.sqlite3")
    ledger.crashes = crashes
    channel = DyingChannel(directory / "channel.jsonl", lambda: clock["now"],
                           bot_clock_ahead=dt.timedelta(minutes=cmd.get("ahead_minutes", 0)),
                           fault_rate=cmd.get("fault_rate", 0.0), busy=cmd.get("busy", 0.0), seed=cmd["seed"] + 2)
    channel.crashes = crashes
    sender = Sender(ledger, channel, SETTINGS, monotonic=lambda: clock["now"].timestamp())  # scripted time
    if cmd.get("mutant"):
        sender._found = MethodType(mutant_lookup(cmd["mutant"]), sender)
    for position in range(index, len(TICKS)):
        clock["now"] = TICKS[position]
        if position > index and lies.random() < cmd.get("jump_chance", 0.0):
            lie = await sender.tick(course_at(clock["now"]), clock["now"] + lies.choice(LIES))
            assert lie.clock_refused and not (lie.recorded or lie.posted or lie.dropped), lie
        report = await sender.tick(course_at(clock["now"]), clock["now"])
        # Nothing stalls: after a tick in which no post failed, no post due for a try is left.
        stalled = 0 if report.failed else len(ledger.ready(clock["now"]))
        with (directory / "ticks.txt").open("a") as log:  # a completed tick, for the "none missing" check
            log.write(f"{clock['now'].isoformat()} {os.getpid()} stalled={stalled} {report}\n")
        _save(directory, position + 1)
    ledger.close()


def mutant_lookup(kind: str):
    """The lookup as it was before issue 11 item 10 ("old"), or with one half of that fix removed:
    "clock" looks from the intent time minus 5 minutes on the bot's clock, "limit" reads one
    page of 100 messages (Discord's ``after=``: the oldest ones) instead of every page."""

    async def found(self, channel, post, now, report) -> bool:
        created = dt.datetime.fromtimestamp(post.created_at, dt.UTC)
        after = (sender_module.snowflake(created - dt.timedelta(minutes=5)) if kind in ("old", "clock")
                 else sender_module.lookup_floor(post))
        page = [m for m in channel.all_messages() if m["id"] > after][:100 if kind in ("old", "limit") else None]
        claimed = self.ledger.claimed(post.target)
        for message in page:
            if message["author"] == BOT and message["id"] not in claimed and message["content"] == post.content:
                self.ledger.sent(post.nonce, message["id"], now, self._copies(post))
                return True
        return False

    return found


def _save(directory: Path, index: int) -> None:
    (directory / "clock.tmp").write_text(str(index))
    os.replace(directory / "clock.tmp", directory / "clock.txt")


def serve() -> None:
    """Zygote loop: one JSON command per line in, one JSON result per line out."""
    logging.disable(logging.ERROR)  # the faults are expected: keep the sender's warnings off the test output
    for line in sys.stdin:
        cmd = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                run(Path(cmd["dir"]), cmd)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        killed = _wait(pid, cmd.get("kill_after"))
        _, status = os.waitpid(pid, 0)
        result = {"exit": os.waitstatus_to_exitcode(status), "timer_kill": killed}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


def _wait(pid: int, kill_after: float | None) -> bool:
    """Wait for the worker; SIGKILL it if it outlives ``kill_after`` seconds."""
    if kill_after is None:
        return False
    deadline = time.monotonic() + kill_after
    fd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            return True
        return False
    finally:
        os.close(fd)


if __name__ == "__main__":
    serve()
