"""Adding one FAQ entry: appended as text (comments and layout kept), checked by loading the course, atomic."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
import yaml

from bot.instructor import faq_write
from bot.instructor.faq_write import FaqWriteError, NewFaq, add_faq, append_entry, suggest_id
from bot.knowledge import load_course

ENTRY = NewFaq("lecture-recordings", "Are the lectures recorded?",
               'Yes: every lecture is on Canvas under "Panopto" within a day.\nAsk a TA if one is missing.',
               comment="Saved from Discord: https://discord.com/channels/1/2")
FILES_PRESENT = [p.name for p in (Path(__file__).resolve().parents[2] / "knowledge").iterdir()]


def test_the_entry_is_appended_and_every_byte_before_it_is_kept(knowledge_copy):
    path = knowledge_copy / "faq.yaml"
    before = path.read_bytes()
    add_faq(knowledge_copy, ENTRY)
    after = path.read_bytes()
    assert after.startswith(before)  # comments, order, folded answers: untouched
    assert b"# Saved from Discord: https://discord.com/channels/1/2\n  - id:" in after
    course = load_course(knowledge_copy)
    added = course.faq[-1]
    assert (added.id, added.question, added.answer) == (ENTRY.id, ENTRY.question, ENTRY.answer)
    assert [e.id for e in course.faq[:-1]] == [e["id"] for e in yaml.safe_load(before)["faq"]]
    assert not [p for p in knowledge_copy.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(("text", "indent"), [
    ("", None), ("# only a comment\n", None), ("faq:\n", 2), ("faq:\n- id: a\n  question: q\n  answer: a", 0),
    ("\ufefffaq:\r\n    - id: a\r\n      question: q\r\n      answer: a\r\n", 4),
])
def test_the_list_is_continued_at_its_own_indentation(text, indent):
    raw = text.encode("utf-8")
    result = append_entry(raw, ENTRY)
    assert result.startswith(raw)
    entries = yaml.safe_load(result.decode("utf-8-sig"))["faq"]
    assert entries[-1]["id"] == ENTRY.id and entries[-1]["answer"] == ENTRY.answer
    if indent is not None:
        assert f"\n{' ' * indent}- id: \"{ENTRY.id}\"" in result.decode("utf-8-sig")


def test_text_that_looks_like_yaml_stays_text():
    tricky = NewFaq("tricky", "no", "yes: 10:00 - [x] {y} # not a comment\n\tand ' quotes \"")
    entry = yaml.safe_load(append_entry(b"faq:\n", tricky))["faq"][-1]
    assert entry == {"id": "tricky", "question": "no", "answer": tricky.answer}


def test_a_broken_faq_yaml_is_left_untouched(knowledge_copy):
    path = knowledge_copy / "faq.yaml"
    path.write_text(path.read_text() + "  - id: [broken\n")
    before = path.read_bytes()
    with pytest.raises(FaqWriteError, match="not valid YAML"):
        add_faq(knowledge_copy, ENTRY)
    assert path.read_bytes() == before


@pytest.mark.parametrize(("entry", "message"), [
    (NewFaq("Bad Id", "q?", "a"), "lowercase letters"),
    (NewFaq("zoom-link", "q?", "a"), "already in faq.yaml"),
    (NewFaq("fine", "q?", " "), "must both have text"),
])
def test_an_invalid_entry_changes_nothing_and_says_why(knowledge_copy, entry, message):
    before = (knowledge_copy / "faq.yaml").read_bytes()
    with pytest.raises(FaqWriteError, match=message):
        add_faq(knowledge_copy, entry)
    assert (knowledge_copy / "faq.yaml").read_bytes() == before


def test_an_entry_the_course_loader_rejects_is_not_written(knowledge_copy):
    calendar = knowledge_copy / "calendar.yaml"
    calendar.write_text(calendar.read_text().replace("week: 1", "week: one", 1))  # another file is broken
    before = (knowledge_copy / "faq.yaml").read_bytes()
    with pytest.raises(FaqWriteError, match=r"(?s)would not load.*calendar\.yaml:\d+") as failed:
        add_faq(knowledge_copy, ENTRY)
    assert str(knowledge_copy / "calendar.yaml") in str(failed.value)  # the real path, not the scratch copy
    assert (knowledge_copy / "faq.yaml").read_bytes() == before


def test_a_failed_write_changes_nothing(knowledge_copy, monkeypatch):
    before = (knowledge_copy / "faq.yaml").read_bytes()

    def disk_full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(faq_write.os, "replace", disk_full)
    with pytest.raises(FaqWriteError, match="could not write .*No space left"):
        add_faq(knowledge_copy, ENTRY)
    assert (knowledge_copy / "faq.yaml").read_bytes() == before
    assert sorted(p.name for p in knowledge_copy.iterdir()) == sorted(FILES_PRESENT)  # no temp file left


def test_faq_yaml_edited_meanwhile_is_not_overwritten(knowledge_copy, monkeypatch):
    path = knowledge_copy / "faq.yaml"
    validate = faq_write._validate

    def instructor_saves_meanwhile(knowledge, faq):
        validate(knowledge, faq)
        path.write_text(path.read_text() + "# edited in an editor\n")

    monkeypatch.setattr(faq_write, "_validate", instructor_saves_meanwhile)
    with pytest.raises(FaqWriteError, match="changed while"):
        add_faq(knowledge_copy, ENTRY)
    assert path.read_text().endswith("# edited in an editor\n")


def test_a_symlinked_faq_yaml_is_refused(knowledge_copy, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_bytes((knowledge_copy / "faq.yaml").read_bytes())
    (knowledge_copy / "faq.yaml").unlink()
    (knowledge_copy / "faq.yaml").symlink_to(outside)
    with pytest.raises(FaqWriteError, match="not a regular file"):
        add_faq(knowledge_copy, ENTRY)


def test_suggested_ids_are_free_slugs():
    assert suggest_id("Are the lectures recorded?", {"zoom-link"}) == "are-the-lectures-recorded"
    assert suggest_id("Are the lectures recorded?", {"are-the-lectures-recorded"}) == "are-the-lectures-recorded-2"
    assert suggest_id("???", set()) == "item"
