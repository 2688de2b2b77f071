"""Load run: 200 questions arriving at once through the Discord layer (offline fake network).

A real CourseBot on the real engine runs against simcord (discord.py's own parsers and
CommandTree; only the HTTP client and gateway are simulated). Every question is a
message mentioning the bot from a different student, all put on the gateway before the
bot answers any; the bot replies to each. Printed: how many were answered, latency from
arrival to the reply's HTTP call completing (p50/p99/max), and the longest event-loop
stall while answering, measured by a task that sleeps 10 ms and records the overshoot.
Target: no stall over 100 ms.

    HF_HUB_OFFLINE=1 python bench/discord_load.py [--questions 200] [--index-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import simcord

from bot.config import load_settings
from bot.discord.client import CourseBot
from bot.feedback import FeedbackStore
from bot.live import LiveCourse

NOW = dt.datetime.fromisoformat("2020-10-19T09:00-05:00")
TICK_S = 0.010
QUESTIONS = (
    "when is homework 2 due?", "what is the late policy?", "when are office hours?",
    "what are we doing in week 6?", "what's the next deadline?", "where do I find the readings on optimization?",
    "is there a final exam?", "can I use my own laptop?", "when is the project proposal due?",
    "what is the capital of mongolia?", "how is the course graded?", "what should I read first?",
)


class StallMonitor:
    """Sleeps TICK_S again and again; the overshoot is how long the loop was blocked."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.overshoots: list[float] = []
        self.at: list[float] = []
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(TICK_S)
            over = time.perf_counter() - start - TICK_S
            self.overshoots.append(over)
            self.at.append(start)
            self.worst = max(self.worst, over)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task:
            self._task.cancel()


def time_replies(bot: CourseBot, done: dict[int, float]) -> None:
    """Note when each reply's HTTP call returns (wrapping the fake network boundary)."""
    original = bot.http.request

    async def request(route, **kwargs):
        result = await original(route, **kwargs)
        reference = (kwargs.get("json") or {}).get("message_reference")
        if reference and (kwargs.get("json") or {}).get("embeds"):
            done[int(reference["message_id"])] = time.perf_counter()
        return result

    bot.http.request = request  # type: ignore[method-assign]


async def load(live: LiveCourse, store: FeedbackStore, count: int, burst: bool = False) -> dict:
    settings = live.settings
    config = settings.discord.model_copy(update={"rate_limit_questions": 100, "sync_commands": True})
    bot = CourseBot(live, settings.model_copy(update={"discord": config}), store=store, clock=lambda: NOW)
    async with simcord.run(bot, settle_timeout=600) as env:
        guild = env.create_guild()
        channel = guild.create_text_channel("general")
        students = [guild.add_member(env.create_user(f"student{i}")) for i in range(count)]
        await env.settle()
        done: dict[int, float] = {}
        time_replies(bot, done)
        monitor = StallMonitor()
        monitor.start()
        started: dict[int, float] = {}
        wall = time.perf_counter()
        for i, student in enumerate(students):
            text = f"<@{bot.user.id}> {QUESTIONS[i % len(QUESTIONS)]}"
            message = env.backend.create_message(channel.id, student.id, text)
            started[message.id] = time.perf_counter()
            if not burst:
                await asyncio.sleep(0)  # a gateway delivers frames one at a time, the loop runs between them
        injected = time.perf_counter()
        await env.settle(timeout=600)
        wall = time.perf_counter() - wall
        monitor.stop()
    latencies = sorted((done[m] - t) * 1000 for m, t in started.items() if m in done)
    return {"asked": count, "answered": len(latencies), "wall_s": wall, "latencies": latencies,
            "stall_ms": monitor.worst * 1000, "ticks": len(monitor.overshoots),
            "stalls_over_50ms": sum(o > 0.05 for o in monitor.overshoots),
            "worst_at_ms": [( (a - injected) * 1000, o * 1000) for a, o in zip(monitor.at, monitor.overshoots, strict=True) if o > 0.03]}


def report(result: dict) -> str:
    lat = result["latencies"]
    p = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else lat * 99
    lines = [
        f"questions: {result['asked']}, answered: {result['answered']}, wall: {result['wall_s']:.2f} s "
        f"({result['answered'] / result['wall_s']:.0f} answers/s)",
        f"latency ms: p50 {p[49]:.0f}, p99 {p[98]:.0f}, max {lat[-1]:.0f}",
        f"event loop: longest stall {result['stall_ms']:.1f} ms over {result['ticks']} ticks of 10 ms; "
        f"{result['stalls_over_50ms']} stall(s) over 50 ms; target < 100 ms: "
        f"{'met' if result['stall_ms'] < 100 else 'MISSED'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--knowledge", type=Path, default=Path("knowledge"))
    parser.add_argument("--burst", action="store_true",
                        help="queue all events in one loop iteration (harsher than a real gateway)")
    parser.add_argument("--index-dir", type=Path, default=None, help="default: a temporary directory")
    parser.add_argument("--config", type=Path, default=Path("config.yaml"), help="e.g. one with engine.encoder: torch")
    args = parser.parse_args(argv)
    settings = load_settings(args.config)
    if hasattr(settings, "reminders"):  # no reminder loop in a load run
        settings = settings.model_copy(update={"reminders": settings.reminders.model_copy(update={"enabled": False})})
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index_dir or Path(tmp) / "index"
        live = LiveCourse.start(args.knowledge, settings, index_dir=index_dir)
        live.engine.answer("warm up", NOW)
        result = asyncio.run(load(live, FeedbackStore(Path(tmp) / "feedback.sqlite3"), args.questions, args.burst))
    print(f"encoder: {live.embedder.kind}")
    print(report(result))
    if result["worst_at_ms"]:
        print("ticks over 30 ms (ms after the last question arrived, overshoot ms):",
              ", ".join(f"{at:.0f}:{over:.0f}" for at, over in result["worst_at_ms"]))
    return 0 if result["answered"] == result["asked"] else 1


if __name__ == "__main__":
    sys.exit(main())
