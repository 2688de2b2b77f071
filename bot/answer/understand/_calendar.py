"""What the time grammar reads from one course's calendar, computed once per loaded course.

Holidays and breaks come from the calendar itself: a no-class session is named by the
distinctive words of its topic, the note words that spell a topic word (a topic written
"THANKSKIVING" with a note "Thanksgiving holiday") or stand just before a break word
("Labor Day, no class"), and its ``aliases`` when the Session model has them. Nothing
here knows any holiday's name.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from bot.answer.understand._dates import monday_of, safe_date, week_of
from bot.answer.understand._grammar import (
    BREAK_MARKERS,
    FINALS_IN_CALENDAR,
    GENERIC_WORDS,
    MONTH_NAMES,
    SEASONS,
    WEEKDAY_NAMES,
    WORD,
)
from bot.knowledge import Course
from bot.knowledge.schema import Session

Span = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Holiday:
    """A no-class day the calendar names: the words that name it and whether it says it is a break."""

    day: dt.date
    words: tuple[str, ...]  # single words, best spelling first
    phrases: tuple[str, ...]  # multi-word names ("spring break", an alias)
    is_break: bool

    @property
    def name(self) -> str:
        """How to say it: its first word, or the phrase holding that word ("Labor Day")."""
        word = self.words[0] if self.words else ""
        phrase = next((p for p in self.phrases if word in p.split()), word or next(iter(self.phrases), ""))
        return phrase.title() or "the break"


@dataclass(frozen=True)
class Facts:
    first: dt.date | None  # the first and last dated sessions
    last: dt.date | None
    first_class: dt.date | None  # the first and last sessions that meet
    last_class: dt.date | None
    weeks: dict[int, Span]  # course week number -> Monday .. Sunday
    holidays: tuple[Holiday, ...]
    finals: Span | None
    vocabulary: tuple[str, ...]  # every holiday word
    phrases: re.Pattern[str] | None  # every multi-word holiday name

    def distance(self, day: dt.date) -> int:
        """Days from ``day`` to the term (0 inside it)."""
        if self.first is None or self.last is None:
            return 0
        return max((self.first - day).days, (day - self.last).days, 0)


_FACTS: dict[int, tuple[Course, Facts]] = {}


def facts(course: Course) -> Facts:
    """The calendar facts of ``course``, computed on its first question."""
    cached = _FACTS.get(id(course))
    if cached is None or cached[0] is not course:
        if len(_FACTS) > 8:
            _FACTS.clear()
        cached = _FACTS[id(course)] = (course, _build(course))
    return cached[1]


def _build(course: Course) -> Facts:
    dated = [s for s in course.sessions if s.date is not None]
    days = sorted(s.date for s in dated if s.date)
    meeting = sorted(s.date for s in dated if s.date and not s.no_class)
    holidays = _holidays(course, dated)
    phrases = sorted({p for h in holidays for p in h.phrases}, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(_phrase_regex(p) for p in phrases) + r")(?![a-z])") if phrases else None
    return Facts(first=days[0] if days else None, last=days[-1] if days else None,
                 first_class=meeting[0] if meeting else None, last_class=meeting[-1] if meeting else None,
                 weeks=_weeks(dated), holidays=holidays, finals=_finals(dated),
                 vocabulary=tuple(sorted({w for h in holidays for w in h.words})), phrases=pattern)


def _phrase_regex(phrase: str) -> str:
    return r"\s+".join(re.escape(word) for word in phrase.split())


def _weeks(dated: list[Session]) -> dict[int, Span]:
    """Course week -> from the Monday of its first dated session to the Sunday of its last."""
    spans: dict[int, Span] = {}
    for session in dated:
        if session.week is None or session.date is None:
            continue
        low, high = spans.get(session.week, (session.date, session.date))
        spans[session.week] = (min(low, session.date), max(high, session.date))
    return {n: (monday_of(low), week_of(high)[1]) for n, (low, high) in spans.items()}


def course_week(found: Facts, n: int) -> Span | None:
    """Week ``n`` as the calendar numbers it; past its numbered weeks, counted on from the nearest
    one; with no numbers at all, Monday-based weeks counted from the first session."""
    if n in found.weeks:
        return found.weeks[n]
    if found.weeks:
        known = min(found.weeks, key=lambda k: abs(k - n))
        start = found.weeks[known][0] + dt.timedelta(weeks=n - known)
    elif found.first:
        start = monday_of(found.first) + dt.timedelta(weeks=n - 1)
    else:
        return None
    return start, start + dt.timedelta(days=6)


def last_week_number(found: Facts) -> int | None:
    if found.weeks:
        return max(found.weeks)
    if found.first and found.last:
        return (monday_of(found.last) - monday_of(found.first)).days // 7 + 1
    return None


def term_date(found: Facts, month: int, day: int, year: int | None, fallback_year: int) -> dt.date | None:
    """A written date: its own year, else the year that puts it in (or nearest) the term."""
    if year is not None:
        return safe_date(year, month, day)
    years = range(found.first.year, found.last.year + 1) if found.first and found.last else (fallback_year,)
    candidates = [d for y in years if (d := safe_date(y, month, day))]
    return min(candidates, key=found.distance, default=None)


def _finals(dated: list[Session]) -> Span | None:
    days = [s.date for s in dated if s.date and FINALS_IN_CALENDAR.search(_session_text(s))]
    return (monday_of(min(days)), week_of(max(days))[1]) if days else None


def _session_text(session: Session) -> str:
    aliases = " ".join(getattr(session, "aliases", ()) or ())
    return f"{session.topic} {session.note or ''} {aliases}".lower()


def _holidays(course: Course, dated: list[Session]) -> tuple[Holiday, ...]:
    excluded = _course_words(course)
    found = (_holiday(s, excluded) for s in dated if s.no_class)
    return tuple(sorted((h for h in found if h and (h.words or h.phrases or h.is_break)), key=lambda h: h.day))


def _course_words(course: Course) -> frozenset[str]:
    """Words too general to name a day off: generic ones, and any a meeting or the course itself uses."""
    info = course.info
    text = [info.code, info.title, info.term, info.institution]
    text += [s.topic for s in course.sessions if not s.no_class]
    text += [item.name for s in course.sessions for item in s.due]
    names = [n.lower() for n in MONTH_NAMES + WEEKDAY_NAMES]
    return GENERIC_WORDS | SEASONS | frozenset(names) | frozenset(WORD.findall(" ".join(text).lower()))


def _holiday(session: Session, excluded: frozenset[str]) -> Holiday | None:
    if session.date is None:
        return None
    topic = WORD.findall(session.topic.lower())
    note = WORD.findall((session.note or "").lower())
    aliases = [" ".join(WORD.findall(a.lower())) for a in getattr(session, "aliases", ()) or ()]
    named = _distinct([w for w in note if _spells_topic(w, topic) or _marked(w, note)] + topic, excluded)
    named += _distinct([w for a in aliases for w in a.split()], excluded | frozenset(named))
    days = [f"{w} day" for w in named if f"{w} day" in " ".join(note + topic)]
    phrases = [p for p in [*aliases, *days, " ".join(topic)] if " " in p and len(p.split()) <= 4]
    phrases = [p for p in phrases if any(w not in GENERIC_WORDS for w in p.split())]
    is_break = any(w in BREAK_MARKERS for w in topic + note + " ".join(aliases).split())
    return Holiday(session.date, tuple(named), tuple(dict.fromkeys(phrases)), is_break)


def _distinct(words: list[str], excluded: frozenset[str]) -> list[str]:
    keep = [w for w in words if len(w) >= 4 and w not in excluded]
    return list(dict.fromkeys(keep))


def _spells_topic(word: str, topic: list[str]) -> bool:
    return any(difflib.SequenceMatcher(None, word, t).ratio() >= 0.8 for t in topic if len(t) >= 4)


def _marked(word: str, words: list[str]) -> bool:
    """The word stands just before a break word: "Thanksgiving holiday", "Labor Day"."""
    return any(a == word and b in BREAK_MARKERS for a, b in zip(words, words[1:], strict=False))


@lru_cache(maxsize=4096)
def closest_word(word: str, vocabulary: tuple[str, ...]) -> str | None:
    """The calendar word a student's word means, allowing a light typo ("thanksgivng")."""
    if word in vocabulary:
        return word
    if len(word) < 6:
        return None
    match = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.85)
    return match[0] if match else None


def holidays_named(found: Facts, word: str) -> list[Holiday]:
    return [h for h in found.holidays if word in h.words or word in h.phrases]
