"""Questions to decline before retrieval could find "something near".

Each guard is a general fact about student questions and course pages: a request to do
graded work; asking for a TA, an email or an exam the course doesn't have; a topic the
knowledge never mentions (add/drop, campus services…); another course's number.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import replace
from functools import lru_cache

from bot.answer import compose
from bot.answer.model import Reply
from bot.answer.text import STOPWORDS
from bot.format import day_label
from bot.knowledge import Course

CHEATING = re.compile(
    r"\b(write|do|solve|finish|complete|code|answer|give me|send me|share|show me|tell me)\b.{0,40}"
    r"\b(homework|assignment|code|solution|answers?|project|essay|review|reaction|proposal|paper)\b.{0,30}"
    r"\bfor (me|us)\b"
    r"|\b(answers?|solutions?|solution code) (to|for|of) (the |this |my )?(homework|assignment|quiz|exam|question|problem)"
    r"|\bdo my (homework|assignment|project)\b"
)
EXAM = re.compile(r"\b(midterms?|exams?|quiz(zes)?|tests?)\b")
TA = re.compile(r"\b(ta|tas|teaching assistants?|graders?)\b")
CONTACT = re.compile(r"\b(e-?mails?|phone|cell)\b(?!\s+(the|my|him|her|them|prof\w*|instructor)\b)")
COURSE_CODE = re.compile(r"\b([a-z]{2,5})\s?-?(\d{3})[a-z]?\b")
PREREQUISITE = re.compile(r"\bprereq|\bprerequisite|\brequire|\bbefore (taking|this|the)\b")
# Things a course's own page often lacks: if the knowledge never mentions them, say so.
MISSING_TOPICS = (
    (re.compile(r"\b(drop|withdraw\w*|add/drop|enroll\w*|registration|register|wait-?list\w*)\b"),
     "registration (adding, dropping or withdrawing); the registrar or your adviser can help"),
    (re.compile(r"\b(parking|dining|housing|tuition|financial aid|scholarships?)\b"), "campus services"),
    (re.compile(r"\b(curve[ds]?|curving)\b"), "grade curving"),
    (re.compile(r"\b(recordings?|recorded)\b"), "lecture recordings"),
    (re.compile(r"\b(attendance|attend)\b"), "attendance"),
    (re.compile(r"\b(regrades?|regrading|re-grade)\b"), "regrade requests"),
)


SMALL_TALK = re.compile(r"^\W*(hi|hey|hello|yo|sup|thanks?|thank you|thx|ty|ok(ay)?|cool|nice|great|good (morning|night)"
                        r"|bye|got it|lol|np)( (so much|a lot|bot|coursebot|you))*\W*$")
HELP = "Ask me about this course's deadlines, schedule, policies, readings or office hours — e.g. \"when is the next deadline?\""


def guard(course: Course, course_words: Set[str], text: str) -> Reply | None:
    """A decline (or, for exams the calendar mentions, that calendar entry), else None."""
    if SMALL_TALK.match(text):
        return Reply(f"👋 {HELP}", (), confidence=0.0, answered=False, route="smalltalk")
    if CHEATING.search(text):
        return compose.decline(course, "I can't do graded work for you: assignments must be your own "
                               "original work. I can help with deadlines, policies and readings.")
    return (_exams(course, text) or _missing(course, course_words, text) or _other_course(course, course_words, text)
            or _unknown_number(course, text))


def _unknown_number(course: Course, text: str) -> Reply | None:
    """ "hw3" when the calendar has Homework 1 and 2: say which there are, don't guess."""
    for match in re.finditer(r"\b(homework|reading|project|quiz|exam|lab|assignment)s? (\d{1,2})\b", text):
        kind, number = match[1], match[2]
        same_kind = [d for d in course.deliverables if d.kind == kind or kind in d.name.lower()]
        numbered = [d for d in same_kind if re.search(r"\d", d.name)]
        if numbered and not any(re.search(rf"\b{number}\b", d.name) for d in same_kind):
            listed = ", ".join(f"{d.name} ({day_label(d.date, year=False)})" for d in same_kind)
            return compose.decline(course, f"There is no {kind} {number} on the course calendar; it lists {listed}.")
    return None


def _exams(course: Course, text: str) -> Reply | None:
    if not EXAM.search(text) or {d.kind for d in course.deliverables} & {"exam", "quiz"}:
        return None
    said = [s for s in course.dated_sessions if EXAM.search(s.topic.lower())]
    if said:  # the calendar itself says something about exams ("No final exam")
        return replace(compose.sessions(course, said), confidence=0.9)
    return compose.decline(course, "The course calendar lists no exams or quizzes, so I have no exam details to give.")


def _missing(course: Course, course_words: Set[str], text: str) -> Reply | None:
    info = course.info
    roles = " ".join(s.role.lower() for s in info.staff)
    if TA.search(text) and not re.search(r"\bta|assistant", roles):
        return compose.decline(course, "The course materials don't list a TA.")
    asks_contact = CONTACT.search(text) and not re.search(r"\bif (i|we) e-?mail", text)
    if asks_contact and not any(s.email for s in info.staff):
        return compose.decline(course, "The course materials don't list email addresses or phone numbers.")
    covered = _covered_topics(frozenset(course_words))
    for pattern, topic in MISSING_TOPICS:
        if topic not in covered and pattern.search(text):
            return compose.decline(course, f"The course materials don't cover {topic}.")
    return None


@lru_cache(maxsize=8)
def _covered_topics(course_words: frozenset[str]) -> frozenset[str]:
    """The MISSING_TOPICS the knowledge does mention (computed once per course, not per question)."""
    return frozenset(topic for pattern, topic in MISSING_TOPICS if any(pattern.search(w) for w in course_words))


def _other_course(course: Course, course_words: Set[str], text: str) -> Reply | None:
    """A course number that is not this course's (unless asked about as a prerequisite)."""
    own = set(re.findall(r"\d{3}", course.info.code))
    about_prerequisites = PREREQUISITE.search(text)
    for match in COURSE_CODE.finditer(text):
        if match[1] in STOPWORDS or match[2] in own or (about_prerequisites and match[2] in course_words):
            continue
        info = course.info
        return compose.decline(course, f"I only know about {info.code} {info.title} ({info.term}), "
                               f"not {match[1].upper()} {match[2]}.")
    return None
