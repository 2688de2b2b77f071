"""Questions to decline before anything is looked up.

Each guard is a general fact about student questions: small talk gets a pointer, a
request to do graded work is refused, and another course's number is not this course.
What the course lacks (an exam, a TA, a topic) is declined on evidence (evidence.py).
"""

from __future__ import annotations

import re
from collections.abc import Set

from bot.answer import compose
from bot.answer.model import Reply
from bot.answer.text import STOPWORDS
from bot.knowledge import Course

CHEATING = re.compile(
    r"\b(write|do|solve|finish|complete|code|answer|give me|send me|share|show me|tell me)\b.{0,40}"
    r"\b(homework|assignment|code|solution|answers?|project|essay|review|reaction|proposal|paper)\b.{0,30}"
    r"\bfor (me|us)\b"
    r"|\b(answers?|solutions?|solution code) (to|for|of) (the |this |my )?"
    r"(homework|assignment|quiz|exam|question|problem)"
    r"|\bdo my (homework|assignment|project)\b"
)
COURSE_CODE = re.compile(r"\b([a-z]{2,5})\s?-?(\d{3})[a-z]?\b")
PREREQUISITE = re.compile(r"\bprereq|\bprerequisite|\brequire|\bbefore (taking|this|the)\b")


SMALL_TALK = re.compile(r"^\W*(hi|hey|hello|yo|sup|thanks?|thank you|thx|ty|ok(ay)?|cool|nice|great"
                        r"|good (morning|night)"
                        r"|bye|got it|lol|np)( (so much|a lot|bot|coursebot|you))*\W*$")
HELP = ("Ask me about this course's deadlines, schedule, policies, readings or office hours — "
        "e.g. \"when is the next deadline?\"")


PERSONAL = re.compile(r"\b(my|mine)\s+(current\s+|final\s+|overall\s+|own\s+)?(grades?|scores?|marks?|standing|"
                      r"submissions?|ranking|rank|average|gpa)\b"
                      r"|\b(what|which)\s+(grade\s+|score\s+|mark\s+)?did\s+i\s+(get|score|receive|earn)\b"
                      r"|\bhow\s+(did|am)\s+i\s+do(ing)?\b|\bdid\s+i\s+pass\b|\bam\s+i\s+passing\b")


def guard(course: Course, course_words: Set[str], text: str) -> Reply | None:
    """A decline (or a friendly pointer for small talk) before any retrieval, else None."""
    if SMALL_TALK.match(text):
        return Reply(f"👋 {HELP}", (), confidence=0.0, answered=False, route="smalltalk")
    if PERSONAL.search(text) and not re.search(r"\b\d{2,3}\b|%|\bif\b", text):  # not "my grade if i get 88"
        return compose.decline(course, "I can't see your grades or submissions — only the course materials.")
    if CHEATING.search(text):
        return compose.decline(course, "I can't do graded work for you: assignments must be your own "
                               "original work. I can help with deadlines, policies and readings.")
    return _other_course(course, course_words, text)


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
