"""Plan every reminder of a synthetic 500-deliverable term; print the time and peak memory.

    .venv/bin/python bench/reminders_bench.py [--deliverables 500] [--repeat 7]

Times ``schedule`` (all reminders of the term) and a full ``simulate`` of the term (every
message a continuously running bot would post), median of several runs, plus the peak
memory tracemalloc sees while planning. Numbers only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
import tracemalloc

from bot.knowledge import Course
from bot.knowledge.schema import CourseInfo, Deliverable, Session
from bot.reminders import planner
from bot.settings.reminders import ReminderSettings

KINDS = ("homework", "reading", "project", "quiz", "exam")
TIMES = (None, "09:00", "12:00", "17:00", "23:59")


def synthetic_term(count: int) -> Course:
    """``count`` deliverables over a 15-week term in America/Chicago (crossing the DST change)."""
    start = dt.date(2020, 9, 1)
    by_day: dict[dt.date, list[Deliverable]] = {}
    for n in range(count):
        day = start + dt.timedelta(days=(n * 11) % 105)  # 11 is coprime to 105: every day is used
        fields = {"name": f"Task {n}", "kind": KINDS[n % 5], "id": f"task-{n}", "points": n % 20}
        if TIMES[n % 5]:
            fields["due_time"] = TIMES[n % 5]
        by_day.setdefault(day, []).append(Deliverable.model_validate(fields))
    sessions = tuple(Session(date=day, topic="Class", due=tuple(items)) for day, items in sorted(by_day.items()))
    info = CourseInfo(code="BENCH 500", title="Benchmark", term="Fall 2020", institution="Bench U",
                      timezone="America/Chicago", description="Synthetic term.")
    return Course(info, sessions, (), (), (), (), source_hash="bench")


def measure(label: str, fn, repeat: int) -> None:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<44} median {statistics.median(times):8.2f} ms  (min {min(times):.2f}, max {max(times):.2f}, "
          f"n={repeat})  peak {peak / 1024:8.1f} KiB  -> {len(result)} items")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliverables", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    settings = ReminderSettings(quiet_hours={"start": "22:00", "end": "08:00"})
    course = synthetic_term(args.deliverables)
    print(f"{len(course.deliverables)} deliverables x {len(settings.leads)} leads, quiet hours 22:00-08:00")
    measure("schedule (every reminder of the term)", lambda: planner.schedule(course, settings), args.repeat)
    items = planner.schedule(course, settings)
    first, last = items[0].fire_at, items[-1].due_at
    measure("simulate (every message of the term)", lambda: planner.simulate(items, first, last,
                                                                          settings.quiet_hours), args.repeat)
    now = items[len(items) // 2].fire_at
    measure("due_posts at one tick, empty ledger", lambda: planner.due_posts(items, set(), now,
                                                                          settings.quiet_hours), args.repeat)
    tick_cost(course, settings, args.repeat)


class MemoryChannel:
    """The network boundary for the bench: messages kept in a list."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, content: str, nonce: str) -> int:
        self.sent.append(content)
        return len(self.sent)

    async def recent(self, after):
        return
        yield


def tick_cost(course: Course, settings: ReminderSettings, repeat: int) -> None:
    """One sender tick mid-term on a real SQLite ledger holding the first half of the term."""
    import asyncio
    import tempfile
    from pathlib import Path

    from bot.reminders.ledger import Ledger
    from bot.reminders.sender import Sender

    items = planner.schedule(course, settings)
    middle = items[len(items) // 2].fire_at
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger.open(Path(tmp) / "bench.sqlite3")
        sender = Sender(ledger, MemoryChannel(), settings, monotonic=None)  # simulated time jumps
        for moment, _ in planner.simulate(items, items[0].fire_at, middle, settings.quiet_hours):
            asyncio.run(sender.tick(course, moment))  # fill the ledger as a running bot would
        rows = len(ledger.settled())
        measure(f"sender tick mid-term ({rows} reminders settled)",
                lambda: [asyncio.run(sender.tick(course, middle))], repeat)
        ledger.close()


if __name__ == "__main__":
    main()
