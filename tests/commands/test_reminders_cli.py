"""``coursebot reminders`` and ``coursebot calendar``, driven in-process; the .ics read back by icalendar."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = str(ROOT / "knowledge")
CONFIG = str(ROOT / "config.yaml")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--knowledge", KNOWLEDGE, "--config", CONFIG, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_reminders_table_lists_the_next_days(capsys):
    code, out, _ = run(capsys, "reminders", "--now", "2020-10-12T09:00-05:00", "--days", "10")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["fires", "lead", "deliverable", "due", "points"]
    assert "Mon Oct 19, 11:59pm CDT  1d    Homework 2   Tue Oct 20, 11:59pm CDT  10 points" in out
    assert len(lines) == 6


def test_dry_run_prints_every_message_in_order(capsys):
    code, out, _ = run(capsys, "reminders", "--dry-run", "--from", "2020-10-27T00:00-05:00",
                       "--to", "2020-11-02T00:00-06:00")
    assert code == 0
    headers = [line for line in out.splitlines() if line.startswith("--- ")]
    assert headers == ["--- Wed Oct 28, 11:59pm CDT ---", "--- Thu Oct 29, 9:59pm CDT ---",
                       "--- Thu Oct 29, 11:59pm CDT ---"]
    assert out.count("Project proposal") == 2 and "Project Readings" in out
    assert "Thu Nov 5, 11:59pm CST" in out  # the deadline after the DST change, in standard time


def test_dry_run_needs_a_window(capsys):
    code, _, err = run(capsys, "reminders", "--dry-run", "--from", "2020-10-27T00:00-05:00")
    assert code == 2 and "--dry-run needs --from ISO and --to ISO" in err


def test_calendar_export_is_valid_ics_with_stable_uids(capsys, tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run(capsys, "calendar", "--ics", str(first))[0] == 0
    assert run(capsys, "calendar", "--ics", str(second))[0] == 0
    cal = icalendar.Calendar.from_ical(first.read_bytes())
    events = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)) == 11 + 23  # deliverables + class meetings
    assert uids == [str(e["UID"]) for e in icalendar.Calendar.from_ical(second.read_bytes()).walk("VEVENT")]
    hw2 = next(e for e in events if str(e["UID"]).startswith("due-homework-2@"))
    start = hw2.decoded("DTSTART")
    assert str(start.tzinfo) == "America/Chicago" and start.isoformat() == "2020-10-20T23:59:00-05:00"
    after_dst = next(e for e in events if str(e["UID"]).startswith("class-2020-11-03@")).decoded("DTSTART")
    assert after_dst.utcoffset() == dt.timedelta(hours=-6)  # 4:20pm CST, not CDT
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["America/Chicago"]


@pytest.mark.parametrize("command", ["reminders", "calendar"])
def test_help_has_an_example(capsys, command):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "Example: coursebot " + command in capsys.readouterr().out


def test_the_commands_do_not_load_the_model(tmp_path):
    script = ("import sys; from bot.cli import main; "
              f"main(['--knowledge', {KNOWLEDGE!r}, '--config', {CONFIG!r}, 'reminders', '--now', "
              "'2020-10-12T09:00-05:00']); "
              "print(sorted(m for m in ('torch', 'sentence_transformers', 'faiss') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.splitlines()[-1] == "[]"
