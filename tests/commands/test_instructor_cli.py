"""``coursebot check``, ``import`` and ``unanswered``: exit codes, located errors, what they print."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import SEED, TINY_CALENDAR, TINY_COURSE, course_dir

from bot.cli import main
from bot.serving.feedback import FeedbackStore

DECLINED = ["Are the lectures recorded?", "Where can I watch lecture recordings?",
            "Will lectures be recorded and posted online?"]


def test_check_command_reports_located_errors_and_exits_nonzero(tmp_path, capsys):
    directory = course_dir(tmp_path, calendar=TINY_CALENDAR.replace("points: 10", "points: lots"))
    config = tmp_path / "config.yaml"
    config.write_text("engine:\n  min_confidence: 2\n")
    assert main(["check", "--knowledge", str(directory), "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "error: " in out and "calendar.yaml:11:9: sessions[1].due[0].points:" in out
    assert "config.yaml:2:3: engine.min_confidence:" in out


@pytest.mark.parametrize("strict, code", [(False, 0), (True, 1)])
def test_check_command_warnings_exit_zero_unless_strict(tmp_path, capsys, strict, code):
    directory = course_dir(tmp_path, course=TINY_COURSE + "grading_total: 100\n")
    args = ["check", "--knowledge", str(directory), "--config", str(tmp_path / "none.yaml")]
    (tmp_path / "none.yaml").write_text("{}\n")
    assert main(args + (["--strict"] if strict else [])) == code
    assert "warning: " in capsys.readouterr().out


def test_import_command_writes_files_that_pass_check(tmp_path, capsys):
    page = SEED / "course-page-fall2020.md"
    assert main(["import", str(page), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "wrote course.yaml, calendar.yaml" in out and "guess(es) marked '# REVIEW:'" in out
    assert main(["check", "--knowledge", str(tmp_path / "out")]) == 0
    assert main(["import", str(page), "--out", str(tmp_path / "out")]) == 2  # refuses to overwrite


def test_unanswered_command_prints_skeletons(embedder, tmp_path, capsys):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    for n, question in enumerate(DECLINED):
        store.record_question(asked_at=dt.datetime.fromisoformat("2020-10-19T09:00-05:00") + dt.timedelta(minutes=n),
                              user_id=n, channel="dm", question=question, answered=False, confidence=0.1,
                              answer="I don't know.")
    args = ["unanswered", "--db", str(store.path), "--now", "2020-10-20T09:00-05:00", "--days", "3"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "3 question(s) in 1 group(s)" in out and out.count("- id:") == 1
    assert main(["unanswered", "--db", str(tmp_path / "missing.sqlite3")]) == 2


def test_unanswered_on_a_damaged_database_says_so_in_one_line(tmp_path, capsys, caplog):
    """Issue 11 (9): `coursebot unanswered` printed a traceback on a damaged feedback file."""
    database = tmp_path / "feedback.sqlite3"
    database.write_bytes(b"\x00garbage, not SQLite" * 300)
    assert main(["unanswered", "--db", str(database)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    [warning] = [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()]
    assert "moved it to feedback.sqlite3.damaged-" in warning and "\n" not in warning
    assert "no declined or downvoted questions" in captured.out


def test_unanswered_on_a_database_that_cannot_be_opened_is_one_line(tmp_path, capsys):
    """Issue 11 (9): a path SQLite can't open (here a folder) gave a traceback, not a message."""
    database = tmp_path / "feedback.sqlite3"
    database.mkdir()
    assert main(["unanswered", "--db", str(database)]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert str(database) in line and "can't be opened" in line
