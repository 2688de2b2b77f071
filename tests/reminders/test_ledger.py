"""The ledger on a real SQLite file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from reminder_kit import at

from bot.reminders.ledger import CHANNEL, Ledger, LedgerDamaged, LedgerLocked

NOW = at("2020-10-19T23:59-05:00")
DUE = at("2020-10-20T23:59-05:00")
KEY = ("hw2", 86400, "2020-10-21T04:59:00+00:00")


def test_intent_keys_and_announced_dates_survive_a_reopen(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger.open(path)
    nonce = ledger.record(CHANNEL, "reminder", "HW2 due", NOW, DUE, keys=[KEY], known={"hw2": ("Homework 2", DUE)})
    assert len(nonce) <= 25
    ledger.close()
    again = Ledger.open(path)
    assert again.settled() == {KEY}
    assert again.known() == {"hw2": ("Homework 2", DUE)}
    (post,) = again.ready(NOW)
    assert (post.nonce, post.content, post.attempts, post.deadline) == (nonce, "HW2 due", 0, DUE.timestamp())
    again.close()


def test_a_second_process_cannot_hold_the_ledger(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    first = Ledger.open(path)
    with pytest.raises(LedgerLocked, match="only one may send reminders"):
        Ledger.open(path)
    first.close()
    Ledger.open(path).close()  # released on close (and by the kernel if the process dies)


def test_recording_is_all_or_nothing(tmp_path):
    ledger = Ledger.open(tmp_path / "ledger.sqlite3")
    ledger.record(CHANNEL, "reminder", "first", NOW, DUE, keys=[KEY])
    with pytest.raises(sqlite3.IntegrityError):
        ledger.record(CHANNEL, "reminder", "second", NOW, DUE, keys=[("hw3", 1, "x"), KEY])
    assert [p.content for p in ledger.open_intents()] == ["first"]
    assert ledger.settled() == {KEY}


def test_attempts_retry_times_and_confirmation(tmp_path):
    ledger = Ledger.open(tmp_path / "ledger.sqlite3")
    nonce = ledger.record(CHANNEL, "reminder", "HW2 due", NOW, DUE, keys=[KEY])
    ledger.attempt(nonce)
    ledger.failed(nonce, "503", at("2020-10-20T00:00:05-05:00"))
    assert ledger.ready(NOW) == []
    (post,) = ledger.ready(at("2020-10-20T00:00:05-05:00"))
    assert post.attempts == 1
    ledger.sent(nonce, 77, NOW, copies=["user:5"])
    assert ledger.claimed(CHANNEL) == {77}
    (copy,) = ledger.open_intents()
    assert (copy.target, copy.user_id, copy.content) == ("user:5", 5, "HW2 due")


def test_superseding_unsettles_the_reminders(tmp_path):
    ledger = Ledger.open(tmp_path / "ledger.sqlite3")
    nonce = ledger.record(CHANNEL, "reminder", "HW2 due", NOW, DUE, keys=[KEY])
    ledger.supersede(nonce)
    assert ledger.settled() == set() and ledger.open_intents() == []


def test_dm_opt_in_and_out(tmp_path):
    ledger = Ledger.open(tmp_path / "ledger.sqlite3")
    ledger.set_dm(42, True, NOW)
    ledger.set_dm(42, True, NOW)
    ledger.set_dm(7, True, NOW)
    assert ledger.dm_users() == [7, 42]
    ledger.set_dm(42, False, NOW)
    assert ledger.dm_users() == [7]


def test_the_lock_holds_through_a_symlink_to_the_ledger(tmp_path):
    first = Ledger.open(tmp_path / "ledger.sqlite3")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "link.sqlite3").symlink_to(tmp_path / "ledger.sqlite3")
    with pytest.raises(LedgerLocked, match="only one may send reminders"):
        Ledger.open(tmp_path / "elsewhere" / "link.sqlite3")
    first.close()


def test_the_lock_holds_when_the_lock_file_is_deleted(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    first = Ledger.open(path)
    Path(f"{path}.lock").unlink()
    with pytest.raises(LedgerLocked, match="only one may send reminders"):
        Ledger.open(path)
    first.close()
    Ledger.open(path).close()  # released on close


SECOND = """
import sys
from bot.reminders.ledger import Ledger, LedgerLocked
try:
    Ledger.open(sys.argv[1])
except LedgerLocked as exc:
    print(exc)
    sys.exit(3)
"""


def second_process(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SECOND, str(path)], capture_output=True, text=True, timeout=60)


def test_a_second_process_is_refused_with_one_line_whichever_way_it_reaches_the_ledger(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    holder = Ledger.open(path)
    (tmp_path / "link.sqlite3").symlink_to(path)
    os.link(path, tmp_path / "hardlink.sqlite3")
    Path(f"{path}.lock").unlink()
    for way in (path, tmp_path / "link.sqlite3", tmp_path / "hardlink.sqlite3"):
        result = second_process(way)
        assert result.returncode == 3, (way, result.stdout, result.stderr)
        (line,) = result.stdout.splitlines()
        assert "only one may send reminders" in line and f"pid {os.getpid()}" in line
    holder.close()
    assert second_process(path).returncode == 0


def test_a_killed_holder_does_not_keep_the_next_start_out(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    script = "import os, signal, sys; from bot.reminders.ledger import Ledger; Ledger.open(sys.argv[1]); " \
             "os.kill(os.getpid(), signal.SIGKILL)"
    assert subprocess.run([sys.executable, "-c", script, str(path)], timeout=60).returncode == -signal.SIGKILL
    Ledger.open(path).close()  # its lease names a dead process on this host: taken over at once


def test_a_ledger_from_before_the_floor_column_opens_and_keeps_its_rows(tmp_path):
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger.open(path)
    nonce = ledger.record(CHANNEL, "reminder", "HW2 due", NOW, DUE, keys=[KEY])
    ledger.db.execute("ALTER TABLE posts DROP COLUMN floor_id")  # as the first release created it
    ledger.close()
    again = Ledger.open(path)
    again.attempt(nonce)
    (post,) = again.ready(NOW)
    assert (post.nonce, post.attempts, post.floor_id) == (nonce, 1, None)
    again.close()


def test_the_first_attempt_records_the_newest_confirmed_message_as_the_floor(tmp_path):
    ledger = Ledger.open(tmp_path / "ledger.sqlite3")
    first = ledger.record(CHANNEL, "reminder", "one", NOW, DUE)
    ledger.attempt(first)
    ledger.sent(first, 500, NOW)
    second = ledger.record(CHANNEL, "reminder", "two", NOW, DUE)
    ledger.attempt(second)
    third = ledger.record(CHANNEL, "reminder", "three", NOW, DUE)
    ledger.sent(third, 900, NOW)  # confirmed later: the second post's floor stays where it was
    ledger.attempt(second)
    (post,) = ledger.ready(NOW)
    assert (post.nonce, post.attempts, post.floor_id) == (second, 2, 500)
    ledger.close()


def _replaced(make):
    def damage(path: Path) -> None:
        path.unlink()
        make(path)
    return damage


def _cut_in_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


LEDGER_DAMAGE = {
    "empty": lambda p: p.write_bytes(b""),
    "cut in half": _cut_in_half,
    "random bytes": lambda p: p.write_bytes(bytes(range(256)) * 16),
    "header overwritten with text": lambda p: p.write_bytes(b"not a database at all" + p.read_bytes()[21:]),
    "a directory": _replaced(Path.mkdir),
    "a FIFO": _replaced(os.mkfifo),
    "-> /dev/zero": _replaced(lambda p: p.symlink_to("/dev/zero")),
    "a symlink loop": _replaced(lambda p: p.symlink_to(p.name)),
}


@pytest.mark.parametrize("damage", LEDGER_DAMAGE.values(), ids=LEDGER_DAMAGE.keys())
def test_a_damaged_ledger_is_refused_in_one_line_never_replaced(tmp_path, damage):
    """Issue 11 (bench): an emptied ledger was silently taken as a new one (every reminder would be posted
    again); the others escaped as sqlite 'malformed' / 'disk I/O error' / RuntimeError tracebacks."""
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger.open(path)
    ledger.record(CHANNEL, "reminder", "HW2 due", NOW, DUE, keys=[KEY])
    ledger.close()
    for side in tmp_path.glob("ledger.sqlite3-*"):
        side.unlink()
    damage(path)
    before = sorted((p.name, p.is_symlink() or p.is_dir() or p.read_bytes()) for p in tmp_path.iterdir()
                    if not p.name.endswith(".lock") and not p.is_fifo())
    with pytest.raises(LedgerDamaged) as info:
        Ledger.open(path)
    [line] = str(info.value).splitlines()
    assert "ledger.sqlite3" in line and "reminders stay off" in line
    after = sorted((p.name, p.is_symlink() or p.is_dir() or p.read_bytes()) for p in tmp_path.iterdir()
                   if not p.name.endswith(".lock") and not p.is_fifo())
    assert after == before  # left as it was, for whoever restores it


def test_a_new_ledger_is_created_whole(tmp_path):
    """A new ledger appears with its tables (made aside and linked), so a 0-byte ledger is always damage."""
    path = tmp_path / "new" / "ledger.sqlite3"
    Ledger.open(path).close()
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"posts", "reminders", "known", "lease"} <= tables
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(".")]  # no temporary left
