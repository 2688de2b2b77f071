"""From declined questions to FAQ entries and back: after the instructor fills the skeleton in,
the same questions are answered."""

from __future__ import annotations

import datetime as dt
import shutil

from bot.instructor.unanswered import TODO, faq_skeletons, group_questions
from bot.knowledge import load_course
from bot.serving.assemble import build_engine
from bot.serving.feedback import FeedbackStore
from bot.settings import Settings

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

    groups = group_questions(store.declined_or_downvoted(NOW - dt.timedelta(days=7)), embedder)
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
    updated = build_engine(course, Settings(), embedder, index)
    for question in RECORDINGS:
        answer = updated.answer(question, NOW)
        assert answer.answered and "Panopto" in answer.answer
    assert "Dogs are welcome" in updated.answer(DOG, NOW).answer


def test_a_downvoted_answer_counts_as_unanswered(engine, embedder, tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    [(qid, answer)] = record(store, engine, ["when is homework 2 due?"], NOW)
    assert answer.answered and store.declined_or_downvoted(NOW - dt.timedelta(days=1)) == []
    store.record_vote(qid, user_id=99, up=False, at=NOW)
    [item] = store.declined_or_downvoted(NOW - dt.timedelta(days=1))
    assert item.downvotes == 1
    skeleton = faq_skeletons(group_questions([item], embedder), existing_ids={"when-is-homework-2-due"})
    assert "id: \"when-is-homework-2-due-2\"" in skeleton and "voted down 1" in skeleton
