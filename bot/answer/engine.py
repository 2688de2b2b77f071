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

from bot.answer import compose
from bot.answer.intents import CHEATING, Cues, match_deliverables
from bot.answer.lexical import Lexicon
from bot.answer.model import Answer, Reply
from bot.answer.render import day_label, defang, fit
from bot.answer.text import STOPWORDS, Speller, content_terms, expand, tokens
from bot.answer.when import asks_next_class, class_ordinal, explicit_dates, ordinal, relative_span, week_number
from bot.index import Index, Unit
from bot.knowledge import Course

LEXICAL_WEIGHT = 0.35  # share of word-coverage evidence in the hybrid score
KIND_BOOST = 0.06  # added to units whose kind the question's cues point to
RELATED_MARGIN = 0.05  # further policies within this of the best are shown too
MAX_RELATED = 3
LATE = re.compile(r"\b(late|lateness|extension|extend|miss(ed)?|after the deadline|still (turn|hand|submit))\b")
NAME_BONUS = 0.1  # the question spells out a resource's or reading's whole name
NAMED_KINDS = ("resource", "reading")
# Things students ask about that a course's own page often lacks: if the knowledge never
# mentions them, say so rather than retrieve something near.
MISSING_TOPICS = (
    (r"\b(drop|withdraw\w*|add/drop|enroll\w*|registration|register|wait-?list\w*)\b",
     "registration (adding, dropping or withdrawing); the registrar or your adviser can help"),
    (r"\b(parking|dining|housing|tuition|financial aid|scholarships?)\b", "campus services"),
    (r"\b(curve[ds]?|curving)\b", "grade curving"),
    (r"\b(recordings?|recorded)\b", "lecture recordings"),
    (r"\b(attendance|attend)\b", "attendance"),
    (r"\b(regrades?|regrading|re-grade)\b", "regrade requests"),
)

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
                 min_confidence: float = 0.5, max_chars: int = 1900):
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
            return compose.decline(self.course, "Ask me about this course's deadlines, schedule, policies or readings.")
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
        if CHEATING.search(q.text):
            return compose.decline(self.course, "I can't do graded work for you: assignments must be your own "
                                   "original work. I can help with deadlines, policies and readings.")
        return self._missing_fact(q)

    def _missing_fact(self, q: Question) -> Reply | None:
        """Questions about things this course does not have (a TA, exams, emails): say so."""
        info, text = self.course.info, q.text
        kinds = {d.kind for d in self.course.deliverables}
        exam_words = r"\b(midterms?|exams?|quiz(zes)?|tests?)\b"
        if re.search(exam_words, text) and not kinds & {"exam", "quiz"}:
            said = [s for s in self.course.dated_sessions if re.search(exam_words, s.topic.lower())]
            if said:  # the calendar itself says something about exams ("No final exam")
                return replace(compose.sessions(self.course, said, now=q.now), confidence=0.9)
            return compose.decline(self.course, "The course calendar lists no exams or quizzes, so I have no "
                                   "exam details to give.")
        roles = " ".join(s.role.lower() for s in info.staff)
        if re.search(r"\b(ta|tas|teaching assistants?|graders?)\b", text) and not re.search(r"\bta|assistant", roles):
            return compose.decline(self.course, "The course materials don't list a TA.")
        asks_contact = re.search(r"\b(e-?mails?|phone|cell)\b(?!\s+(the|my|him|her|them|prof\w*|instructor)\b)", text)
        if asks_contact and not re.search(r"\bif (i|we) e-?mail", text) and not any(s.email for s in info.staff):
            return compose.decline(self.course, "The course materials don't list email addresses or phone numbers.")
        for pattern, topic in MISSING_TOPICS:
            if re.search(pattern, text) and not any(re.search(pattern, w) for w in self.course_words):
                return compose.decline(self.course, f"The course materials don't cover {topic}.")
        return self._other_course(q)

    def _other_course(self, q: Question) -> Reply | None:
        """A course code that is not this course's and appears nowhere in its knowledge."""
        own = set(re.findall(r"\d{3}", self.course.info.code))
        about_prerequisites = re.search(r"\bprereq|\bprerequisite|\brequire|\bbefore (taking|this|the)\b", q.text)
        for match in re.finditer(r"\b([a-z]{2,5})\s?-?(\d{3})[a-z]?\b", q.text):
            if match[1] in STOPWORDS:
                continue
            if match[2] not in own and not (about_prerequisites and match[2] in self.course_words):
                info = self.course.info
                return compose.decline(self.course, f"I only know about {info.code} {info.title} ({info.term}), "
                                       f"not {match[1].upper()} {match[2]}.")
        return None

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
            return self._next_deadlines(q)
        named, score = match_deliverables(self.course, q.text, self.lexicon)
        if not named or score < 0.5:
            return None
        if explicit_dates(q.text, self.course.first_day.year) or relative_span(q.text, q.today):
            return None  # "anything due tomorrow" is about the day, not a name
        nth = ordinal(q.text)
        if nth is not None and len(named) > 1 and abs(nth) <= len(named):
            named = [named[nth - 1 if nth > 0 else -1]]  # "the first reading", "the last homework"
        reply = compose.deadlines(self.course, named, q.now, header=f"{_plural_name(named)} deadlines:")
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
        return replace(reply, text=text, sources=(*reply.sources, compose.Source("policy", best.id, best.title, best.url)))

    def _next_deadlines(self, q: Question) -> Reply:
        upcoming = [d for d in self.course.deliverables if self.course.due_at(d, dt.time(23, 59)) >= q.now]
        if not upcoming:
            return self._after_term(q, "Nothing more is due")
        first = [d for d in upcoming if d.date == upcoming[0].date]
        return replace(compose.deadlines(self.course, first, q.now, header="Next deadline:"), confidence=0.9)

    def _relative(self, q: Question) -> Reply | None:
        cues = q.cues
        if asks_next_class(q.text):
            return self._next_class(q)
        if class_ordinal(q.text) is not None:
            return None  # "first lecture is tues the 26th?" is about the first lecture
        if "office hour" in q.text:
            span = relative_span(q.text, q.today)
            days = " ".join(day_label(span.start + dt.timedelta(n))[:3] for n in range((span.end - span.start).days + 1)) if span else ""
            return replace(compose.fact(self.course, "office-hours", f"{q.text} {days}"), confidence=0.9,
                           route="office-hours")
        if explicit_dates(q.text, self.course.first_day.year):
            return None  # a written date wins over "tues"
        span = relative_span(q.text, q.today)
        if span is None or not (cues.due or cues.schedule or cues.generic_deadlines or cues.when):
            return None
        return self._span(q, span.start, span.end, span.label)

    def _dated(self, q: Question) -> Reply | None:
        dates = explicit_dates(q.text, self.course.first_day.year)
        if dates:
            return self._days(q, dates)
        nth = class_ordinal(q.text)
        classes = self.course.classes
        if nth is not None and classes and nth <= len(classes):
            chosen = classes[nth - 1] if nth > 0 else classes[-1]
            return replace(compose.sessions(self.course, [chosen], now=q.now), confidence=0.95)
        week = week_number(q.text, max((s.week or 0) for s in self.course.sessions))
        if week is not None:
            items = [s for s in self.course.dated_sessions if s.week == week]
            if not items:
                return compose.decline(self.course, f"The calendar has no week {week}.")
            reply = compose.sessions(self.course, items, header=f"Week {week}:")
            extra = [s for s in self.course.sessions if s.date is None and s.week == week]
            if extra:
                also = "\n".join(f"• Also this week: {s.topic}" + (f" <{s.url}>" if s.url else "") for s in extra)
                reply = replace(reply, text=f"{reply.text}\n{also}")
            return replace(reply, confidence=0.95)
        return None

    def _retrieve(self, q: Question) -> Reply | None:
        ranked = self._rank(q)
        if not ranked:
            return None
        best_unit, best = ranked[0]
        if best < self.min_confidence:
            return replace(compose.decline(self.course), confidence=max(best, 0.0), route="retrieval:decline")
        reply = self._compose_unit(q, best_unit, ranked)
        return replace(reply, confidence=min(best, 1.0), route=f"retrieval:{reply.route}")

    # --- time-based answers ----------------------------------------------------------------

    def _span(self, q: Question, start: dt.date, end: dt.date, label: str) -> Reply:
        course = self.course
        if end < course.first_day:
            return self._before_term(q)
        if start > course.last_day:
            return self._after_term(q, f"Nothing is on the calendar {label}")
        rng = day_label(start, year=False) if start == end else f"{day_label(start, False)} – {day_label(end)}"
        due = [d for d in course.deliverables if start <= d.date <= end]
        want_classes = q.cues.schedule and not q.cues.due
        if due and not want_classes:
            return replace(compose.deadlines(course, due, q.now, header=f"Due {label} ({rng}):"), confidence=0.95)
        classes = [s for s in course.dated_sessions if start <= s.date <= end]  # type: ignore[operator]
        if classes and (want_classes or not due):
            prefix = "" if due or not q.cues.due else f"Nothing is due {label}. "
            reply = compose.sessions(course, classes, header=f"{prefix}Classes {label} ({rng}):", now=q.now)
            return replace(reply, confidence=0.9)
        nxt = [d for d in course.deliverables if d.date > end]
        tail = f" The next deadline is {compose.due_line(course, nxt[0], q.now)}" if nxt else ""
        what = "due" if q.cues.due or not q.cues.schedule else "scheduled"
        return Reply(f"Nothing is {what} {label} ({rng}).{tail}", (compose.calendar_source(course, label),),
                     confidence=0.9, route="relative")

    def _days(self, q: Question, dates: list[dt.date]) -> Reply:
        course = self.course
        found = [s for d in dates if (s := course.session_on(d))]
        if found:
            return replace(compose.sessions(course, found, now=q.now), confidence=0.95)
        day = dates[0]
        if day < course.first_day:
            return self._before_term(q)
        if day > course.last_day:
            return self._after_term(q, f"Nothing is on the calendar for {day_label(day)}")
        near = [s for s in course.dated_sessions if s.date and s.date > day][:1]
        tail = f" The next class after that is {compose.session_line(near[0])}." if near else ""
        return Reply(f"There's no class on {day_label(day)}.{tail}", (compose.calendar_source(course, "schedule"),),
                     confidence=0.9, route="schedule")

    def _next_class(self, q: Question) -> Reply:
        course = self.course
        start = min((m.start for m in course.info.meetings), default=dt.time(0, 0))
        upcoming = [s for s in course.classes
                    if dt.datetime.combine(s.date, start, tzinfo=course.tz) > q.now]  # type: ignore[arg-type]
        if not upcoming:
            return self._after_term(q, "There are no more classes")
        if q.now.date() < course.first_day:
            reply = self._before_term(q)
            return replace(reply, text=reply.text)
        return replace(compose.sessions(course, upcoming[:1], header="Next class:", now=q.now), confidence=0.95)

    def _before_term(self, q: Question) -> Reply:
        course = self.course
        first = course.classes[0] if course.classes else course.dated_sessions[0]
        due = course.deliverables[0] if course.deliverables else None
        text = f"The course hasn't started yet: the first class is {compose.session_line(first)}."
        if due:
            text += f" The first deadline is {compose.due_line(course, due, q.now)}"
        return Reply(text, (compose.calendar_source(course, "start of term"),), confidence=0.9, route="relative")

    def _after_term(self, q: Question, lead: str) -> Reply:
        last = self.course.dated_sessions[-1]
        assert last.date is not None
        text = f"{lead}: the course ended on {day_label(last.date)} ({last.topic})."
        return Reply(text, (compose.calendar_source(self.course, "end of term"),), confidence=0.9, route="relative")

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
            if unit.kind in NAMED_KINDS and _names(unit.title, padded) or unit.kind == "fact" and unit.ref in ("office-hours", "staff") and self._names_staff(q):
                score += NAME_BONUS
            ranked.append((unit, score + boosts.get(unit.kind, 0.0)))
        return sorted(ranked, key=lambda pair: pair[1], reverse=True)

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
            return compose.sessions(course, same, now=q.now)
        if kind == "deliverable":
            due = next(d for d in course.deliverables if d.id == unit.ref)
            same = [d for d in course.deliverables if d.name == due.name]
            return compose.deadlines(course, same, q.now, header=f"{due.name} deadlines:")
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
                sources.append(compose.Source("policy", p.id, p.title, p.url))
            else:
                f = faqs[unit.ref]
                parts.append(f.answer)
                sources.append(compose.Source("faq", f.id, f.question, f.url))
        return Reply("\n\n".join(parts), tuple(sources), route=chosen[0].kind)


def _names(title: str, padded_question: str) -> bool:
    words = tokens(title)
    return bool(words) and f" {' '.join(words)} " in padded_question


def _plural_name(dues) -> str:
    names = sorted({d.name for d in dues})
    return names[0] if len(names) == 1 else "Matching"
