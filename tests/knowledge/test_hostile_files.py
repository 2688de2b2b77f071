"""Knowledge files that are not what they seem: saves mid-load, alias bombs, devices, FIFOs, links.

Each test reproduces a defect of issue 11; every outcome must be a whole course or one
located, specific problem per file, quickly and in bounded memory.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, knowledge_hash, load_course, yamlfile
from bot.knowledge.schema import FaqFile

FIFO_TIMEOUT_S = 5.0


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_course(directory)
    return [str(p) for p in caught.value.problems]


def replace_with_link(path: Path, target: str | Path) -> None:
    path.unlink()
    path.symlink_to(target)


# -- (3) the hash is of the bytes that were parsed -------------------------------------------


def test_a_save_during_loading_is_not_recorded_as_loaded(knowledge_copy, monkeypatch):
    """A save that lands after faq.yaml was read must leave the course's hash different from the disk's."""
    faq = knowledge_copy / "faq.yaml"
    validate = FaqFile.model_validate

    def save_meanwhile(data, *args, **kwargs):
        faq.write_text(faq.read_text("utf-8") + "\n# saved while the course was loading\n", "utf-8")
        return validate(data, *args, **kwargs)

    monkeypatch.setattr(FaqFile, "model_validate", save_meanwhile)
    course = load_course(knowledge_copy)
    monkeypatch.undo()
    assert "saved while" not in str(course.faq)
    assert course.source_hash != knowledge_hash(knowledge_copy), "the save would be reported as already loaded"
    assert load_course(knowledge_copy).source_hash == knowledge_hash(knowledge_copy)


# -- (6) aliases ------------------------------------------------------------------------------


def test_an_alias_is_refused_with_its_line(knowledge_copy):
    calendar = knowledge_copy / "calendar.yaml"
    text = calendar.read_text("utf-8").replace('topic: "Course basics"', 'topic: &basics "Course basics"', 1)
    text = text.replace('topic: "The perceptron"', "topic: *basics", 1)
    calendar.write_text(text, "utf-8")
    [problem] = problems_of(knowledge_copy)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "&basics" in t)
    assert f"calendar.yaml:{line}:" in problem and "anchor" in problem and "write the value out" in problem


def test_an_alias_bomb_that_fits_the_schema_is_refused_quickly(knowledge_copy):
    """300 sessions each due an alias of a 300-deliverable list: 90,000 deliverables from 9 KB."""
    items = ", ".join(["&d {name: x, kind: other}"] + ["*d"] * 299)
    text = f"sessions:\n  - topic: t\n    due: &D [{items}]\n" + "  - {topic: t, due: *D}\n" * 300
    (knowledge_copy / "calendar.yaml").write_text(text, "utf-8")
    [problem] = problems_of(knowledge_copy)
    assert "calendar.yaml:3:" in problem and "anchor" in problem


# -- (7) only regular files, read up to a cap --------------------------------------------------


def test_a_symlink_to_dev_zero_is_refused(knowledge_copy):
    replace_with_link(knowledge_copy / "faq.yaml", "/dev/zero")
    [problem] = problems_of(knowledge_copy)
    assert problem.endswith("faq.yaml: is not a regular file (a character device); knowledge files must be plain files")


def test_a_fifo_is_refused_without_blocking(knowledge_copy):
    fifo = knowledge_copy / "faq.yaml"
    fifo.unlink()
    os.mkfifo(fifo)
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(_load_or_error(knowledge_copy)), daemon=True)
    worker.start()
    worker.join(FIFO_TIMEOUT_S)
    if worker.is_alive():  # unblock the stuck reader so the test run can end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(FIFO_TIMEOUT_S)
        pytest.fail(f"loading a knowledge folder holding a FIFO blocked for more than {FIFO_TIMEOUT_S} s")
    [error] = outcome
    assert isinstance(error, KnowledgeError)
    [message] = [p.message for p in error.problems]
    assert message == "is not a regular file (a FIFO); knowledge files must be plain files"


def _load_or_error(directory: Path) -> object:
    try:
        return load_course(directory)
    except KnowledgeError as exc:
        return exc


def test_the_size_cap_is_enforced_by_reading_not_by_st_size(knowledge_copy, monkeypatch):
    """/proc files are regular but report st_size 0: the cap must hold for what is actually read."""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc")
    monkeypatch.setattr(yamlfile, "MAX_FILE_BYTES", 64)
    replace_with_link(knowledge_copy / "faq.yaml", "/proc/self/status")
    problems = problems_of(knowledge_copy)
    assert any(p.endswith("faq.yaml: is more than 64 bytes; the limit is 64") for p in problems), problems


def test_a_directory_in_place_of_a_file_is_named(knowledge_copy):
    (knowledge_copy / "faq.yaml").unlink()
    (knowledge_copy / "faq.yaml").mkdir()
    [problem] = problems_of(knowledge_copy)
    assert problem.endswith("faq.yaml: is not a regular file (a directory); knowledge files must be plain files")


# -- smaller messages --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["calendar.yaml", "faq.yaml"])  # required and optional
def test_a_symlink_loop_is_called_a_symlink_loop(knowledge_copy, name):
    replace_with_link(knowledge_copy / name, name)
    [problem] = problems_of(knowledge_copy)
    assert problem.endswith(f"{name}: is a symlink loop (it points back to itself); replace it with the file")


def test_a_dangling_symlink_names_its_target(knowledge_copy):
    replace_with_link(knowledge_copy / "faq.yaml", knowledge_copy / "gone.yaml")
    [problem] = problems_of(knowledge_copy)
    assert problem.endswith(f"faq.yaml: is a symlink to {knowledge_copy / 'gone.yaml'}, which does not exist")


def test_a_date_written_as_a_number_says_how_to_write_it(knowledge_copy):
    calendar = knowledge_copy / "calendar.yaml"
    calendar.write_text(calendar.read_text("utf-8").replace("date: 2020-09-17", "date: 20200917", 1), "utf-8")
    [problem] = problems_of(knowledge_copy)
    assert problem.endswith("sessions[0].date: expected a date written 2020-09-17, got the number 20200917")


def test_a_window_date_written_as_a_number_says_how_to_write_it(knowledge_copy):
    calendar = knowledge_copy / "calendar.yaml"
    window = '        name: "Homework 2"\n        window: {start: 20201020, end: 2020-10-23}\n'
    calendar.write_text(calendar.read_text("utf-8").replace('        name: "Homework 2"\n', window), "utf-8")
    [problem] = problems_of(knowledge_copy)
    assert "window.start: expected a date written 2020-10-20, got the number 20201020" in problem


def test_a_huge_wrong_value_is_not_echoed_whole(knowledge_copy):
    """A 1 MB string where a number belongs gave a 1 MB error line (for the log and the staff channel)."""
    calendar = knowledge_copy / "calendar.yaml"
    text = calendar.read_text("utf-8").replace("    week: 1\n", f"    week: {'x' * 1_000_000}\n", 1)
    calendar.write_text(text, "utf-8")
    [problem] = problems_of(knowledge_copy)
    assert len(problem) < 400 and "sessions[0].week: input should be a valid integer" in problem
    assert problem.endswith(f"got '{'x' * 27}...{'x' * 28}' (1,000,000 characters)")
