"""Live edits: the watcher reloads after an edit settles; a broken edit keeps the old course."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from bot.instructor.watch import KnowledgeWatcher, stamp, watching
from bot.serving.live import LiveCourse
from bot.settings import Settings

NOW = "2020-10-19T09:00-05:00"
QUESTION = "Are the lectures recorded?"
FAQ_ENTRY = """
  - id: lecture-recordings
    question: "Are the lectures recorded?"
    answer: "Yes: every Zoom lecture is recorded and posted on Canvas under Panopto within a day."
"""


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def live(engine, index_root, knowledge_copy, tmp_path):
    """A LiveCourse on a writable copy, its index copied from the session's (nothing re-embedded)."""
    index = tmp_path / "index"
    shutil.copytree(index_root / "fall2020", index)
    return LiveCourse.start(knowledge_copy, Settings(), index_dir=index)


def test_an_edit_is_picked_up_after_the_debounce(live, knowledge_copy):
    now = dt.datetime.fromisoformat(NOW)
    assert not live.engine.answer(QUESTION, now).answered
    clock = Clock()
    watcher = KnowledgeWatcher(live, debounce_s=1.0, clock=clock)
    assert watcher.poll() is None  # nothing changed
    with (knowledge_copy / "faq.yaml").open("a", encoding="utf-8") as faq:
        faq.write(FAQ_ENTRY)
    assert watcher.poll() is None  # change noticed, debounce starts
    clock.now = 0.5
    assert watcher.poll() is None  # not settled yet
    clock.now = 1.6
    result = watcher.poll()
    assert result is not None and result.ok and result.changed
    answer = live.engine.answer(QUESTION, now)
    assert answer.answered and "Panopto" in answer.answer
    assert watcher.poll() is None  # one edit, one reload


def test_a_broken_edit_keeps_the_old_course_and_reports_located_errors(live, knowledge_copy):
    now = dt.datetime.fromisoformat(NOW)
    reports = []
    live.subscribe(reports.append)
    clock = Clock()
    watcher = KnowledgeWatcher(live, debounce_s=1.0, clock=clock)
    before = live.course
    calendar = knowledge_copy / "calendar.yaml"
    calendar.write_text(calendar.read_text("utf-8").replace("    topic: \"Adversarial Attacks\"",
                                                             "    topic: \"Adversarial Attacks\"\n    toppic: typo"))
    watcher.poll()
    clock.now = 2.0
    result = watcher.poll()
    assert result is not None and not result.ok
    assert live.course is before
    problem = result.problems[0]
    assert problem.file.endswith("calendar.yaml") and problem.line and "toppic" in problem.field
    assert reports == [result] and "still serving the previous course" in result.summary()
    assert "Homework 2" in live.engine.answer("when is homework 2 due?", now).answer


def test_several_quick_saves_give_one_reload(live, knowledge_copy):
    results = []
    live.subscribe(results.append)
    clock = Clock()
    watcher = KnowledgeWatcher(live, debounce_s=1.0, clock=clock)
    for step, name in enumerate(["faq.yaml", "policies.yaml", "readings.yaml"]):
        clock.now = step * 0.4
        (knowledge_copy / name).write_text((knowledge_copy / name).read_text("utf-8") + "\n# edited\n")
        watcher.poll()
    clock.now = 0.8 + 1.01
    watcher.poll()
    clock.now = 5.0
    watcher.poll()
    assert len(results) == 1 and results[0].ok


def test_watching_runs_a_background_thread_and_stops(live):
    with watching(live, debounce_s=0.05) as watcher:
        assert watcher is not None and watcher._thread is not None and watcher._thread.is_alive()
    assert not watcher._thread.is_alive()


def test_stamp_sees_yaml_files_only_and_survives_a_missing_directory(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1\n")
    (tmp_path / "notes.txt").write_text("not knowledge\n")
    assert list(stamp(tmp_path)) == ["a.yaml"]
    assert stamp(tmp_path / "gone") == {}


def test_a_save_during_a_reload_is_served_by_the_next_reload(live, knowledge_copy, monkeypatch):
    """The save lands after faq.yaml was read; the next reload must see it (it used to say "unchanged")."""
    from bot.knowledge.schema import FaqFile

    now = dt.datetime.fromisoformat(NOW)
    faq, policies = knowledge_copy / "faq.yaml", knowledge_copy / "policies.yaml"
    policies.write_text(policies.read_text("utf-8") + "\n# an edit that starts a reload\n", "utf-8")
    validate = FaqFile.model_validate

    def save_meanwhile(data, *args, **kwargs):
        monkeypatch.setattr(FaqFile, "model_validate", validate)  # one save, during the first reload only
        with faq.open("a", encoding="utf-8") as out:
            out.write(FAQ_ENTRY)
        return validate(data, *args, **kwargs)

    monkeypatch.setattr(FaqFile, "model_validate", save_meanwhile)
    first = live.reload()
    assert first.ok and first.changed and not live.engine.answer(QUESTION, now).answered
    second = live.reload()
    assert second.ok and second.changed, second.summary()
    assert "Panopto" in live.engine.answer(QUESTION, now).answer


def test_a_fifo_fails_the_reload_quickly_and_a_later_good_edit_is_served(live, knowledge_copy):
    """A FIFO used to block the reload (and the watcher thread) forever."""
    import os
    import threading

    now = dt.datetime.fromisoformat(NOW)
    faq = knowledge_copy / "faq.yaml"
    good = faq.read_text("utf-8") + FAQ_ENTRY
    clock = Clock()
    watcher = KnowledgeWatcher(live, debounce_s=1.0, clock=clock)
    faq.unlink()
    os.mkfifo(faq)
    results: list = []
    watcher.poll()
    clock.now = 2.0
    worker = threading.Thread(target=lambda: results.append(watcher.poll()), daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():
        os.close(os.open(faq, os.O_WRONLY | os.O_NONBLOCK))  # let the blocked reader go
        worker.join(10)
        pytest.fail("a reload with a FIFO in knowledge/ blocked for more than 10 s")
    [failed] = results
    assert failed is not None and not failed.ok and "not a regular file (a FIFO)" in failed.problems[0].message
    faq.unlink()
    faq.write_text(good, "utf-8")
    watcher.poll()
    clock.now = 4.0
    result = watcher.poll()
    assert result is not None and result.ok and "Panopto" in live.engine.answer(QUESTION, now).answer
