"""The loader turns instructor YAML into a Course or into located, specific problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load_course
from bot.knowledge.schema import CourseInfo
from bot.knowledge.yamlfile import read_yaml


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_course(directory)
    return [str(p) for p in caught.value.problems]


def test_times_stay_times_and_words_stay_words(tmp_path):
    data = read_yaml(write(tmp_path / "x.yaml", "start: 10:00\nplace: no\nflag: true\nday: 2020-10-20\n")).data
    assert data == {"start": "10:00", "place": "no", "flag": True, "day": dt.date(2020, 10, 20)}


def test_duplicate_key_names_both_lines(tmp_path):
    with pytest.raises(KnowledgeError) as caught:
        read_yaml(write(tmp_path / "x.yaml", "a: 1\nb: 2\na: 3\n"))
    problem = caught.value.problems[0]
    assert (problem.line, "duplicate key 'a' (first given on line 1)") == (3, problem.message)


def test_tab_indentation_is_explained(tmp_path):
    with pytest.raises(KnowledgeError) as caught:
        read_yaml(write(tmp_path / "x.yaml", "a:\n\tb: 1\n"))
    assert "tab" in caught.value.problems[0].message


def test_python_tags_are_refused(tmp_path):
    with pytest.raises(KnowledgeError) as caught:
        read_yaml(write(tmp_path / "x.yaml", "a: !!python/object/apply:os.system ['true']\n"))
    assert "only plain YAML" in caught.value.problems[0].message


def test_non_utf8_file_is_named(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: ok\nb: caf\xe9\n")
    with pytest.raises(KnowledgeError) as caught:
        read_yaml(path)
    assert (caught.value.problems[0].line, "UTF-8" in caught.value.problems[0].message) == (2, True)


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


def test_friendly_time_and_weekday_spellings():
    info = CourseInfo.model_validate({
        "code": "X 1", "title": "T", "term": "Fall 2020", "institution": "U", "timezone": "UTC",
        "description": "d", "meetings": [{"days": ["tues", "Thursdays"], "start": "4:20pm", "end": "5:40 PM",
                                          "location": "Zoom"}],
    })
    meeting = info.meetings[0]
    assert (meeting.days, meeting.start, meeting.end) == (("Tuesday", "Thursday"), dt.time(16, 20), dt.time(17, 40))


def test_deliverables_get_stable_ids_in_due_order(course):
    ids = [d.id for d in course.deliverables]
    assert ids[:3] == ["readings-1", "readings-2", "homework-1"] and len(ids) == len(set(ids)) == 11
