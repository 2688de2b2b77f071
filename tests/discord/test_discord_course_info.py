"""/due, /schedule, /readings, /officehours, /next and their autocomplete."""

from __future__ import annotations

import datetime as dt

from helpers import embed_text


def _stamp(course, due_id: str) -> str:
    due = next(d for d in course.deliverables if d.id == due_id)
    return f"<t:{int(course.due_at(due, dt.time(23, 59)).timestamp())}:F>"


def test_due_autocomplete_offers_deliverables_matching_what_is_typed(drive):
    async def scenario(w):
        choices = await w.student.autocomplete(w.channel, "due", "deliverable", "home")
        assert [c["value"] for c in choices] == ["homework-1", "homework-2", "homework-3"][: len(choices)]
        assert all("Homework" in c["name"] for c in choices) and len(choices) >= 2
        everything = await w.student.autocomplete(w.channel, "due", "deliverable", "")
        assert 0 < len(everything) <= 25

    drive(scenario)


def test_due_names_one_deliverable_with_its_timestamp(drive, live):
    async def scenario(w):
        result = await w.student.slash(w.channel, "due", deliverable="homework-2")
        text = embed_text(result.response.embeds[0])
        assert "Homework 2" in text and "Oct 20, 2020" in text
        assert _stamp(live.course, "homework-2") in text

    drive(scenario)


def test_due_without_a_name_lists_the_next_deadlines(drive, live):
    async def scenario(w):
        result = await w.student.slash(w.channel, "due")
        text = embed_text(result.response.embeds[0])
        assert "Next deadlines" in text
        assert _stamp(live.course, "homework-2") in text  # due tomorrow (Oct 20)
        assert _stamp(live.course, "homework-1") not in text  # already past

    drive(scenario)


def test_due_with_an_unknown_name_is_refused_privately(drive):
    async def scenario(w):
        result = await w.student.slash(w.channel, "due", deliverable="final exam")
        assert result.ephemeral and "Nothing called 'final exam'" in result.response.content

    drive(scenario)


def test_schedule_for_a_week_a_date_and_nonsense(drive):
    async def scenario(w):
        week = await w.student.slash(w.channel, "schedule", when="week 6")
        assert "Week 6" in week.response.embeds[0].title and "Oct 20" in week.response.embeds[0].description
        day = await w.student.slash(w.channel, "schedule", when="2020-10-22")
        assert "Oct 22" in day.response.embeds[0].description
        coming = await w.student.slash(w.channel, "schedule")
        assert "Oct 20" in coming.response.embeds[0].description
        bad = await w.student.slash(w.channel, "schedule", when="whenever")
        assert bad.ephemeral and "couldn't read 'whenever'" in bad.response.content

    drive(scenario)


def test_readings_autocomplete_and_one_topic(drive, live):
    topic = live.course.readings[2]

    async def scenario(w):
        choices = await w.student.autocomplete(w.channel, "readings", "topic", "optim")
        assert [c["value"] for c in choices] == [topic.topic]
        result = await w.student.slash(w.channel, "readings", topic=topic.topic)
        embed = result.response.embeds[0]
        assert topic.topic in embed.title and topic.items[0].title in embed.description
        overview = await w.student.slash(w.channel, "readings")
        assert all(t.topic in overview.response.embeds[0].description for t in live.course.readings)

    drive(scenario)


def test_officehours_and_next(drive, live):
    async def scenario(w):
        hours = await w.student.slash(w.channel, "officehours")
        assert "Monday" in hours.response.embeds[0].description
        nxt = await w.student.slash(w.channel, "next")
        text = embed_text(nxt.response.embeds[0])
        assert "Next class" in text and "Oct 20" in text
        assert _stamp(live.course, "homework-2") in text

    drive(scenario)
