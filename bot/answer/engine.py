"""The answer engine: understand, plan, execute, render — or answer from text, or decline.

    question ─normalise─▶ understand (times · entities · cue words)
             ─plan─▶ Query ─execute(course, now)─▶ Result ─render─▶ Reply
    text questions ─▶ hybrid retrieval ─▶ best entry, led by its answering sentence
    decline on evidence: a named thing that doesn't exist, words the course never uses,
    an attribute the evidence lacks, or a score below the calibrated threshold.

The engine is immutable after construction: a reload builds a new one and swaps it.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from bot.answer import compose, evidence
from bot.answer.execute import execute
from bot.answer.forms import course_forms, phrasings
from bot.answer.guards import guard
from bot.answer.model import Answer, Reply
from bot.answer.passages import Passage, Passages
from bot.answer.plan import COMPATIBLE, Plan, plan, unused_mentions
from bot.answer.query import Query
from bot.answer.rendering import render
from bot.answer.rows import Tables
from bot.answer.text import Speller, expansion_words, stem, tokens
from bot.answer.understand.clauses import clauses, resolve_pronoun
from bot.answer.understand.entities import build_gazetteer
from bot.answer.understand.question import CLASS_MENTIONS, Understood, understand
from bot.format import defang, fit
from bot.index import Index, Unit
from bot.knowledge import Course

GREETING_ONLY = "Ask me about this course's deadlines, schedule, policies or readings."
_URL_WORDS = re.compile(r"[a-z]{3,}")
PEOPLE_ATTRIBUTES = frozenset({"person", "email", "place", "room", "time", "date"})
PLAN_MIN = 0.62  # a plan this good answers even when text retrieval scores higher
PLAN_WEAK = 0.5  # a plan this good still answers when no text answers
UNKNOWN_MARGIN = 0.25  # a text answer this far above the threshold outweighs a word the course never uses
PLAN_SURE = 0.85  # ... and so does a plan this good
TEXT_MARGIN = 0.2  # a text entry this good, covering words a plan ignores, answers instead of the plan
TEXT_GAP = 0.15  # ... when it is also at most this far below the plan's own similarity
STRUCTURED_TARGETS = frozenset({"deliverable", "session", "item", "staff", "slot", "meeting"})
ASKED_VALUES = ("price", "email", "length", "room")
COUNT_NOUNS = {"session": ("lectures", "classes", "sessions"), "staff": ("TAs", "teaching assistants")}
_SAID = {"price": "price", "email": "email address", "length": "length", "room": "room", "topic": "description"}

Encode = Callable[[list[str]], np.ndarray]
_FORM_VECTORS: dict[str, np.ndarray] = {}  # canonical phrasings embed once per process, whatever the course


def encodable(text: str) -> str:
    """``text`` with lone surrogates (a str no encoder can encode: "\\ud800") replaced by "?"."""
    return text.encode("utf-8", "replace").decode("utf-8")


class Engine:
    """Answers questions about one course. Immutable after construction: swap, don't edit."""

    def __init__(self, course: Course, index: Index, encode: Encode, *, vocabulary: frozenset[str] = frozenset(),
                 min_confidence: float, max_chars: int):
        self.course = course
        self.index = index
        self.encode = encode
        self.min_confidence = min_confidence
        self.max_chars = max_chars
        self.tables = Tables(course)
        self.gazetteer = build_gazetteer(course)
        self.passages = Passages(course, index)
        self.course_words = frozenset(w for u in index.units for w in tokens(u.text)) | _link_words(course)
        self.english = vocabulary | expansion_words()  # "prereqs" -> "prerequisites": a word, though split in pieces
        self.speller = Speller(self.course_words, vocabulary)
        self.forms = course_forms(course)
        pairs = phrasings(self.forms)
        self.form_owner = [n for n, _ in pairs]
        texts = [p for _, p in pairs]
        ready = index.extra is not None and len(index.extra) == len(texts)
        self.form_vectors = index.extra if index.extra is not None and ready else _embed_once(encode, texts)

    # --- public --------------------------------------------------------------------------

    def answer(self, question: str, now: dt.datetime) -> Answer:
        started = time.perf_counter()
        question = encodable(question)  # the Answer carries it to the feedback store and to Discord
        reply = self.reply(question, now)
        text = fit(defang(reply.text), self.max_chars)
        ms = (time.perf_counter() - started) * 1000
        return Answer(question, text, reply.answered, reply.confidence, list(reply.sources), ms, reply.route,
                      reply.refs)

    def reply(self, question: str, now: dt.datetime) -> Reply:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        question = encodable(question)
        parts = clauses(question)
        if len(parts) == 1:
            return self._reply_one(question, now)
        replies: list[Reply] = []
        subject = ""
        for part in parts:
            resolved = resolve_pronoun(part, subject) if subject else part
            u = understand(part, now, self.course, self.gazetteer, self.speller)
            if replies and not replies[0].answered and (resolved != part or not _names_anything(u)):
                replies.append(replies[0])  # "…cs 349… and who teaches it", "…hw3 due and how many pts": what
                continue  # the first part declined is what this part asks about too
            replies.append(self._reply_one(resolved, now, u if resolved == part else None))
            subject = subject or _subject(u) or ("it" if not replies[-1].answered else "")
        return _joined(replies)

    def _reply_one(self, question: str, now: dt.datetime, u: Understood | None = None) -> Reply:
        u = u or understand(question, now, self.course, self.gazetteer, self.speller)
        if not u.terms and not u.mentions:
            return Reply(GREETING_ONLY, (), confidence=0.0, answered=False, route="smalltalk")
        early = guard(self.course, self.course_words, u.text) or evidence.missing_named(u, self.course)
        if early:
            return early
        template_vector, text_vector = self.encode([u.templated, u.text])
        chosen = plan(u, self.form_vectors @ template_vector, self.forms, self.form_owner, self.tables)
        dense = self.passages.search(text_vector)
        passage = self.passages.best(u, dense, lambda unit, ranked: self._compose_unit(u, unit, ranked, dense))
        return self._decide(u, chosen, passage)

    # --- choosing between a plan, a text answer and a decline ------------------------------

    def _decide(self, u: Understood, chosen: Plan | None, passage: Passage | None) -> Reply:
        absent = evidence.missing_class(u, self.course, passage.reply if passage else None)
        if absent:
            return absent
        unknown = evidence.unknown(evidence.unexplained(u), self.course_words, self.english)
        weak_text = passage is None or passage.score < self.min_confidence + UNKNOWN_MARGIN
        if unknown and (weak_text or evidence.is_predicate(u, unknown[-1])):
            return self._undetermined(u) or compose.decline(
                self.course, f"I don't know about “{unknown[0]}” — the course materials don't mention it.")
        if chosen is not None and self._trust(u, chosen, passage):
            return self._with_policy(u, self._structured(u, chosen), chosen, passage)
        if passage is None or passage.score < self.min_confidence:
            score = passage.score if passage else 0.0
            return replace(compose.decline(self.course), confidence=max(score, 0.0), route="retrieval:decline")
        unsaid = evidence.unstated(u, self.course, passage.reply, passage.unit.kind)
        if unsaid:  # "how many people can be in a group", "what is homework 1 about": the entry says neither
            return self._undetermined(u) or compose.decline(self.course, f"The course materials don't say {unsaid}.")
        asked = [a for a in ASKED_VALUES if a in u.features("attrs") and "policy" not in u.features("targets")]
        if any(evidence.lacks_value(a, passage.reply) for a in asked):
            return self._undetermined(u) or compose.decline(
                self.course, f"The course materials don't give the {asked[0]} you're asking about.")
        return replace(passage.reply, confidence=min(passage.score, 1.0), route=f"retrieval:{passage.reply.route}")

    def _trust(self, u: Understood, chosen: Plan, passage: Passage | None) -> bool:
        """A plan answers when it is good and the question names something structured (a deliverable, a
        time, a person) or asks a shape text cannot answer (a count, a total, the most) — unless it is a
        question about a rule ("can I…", "what's the policy on…") that a text entry answers."""
        q = chosen.query
        if chosen.score < PLAN_WEAK:
            return False
        shaped = q.operation not in ("lookup", "list")
        text_ok = passage is not None and passage.score >= self.min_confidence
        rule_text = text_ok and passage is not None and passage.unit.kind in ("policy", "faq")
        if "policy" in u.features("targets") and rule_text and not shaped:
            return False
        if u.yes_no and rule_text and not shaped and not u.times and not q.anchor and not u.attrs:
            return False  # "is homework individual": a list of deadlines says neither yes nor no
        named = chosen.uses_mentions
        if q.operation == "count" and evidence.count_object(u):
            return False  # "how many people can be in a group": not a count of this target
        if text_ok and not _asked(chosen, u):
            return False  # "which readings have a star": a list of deadlines answers nothing asked
        ignored = [m for m in unused_mentions(chosen.form, u) if m.type not in CLASS_MENTIONS and not (
            m.type == "policy" and m.score < 0.99 and (u.times or chosen.score >= PLAN_MIN))]  # "what do i submit
        # tomorrow", "what was last class about? missed it": one word of a policy's name does not outweigh the plan
        if ignored and text_ok and not self._both(u, chosen):
            return False  # "the max extra credit", "how many readings does mitchell ch4 count for"
        people = _about_people(q.target, u)  # "who teaches…", not "what are the prereqs" or "the zoom link"
        if chosen.score >= PLAN_MIN and (named or shaped or people):
            return passage is None or not self._text_wins(u, chosen, passage) or self._both(u, chosen)
        if (named or shaped) and not evidence.unexplained(u):  # the plan explains every word ("first day of class?")
            return bool(u.times) or passage is None or passage.score < chosen.score
        return not text_ok

    def _both(self, u: Understood, chosen: Plan) -> bool:
        """The plan states exactly the attribute asked of a thing named ("did i miss the final project ddl"):
        keep it, and add the text entry the other words point to."""
        q = chosen.query
        named = [m for m in u.mentions if m.type not in CLASS_MENTIONS and m.type in COMPATIBLE[q.target]]
        return bool(named) and bool(q.refs) and bool(set(q.projection) & u.features("attrs"))

    def _with_policy(self, u: Understood, reply: Reply, chosen: Plan, passage: Passage | None) -> Reply:
        """A question that also names a policy ("is each reading review worth…") gets its words too."""
        if passage is None or not reply.answered:
            return reply
        if chosen.query.operation not in ("lookup", "list") or passage.score < self.min_confidence + UNKNOWN_MARGIN:
            return reply
        rule = passage.unit.kind in ("policy", "faq")
        named_policy = rule and any(m.type == "policy" and m.score >= 0.99 for m in u.mentions)
        if not named_policy and not self._text_wins(u, chosen, passage):
            return reply
        text = f"{reply.text}\n\n{passage.reply.text}"
        return replace(reply, text=text, sources=(*reply.sources, *passage.reply.sources))

    def _text_wins(self, u: Understood, chosen: Plan, passage: Passage) -> bool:
        """Words the plan left unexplained that the best text entry covers ("what if hw2 is late")."""
        ignored = [m for m in unused_mentions(chosen.form, u) if m.type not in CLASS_MENTIONS]
        left = evidence.unexplained(u) + [w for m in ignored for w in m.text.split()]
        if not left or passage.unit.kind not in ("policy", "faq", "start", "starred", "topic", "reading", "resource",
                                                 "resources", "fact"):
            return False
        entry_words = {stem(w) for w in tokens(passage.unit.text + " " + passage.reply.text)}
        good = passage.score >= max(self.min_confidence + TEXT_MARGIN, chosen.similarity - TEXT_GAP)
        return good and any(stem(w) in entry_words for w in left)

    def _structured(self, u: Understood, chosen: Plan) -> Reply:
        q = chosen.query
        value = [a for a in chosen.unsupported if a in ASKED_VALUES]
        if q.target == "deliverable" and "topic" in u.features("attrs") and q.operation == "lookup" and q.refs:
            value = value or ["topic"]  # "what is homework 1 about": the calendar gives dates and points only
        if value and q.operation in ("lookup", "list"):
            return self._undetermined(u) or compose.decline(
                self.course, f"The course materials don't give the {_SAID[value[0]]} you're asking about.")
        if q.target == "slot" and not self.tables["slot"]:
            return self._undetermined(u, "office_hours") or compose.decline(self.course, "No office hours are listed.")
        result = execute(q, self.tables, u.now)
        lacking = evidence.absent_attribute(result)
        if lacking:
            return self._undetermined(u) or compose.decline(self.course, lacking)
        reply = render(result, self.course, u.now)
        if not result.rows and q.target == "slot" and (q.days or q.weekdays):  # "office hours on wednesday?"
            every = render(execute(Query("slot", "list"), self.tables, u.now), self.course, u.now)
            when = q.days.label if q.days else "then"
            return replace(every, text=f"No office hours {when}.\n{every.text}", confidence=chosen.score)
        if not result.rows and q.target in ("slot", "meeting", "staff"):
            return self._undetermined(u) or replace(reply, answered=False)
        whole_term = not q.days or (q.days.start <= self.course.first_day and q.days.end >= self.course.last_day)
        if q.operation == "count" and q.refs is None and whole_term and not q.anchor:
            said = evidence.stated_count(self.course, COUNT_NOUNS.get(q.target, ()))
            if said:
                reply = replace(reply, text=f"The course page says: {said}\n{reply.text}")
        confidence = min(1.0, max(chosen.score, 0.0))
        return replace(reply, confidence=confidence, route=f"plan:{q.form}")

    def _undetermined(self, u: Understood, *fields: str) -> Reply | None:
        asked = set(fields) or _fields_asked(u)
        return evidence.undetermined(u, self.course, asked)

    # --- text answers ------------------------------------------------------------------------

    def _compose_unit(self, u: Understood, unit: Unit, ranked: list[tuple[Unit, float]],
                      dense: dict[int, float]) -> Reply:
        course, kind = self.course, unit.kind
        if kind in ("policy", "faq"):
            named = frozenset(r for m in u.mentions if m.type == "policy" for r in m.refs)
            return self.passages.policy_answer(ranked, dense, named)
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
            source = compose.calendar_source(course, week.strip(": ") or "calendar")
            return Reply(f"{week}{item.topic}{link}", (source,),
                         route="schedule")
        if kind == "session":
            same = [s for s in course.dated_sessions if s.topic == unit.title]
            return compose.sessions(course, same)
        if kind == "deliverable":
            due = next(d for d in course.deliverables if d.id == unit.ref)
            return compose.deadlines(course, [due], u.now)
        return compose.fact(course, unit.ref, u.text)


IMPLIED = {"deliverable": "date", "session": "topic"}  # "hw2 due?" asks a date; "what do we cover" a topic


def _asked(chosen: Plan, u: Understood) -> bool:
    """Does the question ask for what this plan answers? A shape, a time, an anchor, or its attribute."""
    q = chosen.query
    if q.operation not in ("lookup", "list") or u.times or q.anchor or q.target not in IMPLIED:
        return True
    if q.target == "session" and q.refs:  # "RL lectures?": the lectures on it, with their dates
        return True
    attrs = u.features("attrs") | {IMPLIED[t] for t in u.features("targets") if t in IMPLIED}
    return chosen.form.attribute is None or chosen.form.attribute in attrs


def _names_anything(u: Understood) -> bool:
    return bool(u.times) or any(m.type not in CLASS_MENTIONS for m in u.mentions)


def _subject(u: Understood) -> str:
    """What a clause is about, for "it" in the next one: its first named thing or target word."""
    named = [m.text for m in u.mentions if m.type not in CLASS_MENTIONS | {"policy"}]
    return (named or [c.phrase for c in u.targets if c.feature != "policy"] or [""])[0]


def _link_words(course: Course) -> frozenset[str]:
    """Words inside the course's links: "karpathy.github.io" names Karpathy though no text does."""
    links = [r.url for t in course.readings for r in t.items] + [r.url for r in course.resources]
    links += [p.url for p in course.policies] + [m.url for m in course.info.staff]
    return frozenset(w for link in links if link for w in _URL_WORDS.findall(str(link).lower()))


def _about_people(target: str, u: Understood) -> bool:
    """The question's own words point at people, office hours or class meetings — not a wording the
    embedding happens to find near "who teaches the course"."""
    targets, attrs = u.features("targets"), u.features("attrs")
    staff = any(m.type in ("staff", "role") for m in u.mentions)
    if target == "staff":
        return "staff" in targets or staff or "person" in attrs
    if target == "slot":
        return "slot" in targets or (staff and bool(attrs & PEOPLE_ATTRIBUTES))
    if target == "meeting":
        return "meeting" in targets or ("session" in targets and bool(attrs & PEOPLE_ATTRIBUTES))
    return False


def _joined(replies: list[Reply]) -> Reply:
    """One reply for a message that asked several things: each answer in turn, all their sources."""
    answered = [r for r in replies if r.answered] or replies[:1]
    text = "\n\n".join(r.text for r in answered)
    sources = tuple(dict.fromkeys(s for r in answered for s in r.sources))
    refs = tuple(dict.fromkeys(x for r in answered for x in r.refs))
    return Reply(text, sources, min(r.confidence for r in answered), any(r.answered for r in replies),
                 "+".join(r.route for r in answered), refs)


def _fields_asked(u: Understood) -> set[str]:
    """Which "not determined yet" fields a question could be asking about."""
    attrs, targets = u.features("attrs"), u.features("targets")
    fields = {"other"}
    if attrs & {"place", "room"}:
        fields |= {"location"}
    if "slot" in targets:
        fields |= {"office_hours"}
    if "staff" in targets or any(m.type == "role" for m in u.mentions):
        fields |= {"staff"}
    if attrs & {"date", "time"} and ("session" in targets or "meeting" in targets):
        fields |= {"class_time"}
    if any(m.type == "kind" and m.detail in ("exam", "quiz") for m in u.mentions):
        fields |= {"exam"}
    if "resource" in targets:
        fields |= {"computing"}
    if "book" in {m.detail for m in u.mentions if m.type == "resource_kind"}:
        fields |= {"textbook"}
    return fields


def _embed_once(encode: Encode, texts: list[str]) -> np.ndarray:
    missing = [t for t in dict.fromkeys(texts) if t not in _FORM_VECTORS]
    if missing:
        for text, vector in zip(missing, encode(missing), strict=True):
            _FORM_VECTORS[text] = np.asarray(vector, dtype=np.float32)
    return np.stack([_FORM_VECTORS[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)


__all__ = ["CLASS_MENTIONS", "Engine"]
