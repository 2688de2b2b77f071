"""The staff gate and the staff tools: /reload, /unanswered, /stats."""

from __future__ import annotations

import asyncio
import datetime as dt

from helpers import NOW

from bot.discord.client import NOT_STAFF
from bot.serving.live import LiveCourse
from bot.settings import Settings


def test_a_student_calling_reload_is_refused(drive):
    async def scenario(w):
        for name in ("reload", "unanswered", "stats"):
            result = await w.student.slash(w.channel, name)
            assert result.ephemeral and result.response.content == NOT_STAFF
        assert w.env.errors  # the refusals went through the one error handler

    drive(scenario)


def test_reload_reports_exact_errors_and_keeps_the_old_course(drive, engine, embedder, index_root, knowledge_copy):
    live = LiveCourse(knowledge_copy, Settings(), index_root / "fall2020", embedder, engine)
    calendar = knowledge_copy / "calendar.yaml"

    async def scenario(w):
        same = await w.teacher.slash(w.channel, "reload")
        assert same.ephemeral and "unchanged" in same.response.content
        calendar.write_text(calendar.read_text().replace("week: 1", "week: one", 1))
        bad = await w.teacher.slash(w.channel, "reload")
        assert "Reload failed; still serving the previous course" in bad.response.content
        assert "calendar.yaml:" in bad.response.content and "week" in bad.response.content
        assert live.engine is engine
        still = await w.student.slash(w.channel, "due", deliverable="homework-2")
        assert "Homework 2" in still.response.embeds[0].description

    drive(scenario, course=live)


def test_unanswered_lists_declined_and_downvoted_questions_most_frequent_first(drive, store):
    for _ in range(2):
        store.record_question(asked_at=NOW, user_id=1, channel="dm", question="Is there a final exam?",
                              answered=False, confidence=0.1, answer="I don't know")
    voted = store.record_question(asked_at=NOW, user_id=2, channel="dm", question="when is hw2 due",
                                  answered=True, confidence=0.9, answer="Oct 20")
    store.record_vote(voted, 3, up=False, at=NOW)
    store.record_question(asked_at=NOW - dt.timedelta(days=30), user_id=1, channel="dm", question="old one",
                          answered=False, confidence=0.0, answer="no")

    async def scenario(w):
        result = await w.teacher.slash(w.channel, "unanswered", days=7)
        lines = result.response.content.splitlines()
        assert result.ephemeral
        assert "(2×, 2 declined) Is there a final exam?" in lines[1]
        assert "(1×, 1 👎) when is hw2 due" in lines[2]
        assert "old one" not in result.response.content

    drive(scenario)


def test_stats_counts_questions_answers_and_votes(drive, store):
    async def scenario(w):
        answer = await w.student.slash(w.channel, "ask", question="when is homework 2 due?")
        await w.student.slash(w.channel, "ask", question="what is the capital of mongolia?")
        await w.teacher.click(answer.response.message, label=None, custom_id=_vote_id(answer, up=True))
        result = await w.teacher.slash(w.channel, "stats", days=7)
        assert result.response.content == "Last 7 day(s): **2** question(s), **50%** answered, 1 👍 / 0 👎."

    drive(scenario)


def _vote_id(result, up: bool) -> str:
    ids = [c["custom_id"] for row in result.response.components for c in row["components"]]
    return next(i for i in ids if i.endswith(":1" if up else ":0"))


def test_a_failed_reload_from_any_source_is_reported_to_the_staff_channel(drive, engine, embedder, index_root,
                                                                          knowledge_copy):
    live = LiveCourse(knowledge_copy, Settings(), index_root / "fall2020", embedder, engine)
    calendar = knowledge_copy / "calendar.yaml"

    async def scenario(w):
        calendar.write_text(calendar.read_text().replace("date: 2020-10-20", "date: 2020-10-32", 1))
        result = await asyncio.to_thread(live.reload)  # as the file watcher does, off the event loop
        assert not result.ok and live.engine is engine
        for _ in range(100):
            if w.staff_channel.last_message is not None:
                break
            await asyncio.sleep(0.01)
        report = w.staff_channel.last_message.content
        assert report.startswith("Reload failed; still serving the previous course")
        assert "calendar.yaml:" in report and "2020-10-32" in report

    drive(scenario, course=live)
