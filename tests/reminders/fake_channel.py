"""A fake Discord channel at the network boundary, kept in a JSON-lines file.

Messages survive a SIGKILL of the process that posted them. The channel is as unkind as
Discord can be:

- **Busy.** Other users post too (``chatter()``, or ``busy`` bursts right before a send), so
  the bot's own messages are a few among many and a lookup has to page.
- **Its own clock.** Message ids are snowflakes of *Discord's* time, which is the bot's clock
  minus ``bot_clock_ahead`` (a bot whose clock is 10 minutes fast has ``+10 min``).
- **Faults.** ``failures`` scripts the next sends ("before": refused, nothing posted; "after":
  posted, then the reply times out; "timeout": times out without posting). ``fault_rate``
  adds seeded random ones, and makes history pages fail (transient 5xx and timeouts) too.

Like Discord's ``enforce_nonce``, a send repeating a nonce within ``nonce_window`` returns
the existing message instead of posting again (a window of zero turns that off, so the
ledger alone must prevent duplicates). ``recent()`` reports nonces only if ``report_nonce``
(Discord's history usually does not), so reconciliation by content is exercised too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from collections.abc import Callable
from pathlib import Path

from bot.reminders.sender import Seen

BOT = "bot"
DISCORD_EPOCH_MS = 1420070400000
PAGE = 100  # Discord returns at most 100 messages a request


class SendFailed(Exception):
    """Stands in for discord.Forbidden / a 5xx HTTPException."""


def parse(text: str) -> list[dict]:
    """The messages in the file's text. A line torn by a SIGKILL mid-write is a message never posted."""
    messages = []
    for line in text.splitlines():
        try:
            messages.append(json.loads(line))
        except ValueError:
            continue  # blank, or torn (a prefix of a JSON object never parses)
    return messages


def read_messages(path: Path) -> list[dict]:
    return parse(path.read_text()) if path.exists() else []


def snowflake_at(moment: dt.datetime, sequence: int = 0) -> int:
    return ((int(moment.timestamp() * 1000) - DISCORD_EPOCH_MS) << 22) | (sequence & 0x3FFFFF)


def time_of(snowflake: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, dt.UTC)


class FileChannel:
    def __init__(self, path: Path, clock: Callable[[], dt.datetime],
                 nonce_window: dt.timedelta = dt.timedelta(0), report_nonce: bool = False,
                 bot_clock_ahead: dt.timedelta = dt.timedelta(0), fault_rate: float = 0.0,
                 busy: float = 0.0, seed: int = 0):
        self.path = Path(path)
        self.clock = clock
        self.nonce_window = nonce_window
        self.report_nonce = report_nonce
        self.bot_clock_ahead = bot_clock_ahead
        self.fault_rate = fault_rate
        self.busy = busy  # chance of a burst of other users' messages just before each send
        self.rng = random.Random(seed)
        self.failures: list[str] = []  # "before" | "after" | "timeout", consumed one per send
        self.requests = 0  # history pages fetched

    def discord_now(self) -> dt.datetime:
        return self.clock() - self.bot_clock_ahead

    def all_messages(self) -> list[dict]:
        return read_messages(self.path)

    def messages(self) -> list[dict]:
        """The bot's own messages, oldest first."""
        return [m for m in self.all_messages() if m["author"] == BOT]

    def chatter(self, count: int, within: dt.timedelta = dt.timedelta(minutes=1)) -> None:
        """``count`` messages by other users over the last ``within`` of Discord's time (after the newest one)."""
        now, last = self.discord_now(), self._last_id()
        floor = max(now - within, time_of(last)) if last else now - within
        span = max((now - floor).total_seconds(), 0.001)
        moments = sorted(floor + dt.timedelta(seconds=self.rng.uniform(0, span)) for _ in range(count))
        lines = []
        for moment in moments:
            lines.append(self._record(f"user-{self.rng.randrange(40)}", f"question {self.rng.randrange(10**6)}",
                                      None, moment, last))
            last = lines[-1]["id"]
        self._append("".join("\n" + json.dumps(line) for line in lines))

    def _record(self, author: str, content: str, nonce: str | None, moment: dt.datetime, last: int) -> dict:
        ident = max(snowflake_at(moment, self.rng.randrange(1 << 12)), last + 1)  # ids only grow, like Discord's
        return {"id": ident, "author": author, "content": content, "nonce": nonce,
                "created_at": time_of(ident).isoformat()}

    def _last_id(self) -> int:
        """The newest id in the file (another process or the test may have appended since): its last line."""
        try:
            with self.path.open("rb") as f:
                f.seek(max(0, f.seek(0, os.SEEK_END) - 8192))
                tail = parse(f.read().decode(errors="replace"))
        except FileNotFoundError:
            return 0
        return tail[-1]["id"] if tail else 0

    def _fault(self) -> bool:
        return self.fault_rate > 0 and self.rng.random() < self.fault_rate

    async def send(self, content: str, nonce: str) -> int:
        mode = self.failures.pop(0) if self.failures else None
        if mode is None and self._fault():
            mode = self.rng.choice(["before", "after", "timeout"])
        if mode == "before":
            raise SendFailed("503 Service Unavailable")
        if mode == "timeout":
            raise TimeoutError("no reply from Discord")
        if self.busy and self.rng.random() < self.busy:
            self.chatter(self.rng.randrange(20, 160), dt.timedelta(minutes=self.rng.choice([1, 5, 30])))
        now = self.discord_now()
        for message in self.messages() if self.nonce_window else ():
            age = now - dt.datetime.fromisoformat(message["created_at"])
            if message["nonce"] == nonce and age < self.nonce_window:
                return message["id"]
        record = self._record(BOT, content, nonce, now, self._last_id())
        self._append("\n" + json.dumps(record))
        if mode == "after":
            raise SendFailed("timed out waiting for Discord's reply")
        return record["id"]

    def _append(self, line: str) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            # Each record starts with a newline, so one torn by a kill mid-write ends at the next.
            os.write(fd, line.encode())
        finally:
            os.close(fd)

    def _seen(self, message: dict) -> Seen:
        return Seen(message["id"], message["content"], message["nonce"] if self.report_nonce else None,
                    dt.datetime.fromisoformat(message["created_at"]))

    def _page(self, messages: list[dict], before: int | None) -> list[dict]:
        """One GET /messages?before= request: the 100 newest below ``before``, newest first; may fail."""
        self.requests += 1
        if self._fault():
            raise self.rng.choice([SendFailed("502 Bad Gateway"), TimeoutError("history timed out")])
        return [m for m in messages if before is None or m["id"] < before][-PAGE:][::-1]

    async def recent(self, after: int):
        """discord.py's ``history(limit=None, after=after, oldest_first=False)``, the bot's messages kept:
        pages of 100 back from the newest, until a page reaches ``after``."""
        everything, cursor = self.all_messages(), None
        while True:
            page = self._page(everything, cursor)
            newer = [m for m in page if m["id"] > after]
            for message in newer:
                if message["author"] == BOT:
                    yield self._seen(message)
            if len(newer) < PAGE:
                return
            cursor = page[-1]["id"]
