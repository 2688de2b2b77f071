"""The ledger on a real SQLite file."""

from __future__ import annotations

import sqlite3

import pytest
from reminder_kit import at

from bot.reminders.ledger import CHANNEL, Ledger, LedgerLocked

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
