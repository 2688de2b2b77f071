"""From declined questions to FAQ entries and back: after the instructor fills the skeleton in,
the same questions are answered."""

from __future__ import annotations

import datetime as dt
import shutil

from bot.cli import main
from bot.config import Settings
from bot.feedback import FeedbackStore
from bot.index import open_index
from bot.instructor.unanswered import TODO, faq_skeletons, group_questions, recent_unanswered
from bot.knowledge import load_course
from bot.runtime import build_engine

NOW = dt.datetime.fromisoformat("2020-10-19T09:00-05:00")
RECORDINGS = ["Are the lectures recorded?", "Where can I watch lecture recordings?",
              "Will lectures be recorded and posted online?"]
DOG = "Can I bring my dog to lecture?"
ANSWERS = {"lecture": "Yes: every Zoom lecture is recorded and posted on Canvas under Panopto within a day.",
           "dog": "Dogs are welcome on camera during Zoom lectures, as long as they stay muted."}


def record(store: FeedbackStore, engine, questions, start: dt.datetime) -> list:
    answers = []
    for n, question in enumerate(questions):
        answer = engine.answer(question, NOW)
        qid = store.record_question(asked_at=start + dt.timedelta(minutes=n), user_id=n, channel="dm",
                                    question=question, answered=answer.answered, confidence=answer.confidence,
                                    answer=answer.answer)
        answers.append((qid, answer))
    return answers


def test_declined_questions_become_faq_entries_that_answer_them(engine, embedder, index_root, knowledge_copy,
                                                                tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    asked = record(store, engine, [*RECORDINGS, DOG, RECORDINGS[0], "when is homework 2 due?"], NOW)
    assert [a.answered for _, a in asked] == [False, False, False, False, False, True]
    record(store, engine, ["Is there a final exam?"], NOW - dt.timedelta(days=30))  # too old to list

    groups = group_questions(recent_unanswered(store.path, NOW - dt.timedelta(days=7)), embedder)
    wordings = [sorted(q.question for q in g.questions) for g in groups]
    assert wordings == [sorted(RECORDINGS), [DOG]]
    assert groups[0].questions[0].question == RECORDINGS[0] and groups[0].asked == 4

    skeleton = faq_skeletons(groups, existing_ids={e.id for e in load_course(knowledge_copy).faq})
    assert skeleton.count(TODO) == 2
    filled = skeleton.replace(TODO, ANSWERS["lecture"], 1).replace(TODO, ANSWERS["dog"], 1)
    with (knowledge_copy / "faq.yaml").open("a", encoding="utf-8") as faq:
        faq.write("\n" + filled)

    course = load_course(knowledge_copy)
    index = tmp_path / "index"
    shutil.copytree(index_root / "fall2020", index)
    updated = build_engine(course, Settings(), open_index(course, embedder, index), embedder)
    for question in RECORDINGS:
        answer = updated.answer(question, NOW)
        assert answer.answered and "Panopto" in answer.answer
    assert "Dogs are welcome" in updated.answer(DOG, NOW).answer


def test_a_downvoted_answer_counts_as_unanswered(engine, embedder, tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    [(qid, answer)] = record(store, engine, ["when is homework 2 due?"], NOW)
    assert answer.answered and recent_unanswered(store.path, NOW - dt.timedelta(days=1)) == []
    store.record_vote(qid, user_id=99, up=False, at=NOW)
    [item] = recent_unanswered(store.path, NOW - dt.timedelta(days=1))
    assert item.downvotes == 1
    skeleton = faq_skeletons(group_questions([item], embedder), existing_ids={"when-is-homework-2-due"})
    assert "id: \"when-is-homework-2-due-2\"" in skeleton and "voted down 1" in skeleton


def test_unanswered_command_prints_skeletons(engine, tmp_path, capsys):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    record(store, engine, RECORDINGS, NOW)
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
