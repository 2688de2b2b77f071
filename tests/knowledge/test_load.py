"""The loader turns instructor YAML into a Course or into located, specific problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load_course


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_course(directory)
    return [str(p) for p in caught.value.problems]


def test_unknown_key_is_located_with_its_field_path(knowledge_copy):
    text = (knowledge_copy / "calendar.yaml").read_text()
    write(knowledge_copy / "calendar.yaml", text.replace("    topic: \"Adversarial Attacks\"",
                                                          "    topic: \"Adversarial Attacks\"\n    topc: typo"))
    [problem] = problems_of(knowledge_copy)
    line = next(n for n, t in enumerate((knowledge_copy / "calendar.yaml").read_text().splitlines(), 1) if "topc" in t)
    assert f"calendar.yaml:{line}:" in problem and "sessions[9].topc" in problem and "unknown key" in problem


def test_impossible_date_and_bad_time_are_both_reported(knowledge_copy):
    cal = (knowledge_copy / "calendar.yaml").read_text().replace("date: 2020-10-20", "date: 2020-02-30", 1)
    write(knowledge_copy / "calendar.yaml", cal)
    course = (knowledge_copy / "course.yaml").read_text().replace('start: "16:20"', 'start: "25:99"')
    write(knowledge_copy / "course.yaml", course)
    problems = problems_of(knowledge_copy)
    line = next(n for n, t in enumerate(cal.splitlines(), 1) if "2020-02-30" in t)
    assert any(f"calendar.yaml:{line}:" in p and "'2020-02-30' is not a real date" in p for p in problems)
    assert any("course.yaml" in p and "meetings[0].start" in p and "25:99" in p for p in problems)


def test_duplicate_deliverable_ids_are_errors(knowledge_copy):
    cal = (knowledge_copy / "calendar.yaml").read_text().replace("id: homework-2", "id: homework-1")
    write(knowledge_copy / "calendar.yaml", cal)
    [problem] = problems_of(knowledge_copy)
    assert "duplicate deliverable id 'homework-1'" in problem


def test_unknown_time_zone_is_rejected(knowledge_copy):
    course = (knowledge_copy / "course.yaml").read_text().replace("America/Chicago", "Central")
    write(knowledge_copy / "course.yaml", course)
    [problem] = problems_of(knowledge_copy)
    assert "course.yaml:6:" in problem and "unknown time zone 'Central'" in problem


def test_missing_required_file(knowledge_copy):
    (knowledge_copy / "calendar.yaml").unlink()
    assert any("calendar.yaml: is missing" in p for p in problems_of(knowledge_copy))


def test_a_window_deliverable_is_due_at_the_window_end(knowledge_copy):
    calendar = knowledge_copy / "calendar.yaml"
    name = '        name: "Homework 2"\n'
    text = calendar.read_text("utf-8").replace(name, name + "        window: {start: 2020-10-20, end: 2020-10-23}\n")
    calendar.write_text(text, "utf-8")
    due = next(d for d in load_course(knowledge_copy).deliverables if d.id == "homework-2")
    assert (due.opens, due.date) == (dt.date(2020, 10, 20), dt.date(2020, 10, 23))


def test_a_window_that_ends_before_it_starts_is_located(knowledge_copy):
    calendar = knowledge_copy / "calendar.yaml"
    name = '        name: "Homework 2"\n'
    text = calendar.read_text("utf-8").replace(name, name + "        window: {start: 2020-10-23, end: 2020-10-20}\n")
    calendar.write_text(text, "utf-8")
    [problem] = problems_of(knowledge_copy)
    assert "calendar.yaml:" in problem and "window ends (2020-10-20) before it starts (2020-10-23)" in problem


def test_aliases_and_undetermined_values_are_kept_as_data(knowledge_copy):
    course_file = knowledge_copy / "course.yaml"
    course_file.write_text(course_file.read_text("utf-8") + (
        "undetermined:\n  - field: location\n    what: The class location\n    note: To be determined\n"), "utf-8")
    course = load_course(knowledge_copy)
    assert course.info.undetermined[0].what == "The class location"
    assert "CNNs" in next(s for s in course.sessions if s.topic == "Convolutional Filters & Pooling").aliases
