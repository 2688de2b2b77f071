"""Behaviour under real conditions: no pings, rate limits, votes, deferral, Discord's size limits."""

from __future__ import annotations

import datetime as dt

import discord
from helpers import KNOWLEDGE, NOW, fresh_bot

from bot.answer.model import Answer, Source
from bot.discord import _format
from bot.discord.client import rate_limit_message
from bot.format import DISCORD_MESSAGE_CHARS
from bot.serving.assemble import build_engine
from bot.serving.live import LiveCourse
from bot.settings import Settings

HOSTILE = "@everyone @here <@&{role}> <@{user}> when is homework 2 due?"


def _pings(env, channel_id: int, message_id: int):
    stored = env.backend.get_message(channel_id, message_id)
    return stored.ping_user_ids, stored.ping_role_ids, stored.mention_everyone


def test_echoed_mentions_never_ping(drive):
    async def scenario(w):
        role = w.guild.create_role("Everyone-in-class", mentionable=True)
        hostile = HOSTILE.format(role=role.id, user=w.teacher.id)
        # Control: the same text sent with mentions allowed does ping, so the check below can fail.
        control = await w.bot.get_channel(w.channel.id).send(hostile, allowed_mentions=discord.AllowedMentions.all())
        assert any(_pings(w.env, w.channel.id, control.id))

        await w.student.send(w.channel, f"<@{w.bot.user.id}> {hostile}")
        reply = w.channel.last_message
        assert reply.author.id == w.bot.user.id and reply.embeds
        assert _pings(w.env, w.channel.id, reply.id) == ([], [], False)
        asked = await w.student.slash(w.channel, "ask", question=hostile.replace("when is homework 2 due",
                                                                                 "what is the capital of peru"))
        note = w.staff_channel.last_message
        assert "capital of peru" in note.content and "@\u200beveryone" in note.content
        for channel_id, message_id in ((w.staff_channel.id, note.id), (w.channel.id, asked.response.id)):
            assert _pings(w.env, channel_id, message_id) == ([], [], False)

    drive(scenario, notify_staff_on_decline=True)


def test_every_send_carries_allowed_mentions_none(drive):
    async def scenario(w):
        await w.student.slash(w.channel, "ask", question="@everyone when is homework 2 due?")
        await w.student.send(w.channel, f"<@{w.bot.user.id}> @everyone office hours?")
        await w.student.slash(w.channel, "due")
        bodies = [r.json.get("data", r.json) if "type" in r.json else r.json
                  for r in w.env.http_requests if r.method in ("POST", "PATCH") and isinstance(r.json, dict)]
        sends = [b for b in bodies if isinstance(b, dict) and ("content" in b or "embeds" in b)]
        assert len(sends) >= 3
        for body in sends:
            assert body.get("allowed_mentions", {}).get("parse") == [], body

    drive(scenario)


def test_rate_limit_answers_kindly_then_lets_the_student_ask_again(drive, clock, store):
    async def scenario(w):
        for _ in range(2):
            ok = await w.student.slash(w.channel, "ask", question="when is homework 2 due?")
            assert ok.response.embeds
        limited = await w.student.slash(w.channel, "ask", question="when is homework 2 due?")
        assert limited.ephemeral and limited.response.content == rate_limit_message(60)
        await w.student.send(w.channel, f"<@{w.bot.user.id}> office hours?")
        assert w.channel.last_message.content == rate_limit_message(60)
        other = await w.teacher.slash(w.channel, "ask", question="when is homework 2 due?")
        assert other.response.embeds  # the limit is per user
        clock.value += 61
        again = await w.student.slash(w.channel, "ask", question="office hours?")
        assert again.response.embeds
        w.env.errors  # noqa: B018 — the refusals went through the error handler; acknowledge them

    drive(scenario, rate_limit_questions=2, rate_limit_seconds=60)
    assert store.stats(NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1)).asked == 4


def test_votes_are_stored_and_survive_a_restart(drive, store):
    async def scenario(w):
        answer = await w.student.slash(w.channel, "ask", question="is there a final exam?")
        message = answer.response.message
        up = await w.student.click(message, custom_id=_vote_id(answer, up=False))
        assert up.ephemeral and "noted" in up.response.content
        await w.env.restart_bot(fresh_bot(w))  # a new process: the custom_id alone routes the click
        again = await w.teacher.click(message, custom_id=_vote_id(answer, up=False))
        assert again.ephemeral
        await w.student.click(message, custom_id=_vote_id(answer, up=True))  # changes their vote

    drive(scenario)
    stats = store.stats(NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1))
    assert (stats.asked, stats.up, stats.down) == (1, 1, 1)
    assert store.declined_or_downvoted(NOW - dt.timedelta(days=1))[0].downvotes == 1


def test_a_slow_answer_is_deferred_before_the_engine_runs(drive, course, embedder, index_root):
    """The engine's encoder notes whether Discord had already been told "thinking…"."""
    seen: list[bool] = []
    env_box: list = []

    def encode(texts):
        requests = env_box[0].http_requests
        seen.append(any(r.path.endswith("/callback") and r.json == {"type": 5} for r in requests))
        return embedder.encode(texts)

    engine = build_engine(course, Settings(), embedder, index_root / "fall2020")
    engine.encode = encode
    live = LiveCourse(KNOWLEDGE, Settings(), index_root / "fall2020", embedder, engine)

    async def scenario(w):
        env_box.append(w.env)
        result = await w.student.slash(w.channel, "ask", question="what is the late policy?")
        assert result.response.embeds

    drive(scenario, course=live)
    assert seen == [True]


def test_long_answers_fit_discords_limits(course):
    course_free = Answer("q", "word " * 3000, True, 0.9,
                         [Source("policy", str(i), "T" * 300, "https://x.example/" + "p" * 200) for i in range(40)])
    embed = _format.answer_embed(course, course_free, NOW, dt.time(23, 59))
    assert len(embed) <= _format.EMBED_TOTAL_CHARS
    assert len(embed.description) <= _format.DESCRIPTION_CHARS
    assert all(len(f.value) <= _format.FIELD_VALUE_CHARS for f in embed.fields)
    assert len(_format.message_text("x" * 5000)) <= DISCORD_MESSAGE_CHARS


def test_a_long_staff_list_still_fits_one_message(drive, store):
    for n in range(60):
        store.record_question(asked_at=NOW, user_id=n, channel="dm", question=f"question {n} " + "why " * 80,
                              answered=False, confidence=0.0, answer="no")

    async def scenario(w):
        result = await w.teacher.slash(w.channel, "unanswered")
        assert len(result.response.content) <= DISCORD_MESSAGE_CHARS
        assert result.response.content.count("•") >= 5

    drive(scenario)


def _vote_id(result, up: bool) -> str:
    ids = [c["custom_id"] for row in result.response.components for c in row["components"]]
    return next(i for i in ids if i.endswith(":1" if up else ":0"))


def test_thread_names_are_defanged_and_shortened_like_message_text(drive):
    """Issue 11 (14): a thread name echoed the question's raw mentions and attacker text."""

    async def scenario(w):
        role = w.guild.create_role("Everyone-in-class", mentionable=True)
        hostile = (f"<@{w.bot.user.id}> @everyone <@&{role.id}> <@{w.teacher.id}> <#{w.channel.id}>\n\n"
                   "when is homework 2 due? " + "really " * 40)
        await w.student.send(w.channel, hostile)
        [thread] = w.channel.threads
        assert len(thread.name) <= 100 and "\n" not in thread.name
        assert "@everyone" not in thread.name and "<@" not in thread.name and "<#" not in thread.name
        assert thread.name.startswith("@\u200beveryone") and "when is homework 2 due?" in thread.name

    drive(scenario, reply_in_thread=True)


def test_a_reply_is_rendered_from_the_course_that_answered_it(drive, course, spring_engine, embedder, index_root):
    """Issue 11 (13): a reload landing mid-answer gave the old course's text the new course's footer
    and dropped the "In your time zone" field. The swap here lands just after the engine answered."""
    engine = build_engine(course, Settings(), embedder, index_root / "fall2020")
    live = LiveCourse(KNOWLEDGE, Settings(), index_root / "fall2020", embedder, engine)

    answer = engine.answer

    def answer_then_reload(question, now):
        result = answer(question, now)
        live.engine = spring_engine  # what LiveCourse.reload does: one swap, here mid-reply
        return result

    engine.answer = answer_then_reload  # type: ignore[method-assign]

    async def scenario(w):
        result = await w.student.slash(w.channel, "ask", question="when is homework 2 due?")
        embed = result.response.embeds[0]
        assert "Homework 2" in embed.description
        assert embed.footer.text == f"{course.info.code} · {course.info.title} · {course.info.term}"
        assert [f.name for f in embed.fields if f.name == "In your time zone"]

    drive(scenario, course=live)
