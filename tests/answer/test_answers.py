"""What students get back: golden answers on the default course, and measured quality."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from helpers import DEV_SET

from bot import evaluation
from bot.format import DISCORD_MESSAGE_CHARS
from bot.knowledge import load_course
from bot.serving.assemble import build_engine
from bot.settings import EngineSettings, Settings

ROOT = Path(__file__).resolve().parents[2]
OCT_19 = dt.datetime.fromisoformat("2020-10-19T09:00-05:00")  # a Monday of week 6


def ask(engine, question: str, now: dt.datetime = OCT_19):
    return engine.answer(question, now)


def test_deadline_names_the_deliverable_with_weekday_date_and_points(engine):
    answer = ask(engine, "when is hw2 due??")
    assert answer.answered
    assert "**Homework 2** is due **Tue, Oct 20, 2020** (tomorrow) (week 6) — 10 points." in answer.answer
    assert "Oct 6" not in answer.answer and answer.sources[0].kind == "calendar"


def test_all_reading_deadlines_when_asked_for_readings(engine):
    text = ask(engine, "when are readings due").answer
    for day in ("Sep 22", "Sep 29", "Oct 13", "Nov 5", "Dec 1"):
        assert day in text
    assert "Homework" not in text


def test_only_the_deliverable_asked_about(engine):
    text = ask(engine, "how many points is the project proposal worth").answer
    assert "5 points" in text and "Oct 29" in text and "Nov 12" not in text


def test_past_deadline_is_told_in_the_past_tense(engine):
    assert "was due" in ask(engine, "when was homework 1 due").answer


def test_schedule_both_ways(engine):
    assert "Regularization, more loss functions" in ask(engine, "what are we covering on oct 15").answer
    text = ask(engine, "when do we learn about transformers").answer
    assert "Nov 12" in text


def test_week_question_lists_that_weeks_classes(engine):
    text = ask(engine, "what's happening in week 9").answer
    assert "Attention networks" in text and "Transformers" in text and "Detailed Project Plan" in text


def test_no_class_day_says_so(engine):
    text = ask(engine, "do we have class on thanksgiving").answer
    assert "no class" in text and "Nov 26" in text


@pytest.mark.parametrize(("question", "now", "expected", "absent"), [
    ("what's due this week?", "2020-10-19T09:00-05:00", "Homework 2", "Homework 1"),
    ("is anything due tmrw", "2020-10-28T15:00-05:00", "Project proposal", "Homework 2"),
    ("what's the next lecture about?", "2020-11-09T20:00-06:00", "Attention networks", "Language models"),
    ("what's next class about", "2020-11-10T17:00-06:00", "Transformers", "Attention"),  # after today's class
    ("how many days until the final project is due", "2020-11-27T10:00-06:00", "in 13 days", "Oct 29"),
    ("what's due next week", "2020-11-03T12:00-06:00", "Detailed Project Plan", "Project Readings"),
])
def test_relative_time_is_read_from_now(engine, question, now, expected, absent):
    text = ask(engine, question, dt.datetime.fromisoformat(now)).answer
    assert expected in text and absent not in text


def test_before_and_after_the_term(engine):
    before = ask(engine, "what's due this week", dt.datetime.fromisoformat("2020-09-01T12:00-05:00")).answer
    assert "hasn't started" in before and "Sep 17" in before
    after = ask(engine, "what's due this week", dt.datetime.fromisoformat("2021-01-12T12:00-06:00")).answer
    assert "the course ended on Thu, Dec 10, 2020" in after


def test_dst_does_not_shift_the_day(engine):
    # 2020-11-01 is the DST change in Chicago; 23:30 local on Oct 31 is still "today" Oct 31.
    text = ask(engine, "whats due tomorrow", dt.datetime.fromisoformat("2020-11-05T04:30+00:00")).answer
    assert "**Thu, Nov 5, 2020** (tomorrow)" in text  # 22:30 local on Nov 4 -> tomorrow is Nov 5
    assert "Nov 6" not in text  # the UTC date would say tomorrow is Nov 6
    assert "Project Readings" in text


@pytest.mark.parametrize(("question", "expected"), [
    ("wats the late policy", "Late submissions will not be graded"),
    ("what letter grade is an 88", "B+"),
    ("where should i start with the readings?", "Chapter 4 of Machine Learning"),
    ("readings for CNNs?", "Generalization and Network Design Strategies"),
    ("any good speech datasets?", "LibriSpeech"),
    ("OH?", "Mondays 4:00pm–6:00pm"),
    ("what time is lecture", "4:20pm–5:40pm"),
    ("who is the instructor", "Bryan Pardo"),
    ("where can i get free gpus", "Colab"),
])
def test_policy_logistics_reading_and_resource_answers(engine, question, expected):
    answer = ask(engine, question)
    assert answer.answered and expected in answer.answer, answer.answer
    assert answer.sources


def test_reading_answer_carries_its_link(engine):
    answer = ask(engine, "who wrote the original conv net paper on the reading list")
    assert "LeCun" in answer.answer and answer.sources[0].url and answer.sources[0].url in answer.answer


@pytest.mark.parametrize("question", [
    "what's the weather gonna be like tomorrow in evanston",
    "can you just write the code for hw1 for me",
    "what's the TA's email?",
    "what room is the midterm in?",
    "whats the last day to drop the class",
    "when is stanford cs231n assignment 1 due",
    "what's the capital of australia",
])
def test_out_of_scope_is_declined_politely_with_where_humans_answer(engine, question):
    answer = ask(engine, question)
    assert not answer.answered, answer.answer
    assert "CampusWire" in answer.answer and "office hours" in answer.answer


def test_echoed_mentions_never_ping(engine):
    for question in ("list all readings on attention networks", "@everyone when is hw2 due <@&123> <@456>",
                     "what are all the datasets", "what's due this week @here"):
        answer = ask(engine, question)
        assert "@everyone" not in answer.answer and "@here" not in answer.answer and "<@" not in answer.answer


def test_an_answer_from_a_long_entry_fits_one_message_at_the_highest_setting(engine, embedder, index_root,
                                                                            knowledge_copy, tmp_path):
    policies = knowledge_copy / "policies.yaml"
    padding = " ".join(f"Extension rule {n} applies only with a note from the dean." for n in range(80))
    policies.write_text(policies.read_text().replace("Late submissions will not be graded. ",
                                                     f"Late submissions will not be graded. {padding} ", 1))
    shutil.copytree(index_root / "fall2020", tmp_path / "index")  # the engine fixture's index: reuse its embeddings
    settings = Settings(engine=EngineSettings(max_answer_chars=DISCORD_MESSAGE_CHARS))
    long_engine = build_engine(load_course(knowledge_copy), settings, embedder, tmp_path / "index")
    answer = ask(long_engine, "wats the late policy")
    assert answer.answered and "Extension rule 0 applies" in answer.answer
    assert 0.9 * DISCORD_MESSAGE_CHARS < len(answer.answer) <= DISCORD_MESSAGE_CHARS


def test_now_must_be_aware(engine):
    with pytest.raises(ValueError):
        engine.answer("when is hw2 due", dt.datetime(2020, 10, 19, 9, 0))  # noqa: DTZ001


def test_dev_set_at_least_95_percent_with_every_out_of_scope_declined(engine):
    results = evaluation.run(evaluation.load_items(DEV_SET), engine.answer, OCT_19)
    passed = sum(r.passed for r in results)
    assert passed / len(results) >= 0.95, evaluation.report(results)
    assert all(not r.answer.answered for r in results if r.item.expect_refusal)


@pytest.mark.parametrize(("fixture", "path"), [
    ("engine", "tests/eval/fall2020_heldout.yaml"),
    ("engine", "tests/eval/fresh/fall2020_fresh.yaml"),
    ("spring_engine", "tests/eval/spring2024_heldout.yaml"),
    ("spring_engine", "tests/eval/fresh/spring2024_fresh.yaml"),
])
def test_other_question_sets_and_another_course_stay_above_90_percent(request, fixture, path):
    engine = request.getfixturevalue(fixture)
    results = evaluation.run(evaluation.load_items(ROOT / path), engine.answer, OCT_19)
    assert sum(r.passed for r in results) / len(results) >= 0.9, evaluation.report(results)


def test_a_numbered_deliverable_the_calendar_lacks_is_not_guessed(engine):
    answer = ask(engine, "hw3 due date?")
    assert not answer.answered
    assert "no homework 3" in answer.answer and "Homework 1" in answer.answer and "Homework 2" in answer.answer


def test_readings_on_a_topic_list_the_topic(engine):
    text = ask(engine, "readings on rnns").answer
    assert text.startswith("Readings on **Recurrent Networks**") and "Understanding LSTMs" in text


def test_thanks_gets_a_friendly_pointer_not_a_decline(engine):
    answer = ask(engine, "thanks!")
    assert not answer.answered and "CampusWire" not in answer.answer and "deadlines" in answer.answer
