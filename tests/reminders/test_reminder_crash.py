"""Crash test: the sender in a subprocess, SIGKILLed at random points, restarted until the term ends.

After every run the channel file and the ledger must show each reminder exactly once and
none missing. See crash_worker.py for how the workers are run and killed.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import crash_worker
import pytest

WORKER = Path(__file__).with_name("crash_worker.py")
RUNS = 100
SEED = 20201101
DEATH_CHANCE = 0.04  # per durable step inside the worker
MAX_STARTS = 300


@pytest.fixture(scope="module")
def zygote():
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env)
    yield proc
    proc.stdin.close()
    proc.wait(timeout=30)


@pytest.fixture
def scratch(tmp_path):
    """tmpfs when there is one: a SIGKILL keeps page-cache writes, so fsync buys nothing here."""
    shm = Path("/dev/shm")
    directory = Path(tempfile.mkdtemp(prefix="coursebot-crash-", dir=shm)) if shm.is_dir() else tmp_path
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def start(zygote, **cmd) -> dict:
    zygote.stdin.write(json.dumps(cmd) + "\n")
    zygote.stdin.flush()
    return json.loads(zygote.stdout.readline())


def run_until_done(zygote, directory: Path, rng: random.Random) -> Counter:
    stats: Counter = Counter()
    for starts in range(MAX_STARTS):
        result = start(zygote, dir=str(directory), seed=rng.randrange(2**32), chance=DEATH_CHANCE,
                       kill_after=rng.uniform(0, 0.05) if rng.random() < 0.5 else None,
                       downtime_ticks=rng.choice([0, 0, 0, 1, 3, 8]) if starts else 0)
        assert result["exit"] in (0, -9), result
        if result["exit"] == 0:
            return stats
        stats["kills"] += 1
        stats["timer kills" if result["timer_kill"] else "kills at a durable step"] += 1
    raise AssertionError(f"the worker never finished in {MAX_STARTS} starts")


def check(directory: Path) -> int:
    everything = [json.loads(line) for line in (directory / "channel.jsonl").read_text().splitlines()]
    assert all(a["id"] < b["id"] for a, b in zip(everything, everything[1:], strict=False)), "ids out of order"
    messages = [m for m in everything if m["author"] == "bot"]
    nonces = Counter(m["nonce"] for m in messages)
    assert max(nonces.values()) == 1, "a post went out twice"
    db = sqlite3.connect(directory / "ledger.sqlite3")
    posts = {n: (state, mid) for n, state, mid in db.execute("SELECT nonce, state, message_id FROM posts")}
    in_channel = {m["nonce"]: m["id"] for m in messages}
    for nonce, (state, mid) in posts.items():
        if state == "sent":
            assert in_channel.get(nonce) == mid, "ledger says sent, channel disagrees"
        elif state in ("superseded", "dropped"):
            assert nonce not in in_channel, f"a {state} post was in the channel"
    assert set(in_channel) <= set(posts), "a message the ledger never intended"
    settled = {(d, lead, due): posts[n][0] for d, lead, due, n in db.execute("SELECT * FROM reminders")}
    ticks = [crash_worker.dt.datetime.fromisoformat(t) for t in _first_words(directory / "ticks.txt")]
    for item, when in planned():  # none missing: every reminder due during a completed tick went out
        if any(item.fire_at <= t < item.due_at and when(t) for t in ticks):
            assert settled.get(item.key) == "sent", f"missing {item.key}"
    check_notices(messages, ticks, settled)
    db.close()
    return len(messages)


def planned():
    """(reminder, when it applies): the original calendar before the edit, the new one after."""
    move = crash_worker.MOVE_AT
    for c, when in ((crash_worker.TERM, lambda t: t < move), (crash_worker.MOVED, lambda t: t >= move)):
        for item in crash_worker.planner.schedule(c, crash_worker.SETTINGS):
            yield item, when


def check_notices(messages: list[dict], ticks: list, settled: dict) -> None:
    """One notice per change at most, exactly one if the bot ran between the edit and the deadline;
    no reminder for Homework 2's old date after the edit, none at all for the removed quiz's 7-day lead."""
    move = crash_worker.MOVE_AT
    for phrase, deadline in (("**Homework 2** moved from Fri Oct 9 to Sat Oct 10", "2020-10-10T23:59-05:00"),
                             ("**Quiz 2** (due Wed Oct 14) was removed", "2020-10-14T12:00-05:00")):
        count = sum(phrase in m["content"] for m in messages)
        ran = any(move <= t < crash_worker.at(deadline) for t in ticks)
        assert count == (1 if ran else count) and count <= 1, (phrase, count)
    old_hw2 = "2020-10-10T04:59:00+00:00"
    assert {lead for d, lead, due in settled if d == "hw2" and due == old_hw2} <= {7 * 86400}
    assert ("q2", 7 * 86400, "2020-10-14T17:00:00+00:00") not in settled


def _first_words(path: Path) -> list[str]:
    return [line.split()[0] for line in path.read_text().splitlines() if line.strip()]


def test_sigkill_at_random_points_posts_each_reminder_exactly_once(zygote, scratch):
    rng = random.Random(SEED)
    totals: Counter = Counter()
    for run in range(RUNS):
        directory = scratch / f"run{run:03d}"
        directory.mkdir()
        totals += run_until_done(zygote, directory, rng)
        totals["messages"] += check(directory)
    print(f"\ncrash test: {RUNS} runs, {dict(totals)}")
    assert totals["timer kills"] >= 20 and totals["kills at a durable step"] >= 100  # it really crashed


def test_an_uninterrupted_run_posts_the_whole_term(zygote, scratch):
    assert start(zygote, dir=str(scratch), seed=1, chance=0, kill_after=None, downtime_ticks=0)["exit"] == 0
    lines = (scratch / "channel.jsonl").read_text().splitlines()
    texts = [m["content"] for m in map(json.loads, lines) if m["author"] == "bot"]
    assert check(scratch) == len(texts) == 17
    assert sum("** moved from" in t for t in texts) == 1 and sum("was removed" in t for t in texts) == 1
