"""The feedback store: questions, votes, the unanswered list and stats (real SQLite files)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3

import pytest

from bot.serving.feedback import FeedbackStore, FeedbackUnavailable, user_key

T0 = dt.datetime(2020, 10, 19, 14, 0, tzinfo=dt.UTC)


def _ask(store, question, answered=True, at=T0, user=1):
    return store.record_question(asked_at=at, user_id=user, channel="dm", question=question,
                                 answered=answered, confidence=0.8 if answered else 0.1, answer="…")


def test_questions_and_votes_are_stored_with_the_documented_schema(tmp_path):
    store = FeedbackStore(tmp_path / "sub" / "f.sqlite3")
    qid = _ask(store, "when is hw2 due?", user=42)
    assert store.record_vote(qid, 7, up=True, at=T0)
    db = sqlite3.connect(store.path)
    columns = "id, asked_at, user, channel, question, answered, confidence, answer"
    row = db.execute(f"SELECT {columns} FROM questions").fetchone()
    assert row == (qid, "2020-10-19T14:00:00+00:00", user_key(42), "dm", "when is hw2 due?", 1, 0.8, "…")
    assert "42" not in row[2]
    assert db.execute("SELECT question_id, user, up FROM votes").fetchall() == [(qid, user_key(7), 1)]


def test_a_second_vote_by_the_same_person_replaces_the_first(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    qid = _ask(store, "q")
    store.record_vote(qid, 7, up=True, at=T0)
    store.record_vote(qid, 7, up=False, at=T0)
    stats = store.stats(T0, T0 + dt.timedelta(hours=1))
    assert (stats.up, stats.down) == (0, 1)
    assert not store.record_vote(9999, 7, up=True, at=T0)  # unknown question


def test_unanswered_groups_wordings_and_puts_the_most_frequent_first(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    _ask(store, "Is there a final exam?", answered=False)
    _ask(store, "is there a final exam", answered=False, at=T0 + dt.timedelta(minutes=5))
    _ask(store, "is there a FINAL exam??", answered=False, at=T0 + dt.timedelta(minutes=9))
    liked = _ask(store, "when is hw2 due")
    store.record_vote(liked, 3, up=True, at=T0)
    disliked = _ask(store, "what is the late policy")
    store.record_vote(disliked, 3, up=False, at=T0)
    _ask(store, "too old", answered=False, at=T0 - dt.timedelta(days=10))
    items = store.declined_or_downvoted(T0 - dt.timedelta(days=1))
    assert [(i.question, i.asked, i.declined, i.downvotes) for i in items] == [
        ("is there a FINAL exam??", 3, 3, 0),
        ("what is the late policy", 1, 0, 1),
    ]


def test_stats_count_a_half_open_period(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    _ask(store, "a")
    _ask(store, "b", answered=False)
    _ask(store, "c", at=T0 + dt.timedelta(days=1))
    stats = store.stats(T0, T0 + dt.timedelta(days=1))
    assert (stats.asked, stats.answered, stats.answered_share) == (2, 1, 0.5)
    assert store.stats(T0 + dt.timedelta(days=5), T0 + dt.timedelta(days=6)).answered_share == 0.0


def test_naive_times_are_refused(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    with pytest.raises(ValueError, match="timezone-aware"):
        _ask(store, "q", at=dt.datetime(2020, 10, 19))  # noqa: DTZ001 — the point of the test


def _garbage(path):
    path.write_bytes(bytes(range(256)) * 64)


def _text(path):
    path.write_text("not a database\n")


def _truncated(path):
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 2)


def _zeroed_header(path):
    with path.open("r+b") as f:
        f.write(b"\0" * 4096)


def _zeroed_page(page: int):
    def damage(path):
        with path.open("r+b") as f:
            f.seek(4096 * page)
            f.write(b"\0" * 4096)
    return damage


def _zeroed_last_page(path):
    with path.open("r+b") as f:
        f.seek(path.stat().st_size - 4096)
        f.write(b"\0" * 4096)


def _bad_page_size(path):
    with path.open("r+b") as f:
        f.seek(16)
        f.write(b"\x00\x03")


DAMAGE = {"garbage": _garbage, "text": _text, "truncated": _truncated, "zeroed header": _zeroed_header,
          "zeroed page 2": _zeroed_page(1), "zeroed page 3": _zeroed_page(2), "zeroed last page": _zeroed_last_page,
          "bad page size": _bad_page_size}


def _filled(path):
    """A store with 200 questions (several pages), written in one transaction."""
    store = FeedbackStore(path)
    rows = [("2020-10-19T14:00:00+00:00", user_key(n), "dm", f"question {n} " + "why " * 40, n % 3 == 0, 0.5, "…")
            for n in range(200)]
    with sqlite3.connect(path) as db:
        db.executemany("INSERT INTO questions (asked_at, user, channel, question, answered, confidence, answer) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return store


@pytest.mark.parametrize("mid_run", [True, False], ids=["mid-run", "at start-up"])
@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_database_is_moved_aside_and_a_fresh_one_started(tmp_path, damage, mid_run, caplog):
    """Issue 11 (9): a damaged file made store calls raise, so questions were lost and commands crashed."""
    path = tmp_path / "f.sqlite3"
    running = _filled(path)
    damage(path)
    damaged = path.read_bytes()
    store = running if mid_run else FeedbackStore(path)
    assert store.stats(T0, T0 + dt.timedelta(hours=1)).asked in (0, 200)  # 200 when the damage is elsewhere
    store.declined_or_downvoted(T0 - dt.timedelta(days=1))
    qid = _ask(store, "still recorded?", answered=False)
    assert store.record_vote(qid, 7, up=False, at=T0)
    assert "still recorded?" in [u.question for u in store.declined_or_downvoted(T0 - dt.timedelta(days=1))]
    [aside] = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert aside.read_bytes() == damaged  # kept for a post-mortem, never deleted
    assert any("damaged" in r.getMessage() and aside.name in r.getMessage() for r in caplog.records)


NOT_FILES = {"a directory": os.mkdir, "a FIFO": os.mkfifo, "a symlink loop": lambda p: p.symlink_to(p.name),
             "a symlink to /dev/zero": lambda p: p.symlink_to("/dev/zero")}


@pytest.mark.parametrize("kind", NOT_FILES)
def test_a_database_that_cannot_be_opened_is_not_moved_and_is_one_line(tmp_path, kind):
    """Issue 11 (bench): a FIFO, /dev/zero or a symlink loop gave 'disk I/O error' / 'unable to open' tracebacks."""
    path = tmp_path / "f.sqlite3"
    NOT_FILES[kind](path)  # not damage: the store raises, and the caller decides (`coursebot run` stops)
    with pytest.raises(FeedbackUnavailable) as info:
        FeedbackStore(path)
    [line] = str(info.value).splitlines()
    assert str(path) in line and "can't be opened" in line
    assert [p.name for p in tmp_path.iterdir()] == ["f.sqlite3"]


def test_a_database_replaced_by_a_fifo_mid_run_is_logged_once_and_comes_back(tmp_path, caplog):
    """Issue 11 (bench): every call raised sqlite's 'disk I/O error', and the bot logged a traceback per question."""
    path = tmp_path / "f.sqlite3"
    store = FeedbackStore(path)
    path.unlink()
    os.mkfifo(path)
    with caplog.at_level(logging.WARNING, logger="bot.serving.feedback"):
        for n in range(3):
            with pytest.raises(FeedbackUnavailable, match="it is a FIFO"):
                _ask(store, f"question {n}")
    [logged] = [r.getMessage() for r in caplog.records if r.name == "bot.serving.feedback"]
    assert str(path) in logged and "answered but not recorded" in logged and "\n" not in logged
    path.unlink()  # someone removes the FIFO: the store works again (a fresh file)
    assert _ask(store, "back?") == 1
