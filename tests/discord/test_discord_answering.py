"""/ask, mentions, DMs and the Q&A channel, through discord.py's real tree and parsers."""

from __future__ import annotations

import datetime as dt

from helpers import KNOWLEDGE, NOW, embed_text

from bot.discord.client import APOLOGY
from bot.serving.assemble import build_engine
from bot.serving.live import LiveCourse
from bot.settings import Settings


def _due_seconds(course, due_id: str) -> int:
    due = next(d for d in course.deliverables if d.id == due_id)
    return int(course.due_at(due, dt.time(23, 59)).timestamp())


def test_ask_answers_with_source_and_local_timestamps(drive, live, store):
    async def scenario(w):
        result = await w.student.slash(w.channel, "ask", question="when is homework 2 due?")
        assert result.acknowledged and not result.ephemeral
        embed = result.response.embeds[0]
        text = embed_text(embed)
        assert "Homework 2" in embed.description
        seconds = _due_seconds(live.course, "homework-2")
        assert f"<t:{seconds}:F>" in text and f"<t:{seconds}:R>" in text
        assert any(f.name == "Source" for f in embed.fields)
        labels = [c["emoji"]["name"] for row in result.response.components for c in row["components"]]
        assert labels == ["👍", "👎"]

    drive(scenario)
    stats = store.stats(NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1))
    assert (stats.asked, stats.answered) == (1, 1)


def test_a_mention_is_answered_as_a_reply(drive):
    async def scenario(w):
        message = await w.student.send(w.channel, f"<@{w.bot.user.id}> when is homework 2 due?")
        reply = w.channel.last_message
        assert reply.author.id == w.bot.user.id
        assert reply.reference is not None and reply.reference.message_id == message.id
        assert "Homework 2" in reply.embeds[0].description

    drive(scenario)


def test_a_dm_is_answered(drive, store):
    async def scenario(w):
        asked = await w.student.send_dm("what are the office hours?")
        reply = [r for r in w.env.http_requests if r.method == "POST" and r.path.endswith("/messages")][-1]
        assert reply.path == f"/channels/{asked.channel.id}/messages"
        assert "Office hours" in reply.json["embeds"][0]["description"]
        assert reply.json["allowed_mentions"]["parse"] == []

    drive(scenario)
    assert store.stats(NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1)).asked == 1


def test_the_qa_channel_is_answered_in_a_thread_when_configured(drive):
    async def scenario(w):
        await w.student.send(w.qa_channel, "when is homework 2 due?")
        threads = [r for r in w.env.http_requests if r.path.endswith("/threads")]
        assert threads, "a thread was created for the answer"
        last = [r for r in w.env.http_requests if r.method == "POST" and r.path.endswith("/messages")][-1]
        assert "Homework 2" in last.json["embeds"][0]["description"]

    drive(scenario, qa_channel_id=1, reply_in_thread=True)


def test_other_messages_are_left_alone(drive):
    async def scenario(w):
        await w.student.send(w.channel, "anyone up for lunch?")
        assert w.channel.last_message.author.id == w.student.id

    drive(scenario)


def test_a_declined_question_is_kind_and_tells_staff_with_a_link(drive):
    async def scenario(w):
        result = await w.student.slash(w.channel, "ask", question="what is the capital of mongolia?")
        embed = result.response.embeds[0]
        assert "CampusWire" in embed.description
        note = w.staff_channel.last_message
        assert note is not None and "capital of mongolia" in note.content
        assert f"/channels/{w.guild.id}/{w.channel.id}/" in note.content

    drive(scenario, notify_staff_on_decline=True)


def test_a_failure_gets_an_apology_and_a_logged_traceback(drive, course, embedder, index_root, caplog):
    engine = build_engine(course, Settings(), embedder, index_root / "fall2020")

    def broken(question, now):
        raise RuntimeError("the engine failed mid-answer")

    engine.answer = broken  # type: ignore[method-assign]
    live = LiveCourse(KNOWLEDGE, Settings(), index_root / "fall2020", embedder, engine)

    async def scenario(w):
        result = await w.student.slash(w.channel, "ask", question="when is homework 2 due?")
        # After a public "thinking…" defer, Discord turns the first follow-up into that message.
        assert result.response.content == APOLOGY and not result.response.embeds
        assert w.env.errors  # swallowed by our handler, seen by simcord

    drive(scenario, course=live)
    assert any(r.exc_info and "command ask failed" in r.getMessage() for r in caplog.records)


def test_a_feedback_database_that_fails_never_blocks_the_answer(drive, store, caplog):
    """Issue 11 (9): when recording failed, /ask and mentions replied "Sorry" though the answer was ready."""
    store.path.unlink()
    store.path.mkdir()  # the database can no longer be opened at all

    async def scenario(w):
        result = await w.student.slash(w.channel, "ask", question="when is homework 2 due?")
        assert "Homework 2" in result.response.embeds[0].description
        assert result.response.components == []  # no votes to record, so no vote buttons
        await w.student.send(w.channel, f"<@{w.bot.user.id}> when is homework 2 due?")
        assert "Homework 2" in w.channel.last_message.embeds[0].description

    drive(scenario)
    [logged] = [r for r in caplog.records if str(store.path) in r.getMessage()]  # once for both questions
    assert logged.exc_info is None and "it is a directory" in logged.getMessage()  # one line, no traceback


def test_a_feedback_database_damaged_mid_run_is_replaced_and_answers_go_on(drive, store, caplog):
    """Issue 11 (9): once the file was damaged mid-run, every answer became "Sorry, something went wrong"."""

    async def scenario(w):
        first = await w.student.slash(w.channel, "ask", question="when is homework 2 due?")
        assert first.response.embeds
        store.path.write_bytes(b"this is no longer a database" * 200)
        again = await w.student.slash(w.channel, "ask", question="is there a final exam?")
        assert again.response.embeds and again.response.components  # answered, with working votes
        vote = next(c["custom_id"] for row in again.response.components for c in row["components"])
        voted = await w.student.click(again.response.message, custom_id=vote)
        assert "Thanks" in voted.response.content

    drive(scenario)
    assert [p for p in store.path.parent.iterdir() if ".damaged-" in p.name]
    assert store.stats(NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1)).asked == 1  # the fresh file
    assert any("damaged" in r.getMessage() for r in caplog.records)
