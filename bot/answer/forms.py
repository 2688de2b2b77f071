"""Canonical questions: every operation x target x filter the course's structure supports.

Each form is a query shape with a few plain phrasings in which entities are typed
placeholders: ``X`` for a named thing (a deliverable, a lecture topic, a person, a paper)
or a kind of thing ("homeworks"), ``then`` for a time. A student's question, with its own
mentions replaced the same way, is matched against every phrasing by embedding
similarity; the nearest form whose slots the question can fill gives the plan. Forms are
generated from the course: no points forms without points, no office-hours forms
without office hours.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answer.understand.words import Attribute, Operation, Target
from bot.knowledge import Course

ENTITY = "X"  # the placeholder for any named thing or kind of thing
TIME = "then"  # the placeholder for a time expression
COURSE = "the course"  # what the course's own title or code is replaced by

# Slot names a form needs: "x" a named thing or kind, "x2" two of them, "time" a time, "anchor" a named
# event with a relation word ("after X"), "kind" a kind or class of things.


@dataclass(frozen=True)
class Form:
    key: str
    target: Target
    operation: Operation
    attribute: Attribute | None
    slots: frozenset[str]
    phrasings: tuple[str, ...]
    nth: int | None = None  # the ordinal the form itself means ("when does the course start" is the first class)
    anchors: frozenset[str] = frozenset()  # what its anchor may be ("lecture", "time"…); empty = any dated thing


def _f(key: str, target: Target, operation: Operation, attribute: Attribute | None, slots: str,
       *phrasings: str, nth: int | None = None, anchors: str = "") -> Form:
    return Form(key, target, operation, attribute, frozenset(slots.split()), phrasings, nth, frozenset(anchors.split()))


DELIVERABLE_FORMS = (
    _f("due.date", "deliverable", "lookup", "date", "x", "when is X due", "what is the deadline for X", "X due date",
       "when do we have to turn in X", "what day is X due", "when do i submit X", "X deadline", "when is X",
       "by when do i need to hand in X"),
    _f("due.time", "deliverable", "lookup", "time", "x", "what time is X due", "X due at what time"),
    _f("due.weekday", "deliverable", "lookup", "weekday", "x", "what day of the week is X due"),
    _f("due.week", "deliverable", "lookup", "week", "x", "which week is X due"),
    _f("due.points", "deliverable", "lookup", "points", "x", "how many points is X worth", "how much is X worth",
       "X points", "what percent of the grade is X", "how much does X count", "what is X out of"),
    _f("due.list.time", "deliverable", "list", "date", "time", "what is due then", "what assignments are due then",
       "any deadlines then", "what do we have to turn in then", "what deadlines are there then",
       "what do i need to submit then", "what do i have due then", "deadlines then"),
    _f("due.list.kind", "deliverable", "list", "date", "x", "when are the X due", "list the X deadlines",
       "what are all the X", "X deadlines", "what are the due dates for X"),
    _f("due.list.all", "deliverable", "list", "date", "", "what are all the deadlines", "list every assignment",
       "what assignments are there"),
    _f("due.count", "deliverable", "count", None, "", "how many assignments are there", "how many X are there",
       "how many X do we have", "number of X"),
    _f("due.count.time", "deliverable", "count", None, "time", "how many assignments are due then",
       "how many deadlines are there then", "how many X are due then"),
    _f("due.sum", "deliverable", "sum", "points", "", "how many points are the X worth in total",
       "what is the total number of points", "total points for X", "how many points are X worth altogether",
       "how many points are due then in total"),
    _f("due.max", "deliverable", "max", "points", "", "which assignment is worth the most points",
       "what is the biggest X", "which X is worth the most", "what counts the most"),
    _f("due.min", "deliverable", "min", "points", "", "which assignment is worth the least",
       "what is the smallest X", "which X is worth the fewest points"),
    _f("due.nth", "deliverable", "nth", "date", "", "when is the first X due", "what is the last X",
       "what is the second X", "when is the final X due"),
    _f("due.next", "deliverable", "next", "date", "", "what is due next", "what is the next deadline",
       "what is the next assignment", "when is the next X due", "what is coming up", "what do i have to do next"),
    _f("due.next.anchor", "deliverable", "next", "date", "anchor", "what is due after X",
       "what is the next assignment after X", "what comes after X"),
    _f("due.previous", "deliverable", "previous", "date", "", "what was due last", "what was the last deadline",
       "what was due before X", "what did we just turn in"),
    _f("due.compare", "deliverable", "compare", "points", "x2", "is X worth more than X",
       "which is worth more X or X", "does X count more than X"),
    _f("due.compare.date", "deliverable", "compare", "date", "x2", "which is due first X or X",
       "is X due before X", "does X come before or after X", "how many days between X and X"),
    _f("due.compare.time", "deliverable", "compare", "date", "x time", "is X before or after then",
       "does X come before or after then", "is X due before then"),
    _f("due.exists", "deliverable", "exists", "date", "time", "is anything due then", "is there an assignment due then",
       "do we have anything due then", "is X due then", "do i have to turn anything in then"),
    _f("due.countdown", "deliverable", "countdown", "date", "x", "how long until X is due",
       "how many days until X", "how much time do i have left for X", "how many days left until X"),
)

SESSION_FORMS = (
    _f("class.topic.time", "session", "lookup", "topic", "time", "what is the lecture about then",
       "what are we covering then", "what is class about then", "what is the topic then", "what do we learn then"),
    _f("class.date.topic", "session", "lookup", "date", "x", "when do we learn about X", "when is the lecture on X",
       "which day do we cover X", "when do we talk about X in class", "when is X covered"),
    _f("class.week.topic", "session", "lookup", "week", "x", "which week do we cover X", "what week is X"),
    _f("class.week.now", "session", "lookup", "week", "now", "what week is it", "which week are we in",
       "what week of the course is it", "what week are we on"),
    _f("class.list.time", "session", "list", "topic", "time", "what lectures are there then", "schedule then",
       "what classes are there then", "what happens then"),
    _f("class.count", "session", "count", None, "", "how many lectures are there", "how many classes are there then",
       "how many lectures on X"),
    _f("class.nth", "session", "nth", "topic", "", "what is the first lecture", "when is the last class",
       "what is the topic of the final lecture", "what is the second class about"),
    _f("class.start", "session", "nth", "date", "", "when does class start", "when does the course begin",
       "when is the first day of class", "when does the quarter start", nth=1),
    _f("class.end", "session", "nth", "date", "", "when does the course end", "when is the last day of class",
       "when does the quarter end", "when do classes finish", nth=-1),
    _f("class.next", "session", "next", "topic", "", "what is the next class about", "when is the next lecture",
       "what is the lecture after X", "what do we cover after X"),
    _f("class.previous", "session", "previous", "topic", "", "what was the last class about",
       "what was the lecture before X", "what did we cover before X"),
    _f("class.exists", "session", "exists", "topic", "time", "is there class then", "do we have class then",
       "is there a lecture then", "do we meet then"),
    _f("class.countdown", "session", "countdown", "date", "x", "how long until we cover X",
       "how many days until the lecture on X"),
    _f("class.compare", "session", "compare", "date", "x2", "do we cover X before X", "which comes first X or X"),
    _f("class.due.same", "deliverable", "list", "date", "anchor", "what is due the same day as the lecture on X",
       "what is due the day we cover X", anchors="session time"),
    _f("class.on.due", "session", "lookup", "topic", "anchor", "what lecture is on the day X is due",
       "what do we cover the day X is due", "what do we cover the week after X is due", anchors="deliverable kind"),
)

ITEM_FORMS = (
    _f("item.when", "item", "lookup", "week", "x", "which week is X", "where is X", "link to X",
       "which notebook covers X"),
    _f("item.time", "item", "list", "week", "time", "which notebook goes with then", "what notebook is there then",
       "what is the notebook for then"),
)

READING_FORMS = (
    _f("reading.person", "reading", "lookup", "person", "x", "who wrote X", "who are the authors of X",
       "who is X by"),
    _f("reading.link", "reading", "lookup", "link", "x", "where can i find X", "link to X", "where is X"),
    _f("reading.topic", "topic", "list", None, "x", "readings on X", "what papers are there about X",
       "what should i read about X", "reading list for X"),
    _f("reading.count", "topic", "count", None, "x", "how many readings are there on X", "how many papers about X"),
)

STAFF_FORMS = (
    _f("staff.who", "staff", "list", "person", "", "who is the instructor", "who teaches the course",
       "who are the X", "who is on the course staff"),
    _f("staff.count", "staff", "count", None, "", "how many X are there", "how many TAs does the course have"),
    _f("staff.email", "staff", "lookup", "email", "", "what is the email of X", "how do i contact X"),
    _f("staff.role", "staff", "lookup", "name", "x", "who is X", "what does X do", "is X a TA"),
)

SLOT_FORMS = (
    _f("oh.when", "slot", "list", "date", "", "when are office hours", "when are X office hours",
       "what are the office hours", "office hours"),
    _f("oh.time", "slot", "list", "date", "time", "who has office hours then", "are there office hours then",
       "office hours then"),
    _f("oh.where", "slot", "list", "place", "", "where are office hours", "where are X office hours",
       "where do i go for office hours"),
    _f("oh.link", "slot", "list", "link", "", "what is X zoom link", "office hours zoom link",
       "link for X office hours"),
    _f("oh.count", "slot", "count", None, "", "how many office hours are there",
       "how many office hours does X have"),
)

MEETING_FORMS = (
    _f("meets.when", "meeting", "list", "time", "", "when does class meet", "what time is lecture",
       "what days is class", "when is class", "what time does class start", "what time does lecture end"),
    _f("meets.where", "meeting", "list", "place", "", "where is class", "where is the lecture", "is class online",
       "what room is class in", "how do i attend class", "where do we meet"),
)

RESOURCE_FORMS = (
    _f("res.kind", "resource", "list", None, "x", "what X are there", "any good X", "which X can we use",
       "where can i get X"),
    _f("res.link", "resource", "lookup", "link", "x", "link to X", "where do i get X", "what is X"),
)


def course_forms(course: Course) -> tuple[Form, ...]:
    """The forms this course's structure supports."""
    forms: list[Form] = []
    dues = course.deliverables
    if dues:
        has_points = any(d.points is not None for d in dues)
        forms += [f for f in DELIVERABLE_FORMS if has_points or f.attribute != "points"]
    if course.dated_sessions:
        forms += SESSION_FORMS
    if any(s.date is None for s in course.sessions):
        forms += ITEM_FORMS
    if course.readings:
        forms += READING_FORMS
    if course.info.staff:
        forms += STAFF_FORMS
    if any(m.office_hours for m in course.info.staff):
        forms += SLOT_FORMS
    if course.info.meetings:
        forms += MEETING_FORMS
    if course.resources:
        forms += RESOURCE_FORMS
    return tuple(forms)


def phrasings(forms: tuple[Form, ...]) -> list[tuple[int, str]]:
    """(form position, phrasing) pairs, in a fixed order."""
    return [(n, p) for n, form in enumerate(forms) for p in form.phrasings]


def canonical_texts(course: Course) -> list[str]:
    """Every phrasing of every form the course supports: what the index embeds beside its units."""
    return [p for _, p in phrasings(course_forms(course))]
