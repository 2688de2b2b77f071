"""The answer engine: route a question, retrieve, compose, cite — or decline.

Structure answers what it can exactly (deliverables named, dates, weeks, "tomorrow"),
hybrid retrieval (dense cosine + idf-weighted word coverage) answers the rest, and a
calibrated confidence decides when to say "I don't know" instead.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from bot.answer import compose, timeline
from bot.answer.guards import guard
from bot.answer.intents import Cues, match_deliverables
from bot.answer.lexical import Lexicon
from bot.answer.model import Answer, Reply, Source
from bot.answer.text import Speller, content_terms, expand, tokens
from bot.answer.when import asks_next_class, class_ordinal, explicit_dates, ordinal, relative_span, week_number
from bot.format import defang, fit
from bot.index import Index, Unit
from bot.knowledge import Course

LEXICAL_WEIGHT = 0.35  # share of word-coverage evidence in the hybrid score
KIND_BOOST = 0.06  # added to units whose kind the question's cues point to
RELATED_MARGIN = 0.05  # further policies within this of the best are shown too
MAX_RELATED = 3
LATE = re.compile(r"\b(late|lateness|extension|extend|miss(ed)?|after the deadline|still (turn|hand|submit))\b")
READING_LIST = re.compile(r"\b(readings|papers|articles|reading list)\b(?!.*\b(due|deadline|worth|points?)\b)")
NAME_BONUS = 0.1  # the question spells out a resource's or reading's whole name, or a staff member's
NAMED_KINDS = ("resource", "reading")
GREETING_ONLY = "Ask me about this course's deadlines, schedule, policies or readings."

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Question:
    raw: str
    text: str  # expanded and spelling-corrected
    terms: tuple[str, ...]
    cues: Cues
    now: dt.datetime
    today: dt.date


class Engine:
    """Answers questions about one course. Immutable after construction: swap, don't edit."""

    def __init__(self, course: Course, index: Index, encode: Encode, *, vocabulary: frozenset[str] = frozenset(),
                 min_confidence: float, max_chars: int):
        self.course = course
        self.index = index
        self.encode = encode
        self.min_confidence = min_confidence
        self.max_chars = max_chars
        self.units: tuple[Unit, ...] = index.units
        # Words are judged per knowledge entry (all its units together), vectors per unit.
        entries: dict[tuple[str, str], list[int]] = {}
        for pos, unit in enumerate(self.units):
            entries.setdefault((unit.kind, unit.ref), []).append(pos)
        self.entries = list(entries.values())
        self.lexicon = Lexicon([" ".join(self.units[p].text for p in group) for group in self.entries])
        self.course_words = frozenset(w for u in self.units for w in tokens(u.text))
        self.speller = Speller(self.course_words, vocabulary)

    # --- public --------------------------------------------------------------------------

    def answer(self, question: str, now: dt.datetime) -> Answer:
        started = time.perf_counter()
        reply = self.reply(question, now)
        text = fit(defang(reply.text), self.max_chars)
        ms = (time.perf_counter() - started) * 1000
        return Answer(question, text, reply.answered, reply.confidence, list(reply.sources), ms, reply.route)

    def reply(self, question: str, now: dt.datetime) -> Reply:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        q = self._read(question, now)
        if not q.terms:
            return Reply(GREETING_ONLY, (), confidence=0.0, answered=False, route="smalltalk")
        for route in (self._guard, self._person, self._deadline, self._relative, self._dated, self._retrieve):
            reply = route(q)
            if reply is not None:
                return reply
        return compose.decline(self.course)

    # --- reading the question ------------------------------------------------------------

    def _read(self, question: str, now: dt.datetime) -> Question:
        text = self.speller.correct(expand(question))
        local = now.astimezone(self.course.tz)
        return Question(question, text, tuple(content_terms(text)), Cues.read(text), local, local.date())

    # --- routes: each returns a Reply or None (not mine) -----------------------------------

    def _guard(self, q: Question) -> Reply | None:
        return guard(self.course, self.course_words, q.text)

    def _person(self, q: Question) -> Reply | None:
        """A staff member named with an office-hours, contact or role question."""
        if q.cues.reading or not self._names_staff(q):
            return None
        if re.search(r"\b(office|hours?|zoom|link|when|where|meet|available|find)\b", q.text):
            return replace(compose.fact(self.course, "office-hours", q.text), confidence=0.9, route="person")
        if re.search(r"\b(who|role|website|page|teach\w*|ta|instructor|professor)\b", q.text):
            return replace(compose.fact(self.course, "staff", q.text), confidence=0.9, route="person")
        return None

    def _deadline(self, q: Question) -> Reply | None:
        cues = q.cues
        if not (cues.due or cues.next_deadline or cues.generic_deadlines) or asks_next_class(q.text):
            return None
        if cues.next_deadline and not relative_span(q.text, q.today):
            return timeline.next_deadlines(self.course, q.now)
        named, score = match_deliverables(self.course, q.text, self.lexicon)
        if not named or score < 0.5:
            return None
        if explicit_dates(q.text, self.course.first_day.year) or relative_span(q.text, q.today):
            return None  # "anything due tomorrow" is about the day, not a name
        nth = ordinal(q.text)
        if nth is not None and len(named) > 1 and abs(nth) <= len(named):
            named = [named[nth - 1 if nth > 0 else -1]]  # "the first reading", "the last homework"
        reply = compose.deadlines(self.course, named, q.now, header=f"{_deadline_label(named)} deadlines:")
        return replace(self._with_late_policy(q, reply), confidence=0.6 + 0.4 * min(score, 1.0))

    def _with_late_policy(self, q: Question, reply: Reply) -> Reply:
        """A question about lateness gets the course's late policy under the deadline."""
        if not LATE.search(q.text):
            return reply
        late = [p for p in self.course.policies if re.search(r"\blate\b", f"{p.title} {p.text}", re.IGNORECASE)]
        if not late:
            return reply
        best = min(late, key=lambda p: len(p.text))
        text = f"{reply.text}\n**{best.title}**: {best.text}"
        return replace(reply, text=text, sources=(*reply.sources, Source("policy", best.id, best.title, best.url)))

    def _relative(self, q: Question) -> Reply | None:
        cues = q.cues
        if asks_next_class(q.text):
            return timeline.next_class(self.course, q.now)
        if class_ordinal(q.text) is not None:
            return None  # "first lecture is tues the 26th?" is about the first lecture
        if "office hour" in q.text:
            span = relative_span(q.text, q.today)
            days = " ".join(f"{span.start + dt.timedelta(n):%a}" for n in range((span.end - span.start).days + 1)) if span else ""
            return replace(compose.fact(self.course, "office-hours", f"{q.text} {days}"), confidence=0.9,
                           route="office-hours")
        if explicit_dates(q.text, self.course.first_day.year):
            return None  # a written date wins over "tues"
        span = relative_span(q.text, q.today)
        if span is None or not (cues.due or cues.schedule or cues.generic_deadlines or cues.when):
            return None
        want_classes = cues.schedule and not cues.due
        return timeline.span(self.course, span.start, span.end, span.label, q.now, want_classes, cues.due)

    def _dated(self, q: Question) -> Reply | None:
        dates = explicit_dates(q.text, self.course.first_day.year)
        if dates:
            return timeline.days(self.course, dates, q.now)
        nth = class_ordinal(q.text)
        if nth is not None:
            return timeline.nth_class(self.course, nth)
        week = week_number(q.text, max((s.week or 0) for s in self.course.sessions))
        return timeline.week(self.course, week) if week is not None else None

    def _retrieve(self, q: Question) -> Reply | None:
        ranked = self._rank(q)
        if not ranked:
            return None
        best_unit, best = ranked[0]
        if best < self.min_confidence:
            return replace(compose.decline(self.course), confidence=max(best, 0.0), route="retrieval:decline")
        reply = self._compose_unit(q, best_unit, ranked)
        return replace(reply, confidence=min(best, 1.0), route=f"retrieval:{reply.route}")

    # --- retrieval ---------------------------------------------------------------------------

    def _rank(self, q: Question) -> list[tuple[Unit, float]]:
        """Knowledge entries by hybrid score, best first, each with its best-matching unit."""
        vector = self.encode([q.text])[0]
        dense = dict(self.index.search(vector))
        lexical = self.lexicon.scores(q.terms)
        boosts = self._kind_boosts(q)
        padded = f" {' '.join(tokens(q.text))} "
        ranked = []
        for group, words in zip(self.entries, lexical, strict=True):
            pos = max(group, key=lambda p: dense.get(p, -1.0))
            unit = self.units[pos]
            score = (1 - LEXICAL_WEIGHT) * dense.get(pos, 0.0) + LEXICAL_WEIGHT * words
            if self._named(unit, padded, q):
                score += NAME_BONUS
            ranked.append((unit, score + boosts.get(unit.kind, 0.0)))
        return sorted(ranked, key=lambda pair: pair[1], reverse=True)

    def _named(self, unit: Unit, padded_question: str, q: Question) -> bool:
        if unit.kind in NAMED_KINDS:
            return _names(unit.title, padded_question)
        return unit.kind == "fact" and unit.ref in ("office-hours", "staff") and self._names_staff(q)

    def _names_staff(self, q: Question) -> bool:
        words = set(tokens(q.text))
        return any(words & {w for w in tokens(m.name) if len(w) >= 3} for m in self.course.info.staff)

    def _kind_boosts(self, q: Question) -> dict[str, float]:
        c = q.cues
        boosts: dict[str, float] = {}
        if c.reading:
            for kind in ("reading", "topic", "start", "starred"):
                boosts[kind] = KIND_BOOST
            boosts["fact"] = -KIND_BOOST
            if READING_LIST.search(q.text):  # "readings on X": the topic's list, not one paper
                boosts["topic"] = 2 * KIND_BOOST
        if c.resource:
            boosts["resource"] = boosts["resources"] = KIND_BOOST
        if c.schedule and c.when:
            boosts["session"] = KIND_BOOST * 2
            if not c.reading:
                boosts["start"] = boosts["reading"] = -KIND_BOOST
        boosts["deliverable"] = KIND_BOOST if c.due else -KIND_BOOST
        if not (c.schedule or c.when or c.due):
            boosts["session"] = boosts.get("session", 0.0) - KIND_BOOST
        return boosts

    def _compose_unit(self, q: Question, unit: Unit, ranked: list[tuple[Unit, float]]) -> Reply:
        course = self.course
        kind = unit.kind
        if kind in ("policy", "faq"):
            return self._policy_answer(ranked)
        if kind in ("reading", "topic"):
            t_no, _, r_no = unit.ref.partition(":")
            topic = course.readings[int(t_no)]
            if kind == "topic":
                return compose.topic_list(topic, unit.ref)
            return compose.reading(topic.items[int(r_no)], topic, unit.ref)
        if kind == "start":
            return compose.starting_points(course, None if unit.ref == "all" else int(unit.ref))
        if kind == "starred":
            return compose.starred(course)
        if kind == "resource":
            return compose.resource(course.resources[int(unit.ref)], unit.ref)
        if kind == "resources":
            return compose.resource_kind(course, unit.ref)
        if kind == "item":
            item = [s for s in course.sessions if s.date is None][int(unit.ref)]
            week = f"Week {item.week}: " if item.week is not None else ""
            link = f" <{item.url}>" if item.url else ""
            return Reply(f"{week}{item.topic}{link}", (compose.calendar_source(course, week.strip(': ') or "calendar"),),
                         route="schedule")
        if kind == "session":
            top = ranked[0][1]
            near = {u.ref for u, score in ranked if u.kind == "session" and score >= top - RELATED_MARGIN}
            same = [s for s in course.dated_sessions if s.topic == unit.title or str(s.date) in near]
            return compose.sessions(course, same)
        if kind == "deliverable":
            due = next(d for d in course.deliverables if d.id == unit.ref)
            dues = [d for d in course.deliverables if d.name == due.name]
            return compose.deadlines(course, dues, q.now, header=f"{due.name} deadlines:")
        return compose.fact(course, unit.ref, q.text)

    def _policy_answer(self, ranked: list[tuple[Unit, float]]) -> Reply:
        """The best policy/FAQ entry, plus close runners-up that complete it (other entries)."""
        top = ranked[0][1]
        chosen = [u for u, score in ranked if u.kind in ("policy", "faq") and score >= top - RELATED_MARGIN]
        policies = {p.id: p for p in self.course.policies}
        faqs = {f.id: f for f in self.course.faq}
        parts, sources = [], []
        for unit in chosen[:MAX_RELATED]:
            if unit.kind == "policy":
                p = policies[unit.ref]
                parts.append(f"**{p.title}**: {p.text}")
                sources.append(Source("policy", p.id, p.title, p.url))
            else:
                f = faqs[unit.ref]
                parts.append(f.answer)
                sources.append(Source("faq", f.id, f.question, f.url))
        return Reply("\n\n".join(parts), tuple(sources), route=chosen[0].kind)


def _names(title: str, padded_question: str) -> bool:
    words = tokens(title)
    return bool(words) and f" {' '.join(words)} " in padded_question


def _deadline_label(dues) -> str:
    names = sorted({d.name for d in dues})
    return names[0] if len(names) == 1 else "Matching"
