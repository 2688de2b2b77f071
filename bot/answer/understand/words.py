"""The words that shape a question: what it asks for, how, and about which kind of thing.

These are facts of English as students write it ("how many" asks for a count, "most"
for a maximum, "where" for a place), never words of one course: course words (topic
synonyms, nicknames, holidays) live in the knowledge as aliases. Each cue is a phrase of
whole words, matched on the normalised question outside the spans that name entities or
times, so "the final project" is a deliverable, not the operation "last".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.answer.text import stem, word_set

Operation = Literal["lookup", "list", "count", "sum", "max", "min", "nth", "next", "previous", "compare", "exists",
                    "countdown"]
Attribute = Literal["date", "weekday", "time", "points", "topic", "place", "room", "link", "person", "length", "price",
                    "email", "week", "name"]
Target = Literal["deliverable", "session", "item", "reading", "topic", "staff", "slot", "meeting", "resource",
                 "course"]
Relation = Literal["before", "after", "same_day", "same_week", "week_after", "week_before", "day_before", "day_after"]

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|%|\$")

OPERATION_CUES: Mapping[str, tuple[str, ...]] = {  # operations, and "future" (only what is still ahead)
    "count": ("how many", "number of", "count", "how often", "total number"),
    "sum": ("total", "in total", "altogether", "combined", "sum", "add up", "adds up", "added up", "all together",
            "cumulative", "sum up"),
    "max": ("most", "biggest", "largest", "highest", "heaviest", "maximum", "max", "greatest", "best", "biggest chunk",
            "most points", "most weight"),
    "min": ("least", "smallest", "lowest", "fewest", "lightest", "minimum", "min", "least points", "cheapest"),
    "next": ("next", "upcoming", "coming up", "following", "soonest", "closest", "nearest", "after that", "then what",
             "still to come", "yet to come", "coming"),
    "previous": ("previous", "prior", "before that", "most recent", "just had", "recent", "latest", "did we just"),
    "countdown": ("how long until", "how long till", "how long til", "how long before", "how many days until",
                  "how many days till", "how many days til", "how many days left", "days left", "days until",
                  "days till", "time left", "how much time", "how long do i have", "how long do we have",
                  "how soon", "how many weeks until", "weeks until", "how far away", "countdown",
                  "how many days do i have", "how many days do we have", "how many days away"),
    "future": ("still", "left", "remaining", "yet to", "to go", "ahead", "from now on", "still have",
               "left to do", "left to turn in", "still due"),
    "compare": ("more than", "less than", "fewer than", "worth more", "worth less", "more points", "fewer points",
                "versus", "vs", "compared to", "compare", "same as",
                "earlier", "later", "which comes first", "which is first", "which one first", "before or after",
                "worth the same", "as much as", "bigger than", "smaller than", "heavier than"),
}

ORDINALS: Mapping[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8,
    "9th": 9, "10th": 10, "last": -1, "final": -1, "very last": -1, "very first": 1, "second to last": -2,
    "penultimate": -2, "last one": -1, "earliest": 1
}

ATTRIBUTE_CUES: Mapping[Attribute, tuple[str, ...]] = {
    "date": ("when", "what day", "what date", "which day", "date", "due date", "deadline", "what days",
             "which days", "day is", "how soon"),
    "weekday": ("what day of the week", "which weekday", "what weekday", "day of the week", "which day of the week"),
    "time": ("what time", "time of day", "how late", "o'clock", "due time", "by what time", "what hour", "times"),
    "points": ("points", "point", "worth", "weight", "weigh", "weighted", "count for", "counts for", "percent",
               "percentage", "%", "score", "value", "how much is", "how much does", "how much do", "graded out of",
               "how many points", "how many pts", "how much of the grade", "how much of my grade"),
    "topic": ("topic", "topics", "cover", "covering", "covered", "is about", "are about", "was about", "be about",
              "what is on", "what will be on", "what is in", "what does it cover",
              "it about", "learn", "teach", "discuss", "go over",
              "going over", "subject", "material", "talk about", "talking about", "studying", "what is the lecture",
              "content"),
    "place": ("where", "location", "located", "in person", "online", "zoom"),
    "room": ("room", "room number", "which room", "what room", "classroom", "building", "which building"),
    "link": ("link", "url", "website", "web site", "site", "download", "access", "find"),
    "person": ("who", "whom", "whose", "taught by", "author", "authors", "wrote", "written by", "teaches", "runs"),
    "length": ("how long", "length", "pages", "page limit", "word count", "words long", "how many pages",
               "how many words", "duration"),
    "price": ("cost", "costs", "price", "how much does it cost", "pay", "buy", "dollars", "$", "expensive"),
    "email": ("email", "e-mail", "emails", "email address", "contact", "phone"),
    "week": ("which week", "what week", "week number", "week is", "what week is"),
}

# Phrases that contain cue words but are not cues ("next to", "at least"): read first, then ignored.
IDIOMS: Mapping[str, tuple[str, ...]] = {
    "idiom": ("next to", "last name", "first name", "at least", "at most", "first of all", "last but not least",
              "in the first place", "for the first time", "first come first served", "right now", "starting point",
              "good point", "main point", "the point of", "what is the point"),
}
PERMISSION = ("can i", "can we", "may i", "may we", "am i allowed", "are we allowed", "is it ok", "is it okay",
              "is it allowed", "what if", "what happens if", "is it possible", "could i", "are we able", "is that ok",
              "is that okay", "is that allowed", "would that be ok", "would it be ok", "do i lose", "will i lose",
              "what should i do", "what do i do", "what should we do", "what do we do", "what if i")

TARGET_CUES: Mapping[str, tuple[str, ...]] = {
    "policy": PERMISSION + ("policy", "policies", "rule", "rules", "allowed", "penalty", "extension", "allowed to"),
    "deliverable": ("due", "deadline", "deadlines", "assignment", "assignments", "deliverable", "deliverables",
                    "submit", "submission", "turn in", "turned in", "hand in", "handed in", "homework", "homeworks",
                    "worth", "points", "graded", "task", "tasks", "work due", "thing due", "things due",
                    "submissions", "exam", "exams", "quiz", "quizzes", "project", "projects"),
    "session": ("lecture", "lectures", "class", "classes", "session", "sessions", "cover", "covering", "covered",
                "learn", "teach", "taught", "discuss", "go over", "going over", "schedule", "calendar", "talk about",
                "topic", "topics", "lesson", "lessons", "meet", "meeting"),
    "reading": ("paper", "papers", "article", "articles", "author", "authors", "wrote", "written by", "reading list",
                "chapter", "chapters", "blog", "post", "video", "read"),
    "staff": ("ta", "tas", "instructor", "instructors", "professor", "teacher", "staff", "mentor", "mentors",
              "grader", "graders", "assistant", "assistants", "who teaches", "who is teaching", "course staff"),
    "slot": ("office hours", "office hour", "oh"),
    "meeting": ("class meet", "class time", "class location", "lecture time", "lecture hall", "meet",
                "when is class", "where is class", "where is lecture", "when is lecture", "meeting time"),
    "item": ("notebook", "notebooks", "jupyter notebook", "colab notebook"),
    "resource": ("dataset", "datasets", "data set", "package", "packages", "library", "libraries", "framework",
                 "gpu", "gpus", "compute", "computing", "tool", "tools", "software", "notebook", "notebooks",
                 "slides", "resource", "resources", "cloud"),
}

RELATION_CUES: Mapping[Relation, tuple[str, ...]] = {
    "before": ("before", "prior to", "until", "till", "leading up to", "ahead of", "earlier than", "up to"),
    "after": ("after", "following", "since", "later than", "right after", "once", "past"),
    "same_day": ("same day as", "same day", "that day", "on the day", "day of", "same date as", "same time as",
                 "together with", "along with"),
    "same_week": ("same week as", "same week", "that week", "week of"),
    "week_after": ("week after", "the week after", "a week after"),
    "week_before": ("week before", "the week before", "a week before"),
    "day_before": ("day before", "the day before", "night before"),
    "day_after": ("day after", "the day after"),
}

YES_NO_OPENERS = word_set(
    "is are am do does did will was were can could should have has any anything must shall would"
)
FILLER_OPENERS = word_set(
    "hey hi hello yo so ok okay um uh quick question sorry guys pls please and but also"
)
NEGATIONS = ("no", "not", "nothing", "none", "never", "without")


@dataclass(frozen=True)
class Cue:
    """A cue phrase found in the question: which feature, and where (token positions)."""

    feature: str
    phrase: str
    first: int
    last: int  # inclusive token index


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The question's words with their character spans."""
    return [Word(m[0], m.start(), m.end()) for m in _WORD.finditer(text)]


Phrase = tuple[tuple[str, ...], str, str]  # (stems, feature, the phrase as written)


def _phrases(table: Mapping[Any, Iterable[str]]) -> list[Phrase]:
    rows = [(tuple(stem(w) for w in words_of(p)), feature, p) for feature, phrases in table.items() for p in phrases]
    return sorted(rows, key=lambda r: -len(r[0]))  # longest first: "how many days until" before "how many"


def words_of(text: str) -> list[str]:
    return [w.text for w in words(text.lower())]


def _ordinal_phrases() -> list[Phrase]:
    rows = [(tuple(stem(w) for w in words_of(k)), str(v), k) for k, v in ORDINALS.items()]
    return sorted(rows, key=lambda r: -len(r[0]))


_TABLES = {
    "op": _phrases(OPERATION_CUES),
    "attr": _phrases(ATTRIBUTE_CUES),
    "target": _phrases(TARGET_CUES),
    "rel": _phrases(RELATION_CUES),
    "nth": _ordinal_phrases(),
    "idiom": _phrases(IDIOMS),
}


def find_cues(tokens: list[str], table: str | tuple[str, ...], blocked: frozenset[int] = frozenset()) -> list[Cue]:
    """Every cue of one table (or of several read together, longest phrase first across them: "how long
    until" is a countdown before "how long" is a length) in the tokens, compared by stem ("covering" is
    "cover"), never overlapping each other nor a blocked token (one inside an entity or time mention)."""
    stems = [stem(t) for t in tokens]
    taken = set(blocked)
    found = []
    names = (table,) if isinstance(table, str) else table
    phrases = sorted((p for name in names for p in _TABLES[name]), key=lambda r: -len(r[0]))
    for phrase, feature, text in phrases:
        n = len(phrase)
        for i in range(len(stems) - n + 1):
            if stems[i] == phrase[0] and tuple(stems[i : i + n]) == phrase and not taken.intersection(range(i, i + n)):
                found.append(Cue(feature, text, i, i + n - 1))
                taken.update(range(i, i + n))
    return sorted(found, key=lambda c: c.first)


def is_yes_no(tokens: list[str]) -> bool:
    """A question that opens with an auxiliary verb ("is anything due…", "do we have class…")."""
    rest = [t for t in tokens if t not in FILLER_OPENERS] or tokens
    return bool(rest) and rest[0] in YES_NO_OPENERS
