"""bot/format.py: the helpers every layer shares."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.format import DISCORD_MESSAGE_CHARS, clock, day_label, days_between, defang, fit, stamp


def test_day_label_and_clock_read_like_the_course_page():
    assert day_label(dt.date(2020, 10, 20)) == "Tue, Oct 20, 2020"
    assert day_label(dt.date(2020, 10, 20), year=False) == "Tue, Oct 20"
    assert [clock(dt.time(h, m)) for h, m in ((0, 5), (12, 0), (16, 20))] == ["12:05am", "12:00pm", "4:20pm"]


def test_days_between_names_the_near_days():
    day = dt.date(2020, 10, 20)
    offsets = (0, 1, -1, 3, -3)
    assert [days_between(day, day + dt.timedelta(days=n)) for n in offsets] == [
        "today", "tomorrow", "yesterday", "in 3 days", "3 days ago"]


def test_stamp_is_the_same_instant_in_every_zone_and_refuses_naive_times():
    moment = dt.datetime(2020, 10, 20, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert stamp(moment) == "<t:1603256340:F> (<t:1603256340:R>)" == stamp(moment.astimezone(dt.UTC))
    with pytest.raises(ValueError):
        stamp(dt.datetime(2020, 10, 20, 23, 59))  # noqa: DTZ001 - naive on purpose


def test_defang_breaks_every_kind_of_mention():
    text = defang("@everyone @here <@123> <@!123> <@&456> <#789> mail@example.com")
    assert "@everyone" not in text and "@here" not in text and "<@" not in text and "<#" not in text
    assert text.endswith("mail@example.com")


def test_fit_cuts_at_a_boundary_and_marks_the_cut():
    text = " ".join(f"Sentence {n} is here." for n in range(300))
    cut = fit(text, DISCORD_MESSAGE_CHARS)
    assert len(cut) <= DISCORD_MESSAGE_CHARS and cut.endswith(". …")
    assert fit("short", DISCORD_MESSAGE_CHARS) == "short"
