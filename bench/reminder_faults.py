"""Reminder faults, tried many ways: attempts / handled / defects per family, with time and peak memory.

    .venv/bin/python bench/reminder_faults.py [--family NAME ...]

Families: busy channel, clock skew, moves and undo, id renames, DST, lock bypass. Each
attempt builds a real SQLite ledger, the real sender and the fake Discord channel of the
tests (tests/reminders/fake_channel.py: other users' messages, Discord's own clock,
paged history), drives it with an injected clock and checks the outcome; a defect is a
duplicate, a missed or early reminder, a wrong "Due in", a stalled tick or a second
sender let in. ``run()`` returns the rows so another bench (bench/robustness.py) can
include them; ``main()`` prints them.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reminders"))

from fake_channel import FileChannel  # noqa: E402
from reminder_kit import at, course, item  # noqa: E402

from bot.reminders import planner  # noqa: E402
from bot.reminders.ledger import Ledger, LedgerLocked  # noqa: E402
from bot.reminders.sender import Sender  # noqa: E402
from bot.settings.reminders import ReminderSettings  # noqa: E402

DEFAULT = ReminderSettings()
SCRATCH = "/dev/shm" if Path("/dev/shm").is_dir() else None  # the ledger fsyncs every commit: keep it in memory
MINUTE, HOUR = dt.timedelta(minutes=1), dt.timedelta(hours=1)
ONE = course(item("2020-10-20", "Homework 2", "hw2"))
TWO = course(item("2020-10-20", "Homework 2", "hw2"), item("2020-10-22", "Homework 3", "hw3"))


@dataclass
class Row:
    family: str
    attempts: int = 0
    handled: int = 0
    defects: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peak_kib: float = 0.0

    def line(self) -> str:
        return (f"{self.family:<16} attempts {self.attempts:4d}  handled {self.handled:4d}  "
                f"defects {len(self.defects):3d}  {self.seconds:7.2f} s  peak {self.peak_kib:8.0f} KiB")


class World:
    """One bot on its own files: ledger, channel, sender, a simulated clock and its monotonic twin."""

    def __init__(self, tmp: Path, start: dt.datetime, settings: ReminderSettings = DEFAULT, **channel):
        self.tmp, self.settings, self.now = tmp, settings, start.astimezone(dt.UTC)  # steps are real time
        self.jump = dt.timedelta(0)
        self.zone: dt.tzinfo | None = None  # the zone ``now`` is handed over in (the cog: UTC)
        self.errors: list[Exception] = []
        self.channel = FileChannel(tmp / "channel.jsonl", lambda: self.now, **channel)
        self.ledger = Ledger.open(tmp / "ledger.sqlite3")
        self.sender = self._sender()

    def _sender(self) -> Sender:
        return Sender(self.ledger, self.channel, self.settings, monotonic=lambda: self.now.timestamp())

    def restart(self, settings: ReminderSettings | None = None) -> None:
        self.settings = settings or self.settings
        self.ledger.close()
        self.ledger = Ledger.open(self.tmp / "ledger.sqlite3")
        self.sender = self._sender()

    def run(self, c, until: dt.datetime, step: dt.timedelta = HOUR) -> None:
        while self.now < until:
            try:
                now = self.now + self.jump
                asyncio.run(self.sender.tick(c, now.astimezone(self.zone) if self.zone else now))
            except Exception as exc:  # the cog logs a failed tick and goes on
                self.errors.append(exc)
            self.now += step

    def crash_after_post(self, c, before_send: Callable[[], None] = lambda: None) -> None:
        """Record the due intent, mark the attempt, post it, and die before the confirmation."""
        self.sender.plan(c, self.now)
        for post in self.ledger.ready(self.now):
            self.ledger.attempt(post.nonce)
            before_send()
            asyncio.run(self.channel.send(post.content, post.nonce))
        self.restart()

    def texts(self) -> list[str]:
        return [m["content"] for m in self.channel.messages()]

    def close(self) -> None:
        self.ledger.close()


def attempt(row: Row, label: str, check: Callable[[Path], str | None]) -> None:
    """One try in a fresh folder; ``check`` returns None when handled, else what went wrong."""
    row.attempts += 1
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        try:
            problem = check(Path(tmp))
        except Exception as exc:  # a traceback is a defect too
            problem = f"{type(exc).__name__}: {exc}"
    if problem is None:
        row.handled += 1
    else:
        row.defects.append(f"{label}: {problem}")


def busy_channel(row: Row) -> None:
    for before in (0, 50, 99, 101, 150, 300):
        for after in (0, 101, 250):
            for ahead in (dt.timedelta(0), dt.timedelta(minutes=-30)):
                def check(tmp: Path, before=before, after=after, ahead=ahead) -> str | None:
                    w = World(tmp, at("2020-10-19T23:59-05:00"), bot_clock_ahead=ahead, seed=before + after)
                    w.crash_after_post(ONE, lambda: w.channel.chatter(before, dt.timedelta(minutes=3)))
                    w.channel.chatter(after)
                    w.run(ONE, at("2020-10-20T00:30-05:00"), MINUTE)
                    w.close()
                    return None if len(w.texts()) == 1 else f"{len(w.texts())} copies"
                attempt(row, f"{before} before, {after} after, bot {ahead} ahead", check)


SKEWS = [dt.timedelta(minutes=m) for m in (-180, -30, -10, 0, 5, 10, 30, 120, 23 * 60)]
JUMPS = [dt.timedelta(days=3), dt.timedelta(days=-2), dt.timedelta(hours=6), dt.timedelta(hours=1)]


def clock_skew(row: Row) -> None:
    for ahead in SKEWS:
        for earlier in (False, True):
            for how in ("crash", "timeout"):
                def check(tmp: Path, ahead=ahead, earlier=earlier, how=how) -> str | None:
                    w = World(tmp, at("2020-10-13T12:00-05:00"), bot_clock_ahead=ahead)
                    if earlier:
                        w.run(ONE, at("2020-10-19T23:00-05:00"))
                    w.now = at("2020-10-19T23:59-05:00")
                    if how == "crash":
                        w.crash_after_post(ONE)
                    else:
                        w.channel.failures = ["after"]
                    w.run(ONE, at("2020-10-20T00:30-05:00"), MINUTE)
                    w.close()
                    ones = sum("Due in 1 day" in t for t in w.texts())
                    return None if ones == 1 else f"{ones} copies of the 1-day reminder"
                attempt(row, f"bot {ahead} ahead, {'after a post' if earlier else 'first post'}, {how}", check)
    for jump in JUMPS:
        for moment in ("2020-10-17T22:30-05:00", "2020-10-19T22:30-05:00", "2020-10-20T20:30-05:00"):
            def lie(tmp: Path, jump=jump, moment=moment) -> str | None:
                w = World(tmp, at("2020-10-13T12:30-05:00"))
                w.run(ONE, at(moment), MINUTE * 30)
                asyncio.run(w.sender.tick(ONE, w.now + jump))  # the wall clock lies for one tick
                w.run(ONE, at("2020-10-21T00:00-05:00"), MINUTE * 30)
                w.close()
                heads = [t.split(":")[0] for t in w.texts()]
                want = ["⏰ **Due in 7 days**", "⏰ **Due in 1 day**", "⏰ **Due in 2 hours**"]
                return None if heads == want else f"posted {heads}"
            attempt(row, f"wall clock {jump} off for one tick at {moment[5:16]}", lie)


def _edits(base: dt.date, moves: list[int]) -> list:
    return [course(item((base + dt.timedelta(days=d)).isoformat(), "Homework 2", "hw2"),
                   item("2020-10-22", "Homework 3", "hw3")) for d in moves]


def moves_and_undo(row: Row) -> None:
    """Homework 2 moved (by days) and moved back, from three starting points: every change announced
    once, no failed tick, Homework 3's three reminders and Homework 2's last 2-hour one all posted."""
    base = dt.date(2020, 10, 20)
    sequences = [[0, 1, 0], [0, 2, 0], [0, 1, 2, 0], [0, 1, 0, 1, 0], [0, -1, 0], [0, 3, 1, 0]]
    for moves in sequences:
        for start in ("2020-10-01T00:00-05:00", "2020-10-13T12:00-05:00", "2020-10-18T12:00-05:00"):
            def check(tmp: Path, moves=moves, start=start) -> str | None:
                w = World(tmp, at(start))
                *edits, last = _edits(base, moves)
                for version in edits:
                    w.run(version, w.now + HOUR * 2)
                w.run(last, at("2020-10-23T00:00-05:00"))
                w.close()
                texts = w.texts()
                notices = sum("moved from" in t for t in texts)
                changes = sum(a != b for a, b in zip(moves, moves[1:], strict=False))
                hw3 = sum("Homework 3" in t and t.startswith("⏰") for t in texts)
                hw2_last = any("Homework 2" in t and "Due in 2 hours" in t for t in texts)
                if w.errors:
                    return f"{len(w.errors)} failed ticks ({type(w.errors[0]).__name__})"
                if notices != changes:
                    return f"{notices} notices for {changes} changes"
                return None if hw3 == 3 and hw2_last else f"Homework 3: {hw3} reminders, Homework 2's last: {hw2_last}"
            attempt(row, f"moves {moves} from {start[:10]}", check)
    for other in ("17:00", "09:00", "23:00"):
        def due_time(tmp: Path, other=other) -> str | None:
            w = World(tmp, at("2020-10-13T12:00-05:00"))
            w.run(TWO, at("2020-10-14T01:00-05:00"))
            w.restart(ReminderSettings(default_due_time=other))
            w.run(TWO, w.now + HOUR)
            w.restart(DEFAULT)
            w.run(TWO, at("2020-10-21T00:00-05:00"))
            w.close()
            on_time = [m for m in w.channel.messages() if "Homework 3" in m["content"] and "7 days" in m["content"]]
            if w.errors:
                return f"{len(w.errors)} failed ticks"
            return None if len(on_time) == 1 else "Homework 3's 7-day reminder missing or late"
        attempt(row, f"default_due_time 23:59 -> {other} -> 23:59", due_time)


def id_renames(row: Row) -> None:
    for new_id in ("homework-2", "hw-2", "hw2-final", "assignment-2"):
        for back in (False, True):
            for restart in (False, True):
                def check(tmp: Path, new_id=new_id, back=back, restart=restart) -> str | None:
                    w = World(tmp, at("2020-10-13T12:00-05:00"))
                    w.run(TWO, at("2020-10-14T01:00-05:00"))
                    renamed = course(item("2020-10-20", "Homework 2", new_id), item("2020-10-22", "Homework 3", "hw3"))
                    w.run(renamed, at("2020-10-15T00:00-05:00"))
                    if restart:
                        w.restart()
                    w.run(TWO if back else renamed, at("2020-10-21T00:00-05:00"))
                    w.close()
                    hw2 = [t.split(":")[0] for t in w.texts() if "Homework 2" in t]
                    want = ["⏰ **Due in 7 days**", "⏰ **Due in 1 day**", "⏰ **Due in 2 hours**"]
                    return None if hw2 == want else f"Homework 2 got {hw2}"
                attempt(row, f"hw2 -> {new_id}{' and back' if back else ''}{' across a restart' if restart else ''}",
                        check)


DST_DAYS = {"America/Chicago": ("2021-03-14", "2020-11-01"), "Europe/Berlin": ("2021-03-28", "2020-10-25"),
            "America/New_York": ("2021-03-14", "2020-11-01")}


def dst(row: Row) -> None:
    """Around each DST change, hour and day leads: "Due in" states the real time left, posted on time,
    with ``now`` in UTC (as the cog gives it) and in the course's zone (as the CLI does)."""
    for tz, days in DST_DAYS.items():
        for day in days:
            for due_time in ("01:30", "03:30", "04:00", "05:00", "23:59"):
                for lead in ("1h", "2h", "3h", "1d"):
                    for zone in ("UTC", "course"):
                        attempt(row, f"{tz} {day} due {due_time}, lead {lead}, now in {zone}",
                                lambda tmp, a=(tz, day, due_time, lead, zone): _dst_case(tmp, *a))


def _dst_case(tmp: Path, tz: str, day: str, due_time: str, lead: str, zone: str) -> str | None:
    c = course(item(day, "Early quiz", "eq", "quiz", due_time=due_time), tz=tz)
    settings = ReminderSettings(leads=[lead])
    (planned,) = planner.schedule(c, settings)
    due = planned.due_at.astimezone(dt.UTC)
    w = World(tmp, planned.fire_at - HOUR, settings)
    w.zone = c.tz if zone == "course" else None
    w.run(c, due, MINUTE * 15)
    w.close()
    (message,) = w.channel.messages()
    posted = dt.datetime.fromisoformat(message["created_at"])
    if posted != planned.fire_at.astimezone(dt.UTC):  # (an ambiguous time never equals one in another zone)
        return f"posted at {posted}, planned for {planned.fire_at.astimezone(dt.UTC)}"
    head = message["content"].split("**")[1]
    minutes = round((due - posted).total_seconds() / 60)
    right = {"1h": f"Due in {minutes} minutes", "1d": "Due in 1 day"}.get(lead, f"Due in {round(minutes / 60)} hours")
    return None if head == right else f"{head!r}, {due - posted} left"


def lock_bypass(row: Row) -> None:
    ways: dict[str, Callable[[Path], Path]] = {
        "same path": lambda tmp: tmp / "ledger.sqlite3",
        "relative path": lambda tmp: Path(os.path.relpath(tmp / "ledger.sqlite3")),
        "path through ..": lambda tmp: tmp / "sub" / ".." / "ledger.sqlite3",
        "symlink": lambda tmp: _link(tmp, "link.sqlite3", os.symlink),
        "symlinked folder": lambda tmp: _link(tmp, "folder", os.symlink, folder=True) / "ledger.sqlite3",
        "hard link": lambda tmp: _link(tmp, "hard.sqlite3", os.link),
    }
    for name, way in ways.items():
        for delete_lock in (False, True):
            def check(tmp: Path, way=way, delete_lock=delete_lock) -> str | None:
                (tmp / "sub").mkdir()
                holder = Ledger.open(tmp / "ledger.sqlite3")
                if delete_lock:
                    (tmp / "ledger.sqlite3.lock").unlink()
                try:
                    Ledger.open(way(tmp)).close()
                except LedgerLocked as exc:
                    return None if len(str(exc).splitlines()) == 1 else "refused, but not in one line"
                finally:
                    holder.close()
                return "a second sender was let in"
            attempt(row, f"{name}{', lock file deleted' if delete_lock else ''}", check)


def _link(tmp: Path, name: str, make: Callable[[str, str], None], folder: bool = False) -> Path:
    make(str(tmp) if folder else str(tmp / "ledger.sqlite3"), str(tmp / name))
    return tmp / name


FAMILIES: dict[str, Callable[[Row], None]] = {
    "busy channel": busy_channel, "clock skew": clock_skew, "moves and undo": moves_and_undo,
    "id renames": id_renames, "DST": dst, "lock bypass": lock_bypass,
}


def run(names: list[str] | None = None) -> Iterator[Row]:
    """Run each family (all by default), yielding its row as soon as it is done."""
    import logging
    logging.disable(logging.ERROR)  # the faults are on purpose; the rows say what went wrong
    try:
        for name in names or list(FAMILIES):
            row = Row(name)
            tracemalloc.start()
            started = time.perf_counter()
            FAMILIES[name](row)
            row.seconds = time.perf_counter() - started
            row.peak_kib = tracemalloc.get_traced_memory()[1] / 1024
            tracemalloc.stop()
            yield row
    finally:
        logging.disable(logging.NOTSET)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", action="append", choices=list(FAMILIES), help="run only these")
    args = parser.parse_args()
    defects = 0
    for row in run(args.family):
        print(row.line(), flush=True)
        for defect in row.defects:
            print(f"    defect: {defect.splitlines()[0]}")
        defects += len(row.defects)
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
