"""Holidays, breaks and finals week, found by the words the calendar itself uses.

The fall course has a no-class session topic "THANKSKIVING", note "Thanksgiving holiday, no class"
on Thu Nov 26, and a no-class "no class, finals week" on Tue Dec 8.
"""

from __future__ import annotations

import pytest
from time_kit import course, day, fall, find, one, session, span, tue_thu

ELECTION = session("2020-11-03", "Election Day", no_class=True, note="Election Day, no class")


@pytest.mark.parametrize("text", [
    "thanksgiving", "is there class on thanksgiving", "thanksgiving break", "the thanksgiving holiday",
    "thanksgivng", "Thanksgiving's", "THANKSKIVING",
])
def test_a_holiday_named_as_the_calendar_names_it_is_its_day(text):
    assert day(text) == "2020-11-26"


def test_a_holiday_is_labelled_with_its_name_and_date():
    mention = one("thanksgiving break")
    assert (mention.grain, mention.days.label) == ("day", "Thanksgiving (Thu, Nov 26)")


def test_the_whole_expression_is_the_mention():
    assert one("what is due after the thanksgiving break?").text == "after the thanksgiving break"


@pytest.mark.parametrize("text", ["turkey break", "is there a break", "christmas", "spring break"])
def test_names_the_calendar_does_not_use_are_not_holidays(text):
    assert find(text) == []


@pytest.mark.parametrize("text", ["the holiday", "the break", "over the break", "the holidays"])
def test_the_holiday_is_the_calendars_only_one(text):
    assert day(text) == "2020-11-26"


def test_with_several_the_break_is_the_next_one():
    both = fall(ELECTION)
    assert (day("the holiday", on=both), day("the break", now="2020-11-10 09:00", on=both)) == ("2020-11-03",
                                                                                           "2020-11-26")


def test_once_every_break_is_past_the_break_is_the_last_one():
    assert day("what did i miss over the break", now="2020-12-01 09:00", on=fall(ELECTION)) == "2020-11-26"


def test_a_two_word_name_is_found_and_said_whole():
    mention = one("is there class on election day", on=fall(ELECTION))
    assert (mention.days.start.isoformat(), mention.days.label) == ("2020-11-03", "Election Day (Tue, Nov 3)")


def test_a_misspelt_topic_is_found_through_the_note_that_spells_it():
    spelled = course(session("2020-11-26", "THANKSKIVING", no_class=True, note="Thanksgiving holiday"))
    assert one("thanksgiving", on=spelled).days.label == "Thanksgiving (Thu, Nov 26)"


def test_a_misspelt_topic_alone_is_found_with_a_light_typo_tolerance():
    alone = course(*tue_thu("2020-11-03", "2020-11-24"), session("2020-11-26", "THANKSKIVING", no_class=True))
    assert day("thanksgiving", on=alone) == "2020-11-26"


def test_session_aliases_name_the_day():
    aliased = course(*tue_thu("2020-11-03", "2020-11-24"),
                     session("2020-11-26", "No class", no_class=True, aliases=("Turkey Day",)))
    assert day("turkey day", on=aliased) == "2020-11-26"


def test_a_break_over_several_sessions_is_all_of_them():
    spring = {d: session(d, "Spring break", no_class=True) for d in ("2021-03-16", "2021-03-18")}
    term = course(*tue_thu("2021-03-02", "2021-03-30", off=spring))
    assert span("spring break", on=term, now="2021-03-01 09:00") == ("2021-03-16", "2021-03-18")


def test_holiday_week_is_its_monday_week():
    assert (span("thanksgiving week"), span("the week of thanksgiving")) == (("2020-11-23", "2020-11-29"),) * 2


def test_a_no_class_day_that_is_not_a_holiday_has_no_name():
    swap = course(session("2024-03-26", "No class: Test University runs Monday classes on Tuesday", no_class=True),
                  *tue_thu("2024-03-28", "2024-06-04"))
    assert (find("is test university open", on=swap), find("the break", on=swap)) == ([], [])


def test_words_that_classes_also_use_do_not_name_a_day_off():
    project = course(session("2020-10-01", "Project kickoff"), session("2020-10-06", "Project work", no_class=True))
    assert find("when is the project due", on=project) == []


def test_a_course_without_holidays_finds_none():
    plain = course(*tue_thu("2020-09-17", "2020-12-10"))
    assert find("after thanksgiving break", on=plain) == []


@pytest.mark.parametrize("text", ["finals week", "during finals week", "the week of finals", "exam week"])
def test_finals_week_is_the_week_the_calendar_calls_so(text):
    mention = one(text)
    assert (span(text), mention.grain, mention.days.label) == (("2020-12-07", "2020-12-13"), "week", "finals week")


def test_finals_week_is_nothing_when_the_calendar_does_not_name_it():
    assert find("finals week", on=course(*tue_thu("2020-09-17", "2020-12-10"))) == []
