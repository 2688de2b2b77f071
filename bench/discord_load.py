"""Load run: questions arriving at once through the Discord layer (offline fake network).

A real CourseBot on the real engine runs against simcord (discord.py's own parsers and
CommandTree; only the HTTP client and gateway are simulated). Three cases, one bot each,
in the same run:

- mentions: 200 messages mentioning the bot, each from a different student, all put on
  the gateway before the bot answers any; the bot replies to each.
- slash: 100 ``/ask`` interactions at once (INTERACTION_CREATE); the bot defers, then
  sends the answer as the follow-up.
- forum: 100 forum posts opened at once (THREAD_CREATE, then the starter message); the
  bot answers each in its own post and tags it.

Printed per case: how many were answered (for the forum: in their own post), latency from
arrival to the answer's HTTP call completing (p50/p99/max), and the longest event-loop
stall while answering, measured by a task that sleeps 10 ms and records the overshoot.
Target: no stall over 100 ms.

    HF_HUB_OFFLINE=1 python bench/discord_load.py [--questions 200] [--slash 100] [--posts 100]
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
from typing import Any

import simcord
from simcord.interactions import base_payload

from bot.discord.client import CourseBot
from bot.serving.feedback import FeedbackStore
from bot.serving.live import LiveCourse
from bot.settings import load_settings

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
            "worst_at_ms": [((a - injected) * 1000, o * 1000)
                            for a, o in zip(monitor.at, monitor.overshoots, strict=True) if o > 0.03]}


def _bot(live: LiveCourse, store: FeedbackStore, **discord: object) -> CourseBot:
    config = live.settings.discord.model_copy(update={"rate_limit_questions": 100, "sync_commands": True, **discord})
    return CourseBot(live, live.settings.model_copy(update={"discord": config}), store=store, clock=lambda: NOW)


def _result(started: dict[Any, float], done: dict[Any, float], wall: float, monitor: StallMonitor,
            injected: float, answered: int | None = None) -> dict:
    latencies = sorted((done[m] - t) * 1000 for m, t in started.items() if m in done)
    return {"asked": len(started), "answered": len(latencies) if answered is None else answered, "wall_s": wall,
            "latencies": latencies, "stall_ms": monitor.worst * 1000, "ticks": len(monitor.overshoots),
            "stalls_over_50ms": sum(o > 0.05 for o in monitor.overshoots),
            "worst_at_ms": [((a - injected) * 1000, o * 1000)
                            for a, o in zip(monitor.at, monitor.overshoots, strict=True) if o > 0.03]}


async def slash_load(live: LiveCourse, store: FeedbackStore, count: int) -> dict:
    """``count`` /ask interactions put on the gateway at once; done when each follow-up returns."""
    bot = _bot(live, store)
    async with simcord.run(bot, settle_timeout=600) as env:
        guild = env.create_guild()
        channel = guild.create_text_channel("general")
        students = [guild.add_member(env.create_user(f"student{i}")) for i in range(count)]
        await env.settle()
        command = env.backend.find_command("ask", guild.id, type=1)
        assert command is not None, "/ask was not synced"
        adapter = env._webhook_adapter
        done: dict[str, float] = {}
        started: dict[str, float] = {}
        original = adapter.request

        async def request(route, session, **kwargs):  # the follow-up carrying the answer
            result = await original(route, session, **kwargs)
            if route.method == "POST" and (kwargs.get("payload") or {}).get("embeds"):
                done[route.webhook_token] = time.perf_counter()
            return result

        adapter.request = request
        monitor = StallMonitor()
        monitor.start()
        wall = time.perf_counter()
        for i, student in enumerate(students):
            data = {"id": command["id"], "name": "ask", "type": 1,
                    "options": [{"name": "question", "type": 3, "value": QUESTIONS[i % len(QUESTIONS)]}]}
            record, payload = base_payload(env.backend, type=2, channel_id=channel.id, guild_id=guild.id,
                                           user_id=student.id, data=data)
            started[record.token] = time.perf_counter()
            env.backend.emit("INTERACTION_CREATE", payload)
            await asyncio.sleep(0)
        injected = time.perf_counter()
        await env.settle(timeout=600)
        wall = time.perf_counter() - wall
        monitor.stop()
    return _result(started, done, wall, monitor, injected)


def _open_post(env: simcord.Env, forum_id: int, author_id: int, title: str, body: str) -> int:
    """A student's forum post as Discord delivers it: THREAD_CREATE, then the starter (its id is the thread's)."""
    backend = env.backend
    starter = backend.prepare_message(forum_id, author_id, body)
    thread = backend.create_thread(forum_id, title, author_id, message_id=starter.id, broadcast=False)
    starter.channel_id = thread.id
    backend.commit_message(starter, broadcast=False)
    backend.announce_thread_create(thread)
    backend.announce_message_create(starter)
    return thread.id


async def forum_load(live: LiveCourse, store: FeedbackStore, count: int) -> dict:
    """``count`` forum posts opened at once; done when each post's answer returns, in that post."""
    bot = _bot(live, store, forum_channel_id=1)  # loads the forum cog; pointed at the real forum below
    async with simcord.run(bot, settle_timeout=600) as env:
        guild = env.create_guild()
        forum = guild.create_forum_channel("q-and-a")
        env.backend.channels[forum.id].available_tags = [
            {"id": str(env.backend.snowflake()), "name": name, "moderated": False, "emoji_id": None,
             "emoji_name": None} for name in ("answered by bot", "needs staff", "resolved")]
        env.backend.announce_channel_update(forum.id)
        bot.settings = bot.settings.model_copy(update={"discord": bot.config.model_copy(
            update={"forum_channel_id": forum.id})})
        students = [guild.add_member(env.create_user(f"student{i}")) for i in range(count)]
        await env.settle()
        done: dict[int, float] = {}
        original = bot.http.request

        async def request(route, **kwargs):  # the answer posted in a thread
            result = await original(route, **kwargs)
            if route.method == "POST" and (kwargs.get("json") or {}).get("embeds") and route.channel_id:
                done.setdefault(int(route.channel_id), time.perf_counter())
            return result

        bot.http.request = request  # type: ignore[method-assign]
        monitor = StallMonitor()
        monitor.start()
        started: dict[int, float] = {}
        wall = time.perf_counter()
        for i, student in enumerate(students):
            question = QUESTIONS[i % len(QUESTIONS)]
            opened = time.perf_counter()
            started[_open_post(env, forum.id, student.id, question.capitalize(), f"{question} (post {i})")] = opened
            await asyncio.sleep(0)
        injected = time.perf_counter()
        await env.settle(timeout=600)
        wall = time.perf_counter() - wall
        monitor.stop()
        me = env.backend.bot_user.id
        in_own_post = sum(any(m.author_id == me and m.embeds for m in env.backend.messages[post].values())
                          for post in started)
    return _result(started, done, wall, monitor, injected, answered=in_own_post)


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
    parser.add_argument("--questions", type=int, default=200, help="mentions at once (0 = skip)")
    parser.add_argument("--slash", type=int, default=100, help="/ask interactions at once (0 = skip)")
    parser.add_argument("--posts", type=int, default=100, help="forum posts opened at once (0 = skip)")
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
        results: dict[str, dict] = {}
        cases = (("mentions", args.questions, lambda store: load(live, store, args.questions, args.burst)),
                 ("slash /ask", args.slash, lambda store: slash_load(live, store, args.slash)),
                 ("forum posts", args.posts, lambda store: forum_load(live, store, args.posts)))
        for name, count, case in cases:
            if count > 0:
                results[name] = asyncio.run(case(FeedbackStore(Path(tmp) / f"{name.split()[0]}.sqlite3")))
    print(f"encoder: {live.embedder.kind}")
    for name, result in results.items():
        print(f"== {name}" + (" (answered = in their own post)" if name.startswith("forum") else ""))
        print(report(result))
        if result["worst_at_ms"]:
            print("ticks over 30 ms (ms after the last question arrived, overshoot ms):",
                  ", ".join(f"{at:.0f}:{over:.0f}" for at, over in result["worst_at_ms"]))
    return 0 if all(r["answered"] == r["asked"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
