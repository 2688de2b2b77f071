"""coursebot check: each warning on a tiny knowledge directory, and located errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from helpers import KNOWLEDGE, SPRING2024, TINY_CALENDAR, TINY_COURSE, course_dir

from bot.instructor.check import check_course
from bot.knowledge import load_course


def warnings(directory: Path) -> list[str]:
    return [str(w) for w in check_course(load_course(directory), directory)]


def test_a_clean_course_has_no_warnings(tmp_path):
    assert warnings(course_dir(tmp_path)) == []


def test_the_shipped_courses_have_no_warnings():
    for directory in (KNOWLEDGE, SPRING2024):
        assert warnings(directory) == []


def test_deliverable_on_a_no_class_day(tmp_path):
    calendar = TINY_CALENDAR.replace("    topic: More\n", "    topic: Holiday\n    no_class: true\n")
    found = warnings(course_dir(tmp_path, calendar=calendar))
    assert len(found) == 1
    assert "calendar.yaml:10:" in found[0] and "'Homework 1' is due on 2020-09-17, a day marked no_class" in found[0]


def test_deliverable_on_a_day_class_does_not_meet(tmp_path):
    calendar = TINY_CALENDAR.replace("2020-09-17", "2020-09-19")  # a Saturday
    found = warnings(course_dir(tmp_path, calendar=calendar))
    assert found == [f"{tmp_path}/knowledge/calendar.yaml:9:9: sessions[1].due[0].name: 'Homework 1' is due on "
                     "Saturday 2020-09-19, not a class day (class meets Tue, Thu)"]


def test_deliverable_outside_the_term(tmp_path):
    calendar = TINY_CALENDAR.replace("2020-09-17", "2021-09-16")  # a Thursday, but the wrong year
    found = warnings(course_dir(tmp_path, calendar=calendar))
    assert any("calendar.yaml:5:" in w and "deliverable due on 2021-09-16 is outside the term 'Fall 2020'" in w
               for w in found)


def test_session_far_from_the_rest_of_the_term(tmp_path):
    calendar = TINY_CALENDAR.replace("2020-09-22", "2020-12-22")
    found = warnings(course_dir(tmp_path, calendar=calendar))
    assert any("session on 2020-12-22 is more than 35 days from any other date" in w for w in found)


def test_class_on_a_weekday_that_is_not_a_meeting_day(tmp_path):
    calendar = TINY_CALENDAR.replace("2020-09-15", "2020-09-14")  # a Monday
    found = warnings(course_dir(tmp_path, calendar=calendar))
    assert len(found) == 1 and "calendar.yaml:2:" in found[0]
    assert "2020-09-14 is a Monday, but class meets Tue, Thu" in found[0]


def test_text_whose_weekday_does_not_match_its_date(tmp_path):
    calendar = TINY_CALENDAR.replace("    topic: End\n", "    topic: End\n    note: Review session Tue Sep 23.\n")
    found = warnings(course_dir(tmp_path, calendar=calendar))
    assert len(found) == 1 and "sessions[2].note" in found[0] and "2020-09-23 is a Wednesday, not a Tuesday" in found[0]


def test_duplicate_deliverable_names_on_one_date(tmp_path):
    calendar = TINY_CALENDAR.replace("        points: 10\n", "        points: 10\n      - name: homework 1\n"
                                "        kind: homework\n        id: hw1-again\n")
    found = warnings(course_dir(tmp_path, calendar=calendar))
    assert len(found) == 1 and "sessions[1].due[1].name" in found[0] and "listed twice on 2020-09-17" in found[0]


def test_duplicate_policy_titles(tmp_path):
    policies = """\
    policies:
      - id: late
        title: Late work
        text: No late work.
      - id: late-2
        title: Late work
        text: Really, none.
    """
    found = warnings(course_dir(tmp_path, policies=policies))
    assert found == [f"{tmp_path}/knowledge/policies.yaml:6:5: policies[1].title: title 'Late work' is used twice"]


def test_points_that_do_not_add_up(tmp_path):
    found = warnings(course_dir(tmp_path, course=TINY_COURSE + "grading_total: 100\n"))
    assert len(found) == 1 and "course.yaml:12:" in found[0]
    assert "points add up to 10, but grading_total is 100" in found[0]


def test_extra_credit_explains_a_difference(tmp_path):
    calendar = TINY_CALENDAR.replace("        points: 10\n", "        points: 100\n") + (
        "    due:\n      - name: Extra credit reading\n        kind: reading\n        points: 8\n")
    assert warnings(course_dir(tmp_path, course=TINY_COURSE + "grading_total: 100\n", calendar=calendar)) == []
    found = warnings(course_dir(tmp_path, course=TINY_COURSE + "grading_total: 90\n", calendar=calendar))
    assert len(found) == 1 and "extra credit may explain part of the difference" in found[0]


def test_reading_without_a_link(tmp_path):
    readings = """\
    topics:
      - topic: Basics
        items:
          - title: Linked
            url: https://example.org
          - title: Unlinked
    """
    found = warnings(course_dir(tmp_path, readings=readings))
    assert found == [f"{tmp_path}/knowledge/readings.yaml:6:9: topics[0].items[1].title: reading 'Unlinked' has no "
                     "link (add url: so students can find it)"]


def test_policy_that_counts_lectures_differently(tmp_path):
    policies = """\
    policies:
      - id: participation
        title: Participation
        text: There are 20 lectures this term; pick 2 lectures to be on call.
    """
    found = warnings(course_dir(tmp_path, policies=policies))
    assert len(found) == 1 and "says 'There are 20 lectures', but the calendar has 3 class days" in found[0]
    policies = policies.replace("20 lectures", "3 lectures")
    assert warnings(course_dir(tmp_path, policies=policies)) == []


def test_policy_says_no_class_on_a_class_day(tmp_path):
    policies = """\
    policies:
      - id: holiday
        title: Holiday
        text: There is no class on Sep 22 (holiday).
    """
    found = warnings(course_dir(tmp_path, policies=policies))
    assert len(found) == 1 and "says there is no class on 2020-09-22, but the calendar has 'End' then" in found[0]


def test_policy_puts_a_deliverable_on_another_date(tmp_path):
    policies = """\
    policies:
      - id: hw
        title: Homework
        text: Homework 1 is due Sep 24.
    """
    found = warnings(course_dir(tmp_path, policies=policies))
    assert len(found) == 1 and "puts 'Homework 1' on 2020-09-24, but the calendar has it on 2020-09-17" in found[0]


def test_policy_dates_are_read_after_each_name_and_a_window_has_two(tmp_path):
    policies = """\
    policies:
      - id: hw
        title: Homework
        text: Reading 0 is on Sep 15 and Homework 1 on Sep 17. Homework 1 is released Sep 15 and due Sep 17.
    """
    assert warnings(course_dir(tmp_path, policies=policies)) == []


def test_a_date_for_a_message_or_for_something_else_is_not_the_deliverables(tmp_path):
    policies = """\
    policies:
      - id: help
        title: Accommodations
        text: Send your letter to Dr. Ames (by Sep 10) so we can plan for Homework 1. Tell Prof. Ames by Sep 3 if
          Homework 1 clashes with a holiday. A help session on Sep 14 is for Homework 1.
    """
    assert warnings(course_dir(tmp_path, policies=policies)) == []


def test_faq_answer_still_todo(tmp_path):
    faq = """\
    faq:
      - id: recordings
        question: Are lectures recorded?
        answer: TODO
    """
    found = warnings(course_dir(tmp_path, faq=faq))
    assert found == [f"{tmp_path}/knowledge/faq.yaml:4:5: faq[0].answer: the answer to 'Are lectures recorded?' "
                     "is still TODO: students would be shown it"]


def test_each_undetermined_fact_is_a_warning_and_a_tbd_room_without_one_too(tmp_path):
    course = TINY_COURSE.replace("    location: Room 1", "    location: TBD") + (
        "undetermined:\n  - field: office_hours\n    what: Kevin Liu's office hours\n    person: Kevin Liu\n"
        "    note: TBA\n")
    found = warnings(course_dir(tmp_path, course=course))
    assert any("course.yaml:" in w and "not decided yet: Kevin Liu's office hours (the page says 'TBA')" in w
               for w in found)
    assert any("the location 'TBD' is not decided yet" in w for w in found)


def test_check_parses_each_file_once_however_many_warnings(tmp_path, monkeypatch):
    """Each warning used to re-parse its file: 500 sessions with 432 warnings took 166 s."""
    import yaml

    sessions = "".join(f"  - date: 2020-09-{day:02d}\n    topic: Day {day}\n    due:\n      - name: Work {day}\n"
                       f"        kind: homework\n" for day in range(1, 31) if day not in (15, 17, 22))
    directory = course_dir(tmp_path, calendar=TINY_CALENDAR + sessions)
    course = load_course(directory)
    parses = []
    parse = yaml.constructor.BaseConstructor.get_single_data
    monkeypatch.setattr(yaml.constructor.BaseConstructor, "get_single_data",
                        lambda loader: parses.append(1) or parse(loader))
    found = check_course(course, directory)
    assert len(found) > 20 and all(w.line for w in found)
    assert len(parses) <= 2, f"{len(parses)} parses for {len(found)} warnings"
    unplaced = dataclasses.replace(course, positions={})  # a Course built by hand: check parses, once per file
    assert check_course(unplaced, directory) == found and len(parses) <= 2
