"""The sender: plan, record the intent, post, confirm — against a small Channel protocol.

It knows nothing of discord.py: the cog hands it a ``Channel`` (and a way to open a DM
channel). Each tick:

1. notices for deliverables whose date moved or that were removed since the ledger last
   saw them (the old date's reminders simply no longer exist; leads of the new date
   already past are covered by the notice); deliverables seen for the first time are
   remembered silently, and a new id with the name and due moment of one that vanished
   is a rename (no notice, its reminders stay settled);
2. the reminders that are due (catch-up after downtime included) are recorded as
   intents in the ledger, each with its nonce, *before* anything is sent;
3. intents are posted in order. One that may already have been sent (a crash or an
   error after the send began) is first looked up in the channel, among *all* the bot's
   messages newer than the post's floor (the newest message confirmed to that target
   before its first attempt, or a day before the intent for a target's first post): no
   clock and no history limit decides whether it is found. A failed post is retried with
   exponential backoff and stays unconfirmed until it works.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Protocol

from bot.knowledge import Course
from bot.reminders import planner
from bot.reminders.ledger import CHANNEL, Ledger, LedgerLocked, Outgoing
from bot.reminders.planner import Planned
from bot.reminders.text import change_text, reminder_text
from bot.settings.reminders import ReminderSettings

log = logging.getLogger(__name__)
RESEND_SECONDS = 600  # a crash-orphaned reminder older than this is re-planned, not resent
DM_MAX_TRIES = 5  # a student who closed their DMs is not retried forever
FIRST_LOOKBACK = dt.timedelta(days=1)  # a target's first post, if unconfirmed, is looked for from a day earlier
DISCORD_EPOCH_MS = 1420070400000
CLOCK_TOLERANCE = dt.timedelta(minutes=5)  # the wall clock may drift this far from the monotonic one per tick
CLOCK_SETTLE = dt.timedelta(minutes=10)  # a wall clock that jumped and then holds steady this long is believed


def boot_clock() -> float:
    """Seconds since boot, suspended time included where the system says (Linux CLOCK_BOOTTIME)."""
    return time.clock_gettime(time.CLOCK_BOOTTIME) if hasattr(time, "CLOCK_BOOTTIME") else time.monotonic()


@dataclass(frozen=True)
class Seen:
    """A message the bot itself posted, as read back from the channel."""

    id: int
    content: str
    nonce: str | None
    created_at: dt.datetime


class Channel(Protocol):
    async def send(self, content: str, nonce: str) -> int:
        """Post (with Discord's enforce_nonce where available) and return the message id (a snowflake)."""

    def recent(self, after: int) -> AsyncGenerator[Seen, None]:
        """The bot's own messages with ids above ``after``, through every page of history, in any order."""


DmOpener = Callable[[int], Awaitable[Channel]]


@dataclass
class TickReport:
    recorded: int = 0
    posted: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)  # found already posted
    failed: int = 0
    dropped: int = 0
    superseded: int = 0
    locked_out: bool = False  # another process holds the ledger now: nothing was sent
    clock_refused: bool = False  # ``now`` disagreed with the monotonic clock: nothing was done


class Sender:
    def __init__(self, ledger: Ledger, channel: Channel, settings: ReminderSettings,
                 open_dm: DmOpener | None = None, monotonic: Callable[[], float] | None = boot_clock):
        """``monotonic``: seconds on a clock that never jumps, to check each tick's ``now`` against
        (the boot clock by default; None turns the check off, for simulations that jump time)."""
        self.ledger = ledger
        self.channel = channel
        self.settings = settings
        self.open_dm = open_dm
        self.clock_check = ClockCheck(monotonic) if monotonic else None
        self._plan: tuple[Course, tuple[Planned, ...]] | None = None
        self._failing: set[str] = set()  # what could not be recorded, so it is logged once
        self._locked_out = False

    def schedule(self, course: Course) -> tuple[Planned, ...]:
        """The term's reminders, recomputed only when a reload brings a new Course object."""
        if self._plan is None or self._plan[0] is not course:
            self._plan = (course, planner.schedule(course, self.settings))
        return self._plan[1]

    async def tick(self, course: Course, now: dt.datetime) -> TickReport:
        report = TickReport()
        try:
            self.ledger.renew()
            if self.clock_check and not self.clock_check.believe(now):
                report.clock_refused = True  # nothing planned, posted, dropped or withdrawn on that clock
                return report
            report.recorded = self.plan(course, now)
            await self.flush(now, report)
            if report.superseded:  # withdrawn orphans are planned afresh now, not a tick later
                report.recorded += self.plan(course, now)
                await self.flush(now, report)
        except LedgerLocked as exc:
            if not self._locked_out:
                log.error("%s", exc)
            self._locked_out = report.locked_out = True
        return report

    def plan(self, course: Course, now: dt.datetime) -> int:
        """Record intents for notices and due reminders; returns how many.

        Each notice and each post is recorded on its own: one that cannot be recorded is
        logged and skipped, so it never stalls the others.
        """
        items = self.schedule(course)
        count = 0
        known = self.ledger.known()
        for old, new in planner.renames(known, course, self.settings, now):
            log.info("deliverable %s is now called %s (same name and due moment): no notice", old, new)
            self._isolated(f"rename of {old}", self.ledger.rename, old, new)
            known = self.ledger.known()
        for change in planner.changes(known, course, self.settings, now):
            if not planner.notice_held(change, now, self.settings.quiet_hours):
                count += self._isolated(f"notice for {change.id}", self._record_change, change, items, now)
        fresh = {p.due.id: (p.due.name, p.due_at) for p in items
                 if p.due.id not in known and planner.utc(p.due_at) > planner.utc(now)}
        if fresh:
            self.ledger.remember(fresh)
        for post in planner.due_posts(items, self.ledger.settled(), now, self.settings.quiet_hours):
            what = f"reminder for {', '.join(item.due.id for item in post.items)}"
            count += self._isolated(what, self._record_post, post, course, now)
        return count

    def _isolated(self, what: str, record: Callable[..., None], *args: object) -> int:
        try:
            record(*args)
        except LedgerLocked:
            raise
        except Exception:
            if what not in self._failing:  # logged once, not every tick
                log.exception("could not record the %s; the other reminders go ahead", what)
            self._failing.add(what)
            return 0
        self._failing.discard(what)
        return 1

    def _record_post(self, post: planner.Post, course: Course, now: dt.datetime) -> None:
        content = reminder_text(post, course, self.settings, now)
        announced = {item.due.id: (item.due.name, item.due_at) for item in post.items}
        self.ledger.record(CHANNEL, "reminder", content, now, post.due_at,
                           keys=[p.key for p in post.covers], known=announced)

    def _record_change(self, change: planner.Change, items: tuple[Planned, ...], now: dt.datetime) -> None:
        log.info("deliverable %s: %s -> %s", change.id, change.old_due, change.new_due)
        if change.new_due is None:
            self.ledger.record(CHANNEL, "removed", change_text(change), now, change.old_due,
                               forget=[change.id])
            return
        # Leads of the new date already past are covered by the notice, except those settled
        # before (a move undone: the original date's reminders went out when it was first due).
        settled = self.ledger.settled()
        new_due, now_utc = planner.utc(change.new_due), planner.utc(now)
        passed = [p.key for p in items if p.due.id == change.id and planner.utc(p.due_at) == new_due
                  and planner.utc(p.fire_at) <= now_utc and p.key not in settled]
        self.ledger.record(CHANNEL, "moved", change_text(change), now, change.new_due, keys=passed,
                           known={change.id: (change.name, change.new_due)})

    def _copies(self, post: Outgoing) -> list[str]:
        """DM copies of a confirmed channel post, for the students who opted in."""
        if post.target != CHANNEL or not (self.settings.dm and self.open_dm):
            return []
        return [f"user:{user}" for user in self.ledger.dm_users()]

    async def flush(self, now: dt.datetime, report: TickReport | None = None) -> TickReport:
        """Post every ready intent in order; stop at the first channel failure to keep order."""
        report = report or TickReport()
        for post in self.ledger.ready(now):
            ok = await self._deliver(post, now, report)
            if not ok and post.target == CHANNEL:
                break
        return report

    async def _deliver(self, post: Outgoing, now: dt.datetime, report: TickReport) -> bool:
        if post.user_id is not None and not (self.settings.dm and self.open_dm):
            self.ledger.drop(post.nonce, "DM reminders were turned off")
            report.dropped += 1
            return True
        sending = False
        try:
            channel = await self._channel(post)
            if post.attempts and await self._found(channel, post, now, report):
                return True
            if self._give_up(post, now, report):
                return True
            self.ledger.attempt(post.nonce)  # LedgerLocked if another process took the ledger over
            sending = True
            message_id = await channel.send(post.content, post.nonce)
        except LedgerLocked:
            raise
        except Exception as exc:  # permissions, Discord 5xx, network: retried with backoff
            if post.deadline is not None and post.deadline <= now.timestamp():
                # e.g. the lookup keeps failing: stop at the deadline, saying whether it may be out
                unsure = exc if post.attempts or sending else None
                return self._give_up(post, now, report, unsure)
            self._failed(post, exc, now)
            report.failed += 1
            return False
        self.ledger.sent(post.nonce, message_id, now, self._copies(post))
        report.posted.append(post.nonce)
        return True

    async def _found(self, channel: Channel, post: Outgoing, now: dt.datetime, report: TickReport) -> bool:
        """Is a post that may have gone out already in the channel? Then confirm it."""
        claimed = self.ledger.claimed(post.target)
        async with aclosing(channel.recent(lookup_floor(post))) as messages:
            async for seen in messages:
                if seen.id not in claimed and _same(seen, post):
                    self.ledger.sent(post.nonce, seen.id, now, self._copies(post))
                    report.confirmed.append(post.nonce)
                    log.info("post %s was already in the channel (message %s)", post.nonce, seen.id)
                    return True
        return False

    def _give_up(self, post: Outgoing, now: dt.datetime, report: TickReport,
                 unsure: Exception | None = None) -> bool:
        """Drop a post too late to matter, or withdraw a crash-orphaned one to be planned afresh.

        ``unsure``: the error that kept us from knowing whether a send that began went out.
        """
        if post.deadline is not None and post.deadline <= now.timestamp():
            if unsure is None:
                reason = "deadline passed before it could be posted"
            else:
                reason = f"deadline passed; it may have been posted (could not check: {type(unsure).__name__})"
            last = unsure or post.last_error
            self.ledger.drop(post.nonce, f"{reason} (last error: {last})" if last else reason)
            log.error("%s %s to %s given up: %s (last error: %s)", post.kind, post.nonce, post.target, reason, last)
            report.dropped += 1
            return True
        if post.target != CHANNEL and post.attempts >= DM_MAX_TRIES:
            self.ledger.drop(post.nonce, f"gave up after {post.attempts} tries")
            report.dropped += 1
            return True
        orphan = post.attempts and not post.last_error and now.timestamp() - post.created_at > RESEND_SECONDS
        if orphan and post.kind == "reminder" and post.target == CHANNEL:
            # Never posted, interrupted by a crash long ago: re-plan it so it states the true time left.
            self.ledger.supersede(post.nonce)
            report.superseded += 1
            return True
        return False

    async def _channel(self, post: Outgoing) -> Channel:
        if post.user_id is None or self.open_dm is None:
            return self.channel
        return await self.open_dm(post.user_id)

    def _failed(self, post: Outgoing, exc: Exception, now: dt.datetime) -> None:
        tries = post.attempts + 1
        delay = min(self.settings.retry_base_seconds * 2 ** (tries - 1), self.settings.retry_max_seconds)
        log.warning("posting %s to %s failed (try %d), retrying in %ds: %s",
                    post.nonce, post.target, tries, delay, exc)
        self.ledger.failed(post.nonce, f"{type(exc).__name__}: {exc}", now + dt.timedelta(seconds=delay))


class ClockCheck:
    """Is a tick's wall-clock ``now`` believable? It must agree with a monotonic clock since the last tick.

    A wall clock that jumps (days fast for one tick, an NTP step) would post reminders early,
    settle the ones after them, drop posts whose deadline it thinks has passed and announce
    removals that are not due. Such a tick is refused and logged; if the new reading then
    holds steady for CLOCK_SETTLE (the clock was corrected, not broken) it is believed.
    """

    def __init__(self, monotonic: Callable[[], float]):
        self.monotonic = monotonic
        self._trusted: tuple[dt.datetime, float] | None = None  # (wall, monotonic) of the last believed tick
        self._suspect: tuple[dt.datetime, float] | None = None  # the first tick of a disagreement

    def believe(self, now: dt.datetime) -> bool:
        now, mono = now.astimezone(dt.UTC), self.monotonic()  # in UTC: real time, whatever zone it came in
        if self._trusted is None or _steady(self._trusted, now, mono):
            self._trusted, self._suspect = (now, mono), None
            return True
        if self._suspect is None or not _steady(self._suspect, now, mono):
            expected = self._trusted[0] + dt.timedelta(seconds=mono - self._trusted[1])
            log.warning("the wall clock says %s but should say about %s (monotonic clock): not posting on it; "
                        "believed if it holds for %s", now.isoformat(), expected.isoformat(), CLOCK_SETTLE)
            self._suspect = (now, mono)
            return False
        if mono - self._suspect[1] >= CLOCK_SETTLE.total_seconds():
            log.warning("the wall clock held steady since its jump: believing it from %s", now.isoformat())
            self._trusted, self._suspect = (now, mono), None
            return True
        return False


def _steady(reading: tuple[dt.datetime, float], now: dt.datetime, mono: float) -> bool:
    wall, base = reading
    return abs(now - (wall + dt.timedelta(seconds=mono - base))) <= CLOCK_TOLERANCE


def lookup_floor(post: Outgoing) -> int:
    """The message id to look for a possibly-sent post above: its recorded floor, else by its intent time.

    The floor is a message Discord itself dated before this send, so it holds whatever the
    bot's clock says; only a target's first post falls back to the (bot-clock) intent time,
    a day earlier to allow for a clock that is badly off.
    """
    if post.floor_id is not None:
        return post.floor_id
    return snowflake(dt.datetime.fromtimestamp(post.created_at, dt.UTC) - FIRST_LOOKBACK)


def snowflake(moment: dt.datetime) -> int:
    """The smallest Discord id of a message created at ``moment``."""
    return max(0, int(moment.timestamp() * 1000) - DISCORD_EPOCH_MS) << 22


def _same(seen: Seen, post: Outgoing) -> bool:
    """The nonce when the channel reports one (Discord's history often does not), else the text."""
    return seen.nonce == post.nonce if seen.nonce is not None else seen.content == post.content
