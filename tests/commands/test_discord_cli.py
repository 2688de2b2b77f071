"""``coursebot run`` without a token stops at once and says what to set."""

from __future__ import annotations

from bot.cli import main


def test_run_without_a_token_exits_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["run", "--env-file", str(tmp_path / "none.env")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "DISCORD_TOKEN" in err[0] and "coursebot chat" in err[0]


def test_run_validates_the_config_before_connecting(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DISCORD_TOKEN", "x")
    config = tmp_path / "config.yaml"
    config.write_text("discord:\n  rate_limit_questions: 0\n  qa_chanel_id: 5\n")
    assert main(["run", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "config.yaml:2" in err and "rate_limit_questions" in err
    assert "config.yaml:3" in err and "qa_chanel_id" in err


def test_run_stops_with_one_line_when_the_feedback_database_cannot_be_opened(tmp_path, monkeypatch, capsys):
    """Issue 11 (9): `coursebot run` printed a traceback; it now says which file, before loading anything."""
    monkeypatch.setenv("DISCORD_TOKEN", "x")
    database = tmp_path / "feedback.sqlite3"
    database.mkdir()
    config = tmp_path / "config.yaml"
    config.write_text(f"discord:\n  database: {database}\nreminders:\n  enabled: false\n")
    assert main(["run", "--config", str(config)]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert str(database) in line and "can't be opened" in line
