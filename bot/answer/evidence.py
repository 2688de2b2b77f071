"""Decline on evidence: what the question asks that the course does not have.

Four kinds of evidence, each general: the named thing does not exist ("homework 3", an
exam in a course without exams, a TA in a course without TAs); a word that carries the
question's meaning is unknown to the whole course ("attendance", "parking"); the
attribute asked for is absent from the best evidence (a price, a room, an email); or a
value the page marks as not decided yet, which is answered as exactly that.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Set
from dataclasses import replace
from functools import lru_cache

from bot.answer import compose
from bot.answer.execute import Result
from bot.answer.model import Reply, Source
from bot.answer.text import STOPWORDS, stem, word_set
from bot.answer.understand.entities import KIND_WORDS, ROLE_WORDS, function_stems
from bot.answer.understand.question import Understood
from bot.format import day_label
from bot.knowledge import Course

# Chat and question filler: words that carry no topic of their own (general English, not course words).
FILLER = word_set(
    "take taking taken took happening pieces piece parts part components component lol lmao pls plz please "
    "bro dude guys yall y'all btw "
    "idk tbh imo asap quick help wondering confused sure "
    "curious know knew tell told need needs want wanted look looking see saw say said mean means happen happens "
    "happened going make made take took give gave thing things stuff kind kinda sort sorta lot lots bit maybe "
    "probably actually literally exactly again also still yet even ever gonna gotta wanna hey hi hello thanks "
    "thank anyone someone somebody everyone everybody guy okay yes yeah yep nope cool nice great good bad fine "
    "real really whole entire anything something everything nothing else right remind check confirm figure idea "
    "info information detail details exact specific particular general official currently friend friends roommate "
    "roommates classmate classmates buddy buddies teammate teammates partner partners somebody mom dad parents "
    "left nah ya yea ok twice once thrice already always never often sometimes usually soon anyway anyways "
    "basically honestly "
    # Grammar words and light verbs: they shape a question about something else ("am I *supposed* to…",
    # "*both* homeworks", "the on-call part *alone*", "what does LIME *stand* for"); "ill" is "I'll" unspelled.
    "ill between both without within alone around enough overall possibly supposed using use used put putting pick "
    "picking picked heard hear stand stands land lands single plain regular big type miss missed"
)
# Words every course has: never evidence that a question is about something the course lacks.
GENERIC = word_set(
    "class classes course courses lecture lectures session sessions school university college student students "
    "professor prof instructor teacher week weeks day days month months year term quarter semester time times "
    "hour hours minute minutes work assignment assignments grade grades graded grading due deadline deadlines "
    "submit submitted submission turn turned hand handed start end begin finish first last next final letter"
)
VALUE_PATTERNS = {  # an answer to "how much does it cost" must state a price, etc.
    "price": re.compile(r"[$€£]\s?\d|\b\d+\s?(dollars|usd|euros)\b|\bfree\b|\bno cost\b|\bcosts?\b", re.IGNORECASE),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "room": re.compile(r"\b(room|rm\.?|hall|building|bldg|floor|lab)\s*#?\s*[a-z]?\d|\b[A-Z][a-z]+\s[A-Z]?\d{2,4}\b|"
                       r"\bzoom\b|\bonline\b|\bremote\b"),
    "length": re.compile(r"\b\d+\s?(pages?|words|minutes|hours)\b|\b(single|one|two|half)[- ]page\b|"
                         r"\b(page|word) (limit|count)\b", re.IGNORECASE),
}


def missing_named(u: Understood, course: Course) -> Reply | None:
    """ "hw3" when the calendar has Homework 1 and 2: say which there are, don't guess. Asked as a yes/no
    question ("is there a homework 3?"), "no" is the answer; asked for details, it is a decline."""
    for m in u.mentions:
        if m.type != "missing":
            continue
        named = [d for d in course.deliverables if d.id in m.refs]
        listed = ", ".join(f"{d.name} ({day_label(d.date, year=False)})" for d in named)
        reason = f"There is no {m.text} on the course calendar" + (f"; it lists {listed}." if named else ".")
        if u.yes_no and not u.attrs:
            refs = tuple(f"deliverable:{d.id}" for d in named)
            return Reply(f"No — {reason[0].lower()}{reason[1:]}", (compose.calendar_source(course, "deliverables"),),
                         confidence=0.9, route="absent", refs=refs)
        return compose.decline(course, reason)
    return None


def missing_class(u: Understood, course: Course, text: Reply | None = None) -> Reply | None:
    """A kind or role the course has none of: exams in a course without exams, a TA in a course without TAs.

    Declined (there is nothing to give details of), with what the course does say about it: a calendar
    row ("No final exam") or the best text entry when it names the kind.
    """
    for m in u.mentions:
        if m.type == "kind" and not m.refs:
            plural = KIND_WORDS[m.detail][1] if m.detail in KIND_WORDS else m.text
            if m.detail == "any":
                continue
            said = [s for s in course.dated_sessions if _mentions_kind(s.topic, m.detail)]
            if said:  # the calendar itself says something about it ("No final exam")
                lines = "; ".join(compose.session_line(s) for s in said)
                reason = f"The course calendar lists no {plural} as deliverables: {lines}."
                source: tuple[Source, ...] = (compose.calendar_source(course, "schedule"),)
            elif text is not None and _mentions_kind(text.text, m.detail):
                reason, source = text.text, text.sources
            else:
                reason = f"The course calendar lists no {plural}."
                source = (compose.calendar_source(course, "deliverables"),)
            if u.yes_no and not u.attrs:  # "is there a final exam?": no is the answer
                return Reply(f"No — {reason[0].lower()}{reason[1:]}", source, confidence=0.9, route="absent")
            return replace(compose.decline(course, f"{reason} So I have no details to give."), sources=source)
        if m.type == "role" and not m.refs:
            role = ROLE_WORDS[m.detail][0]
            role = role.upper() if len(role) <= 3 else role  # "a TA", "a grader"
            return compose.decline(course, f"The course materials don't list a {role}.")
        if m.type == "resource_kind" and not m.refs and course.resources and not _named_anywhere(m.text, course):
            listed = ", ".join(sorted({r.kind for r in course.resources}))
            return compose.decline(course, f"The course materials list no {m.text} (their resources are: {listed}).")
    return None


def _named_anywhere(word: str, course: Course) -> bool:
    """Some entry is called by this word ("Notebook 6: GANs" is a week-level item, not a resource)."""
    names = [s.topic for s in course.sessions] + [d.name for d in course.deliverables]
    return any(stem(word) in {stem(w) for w in re.findall(r"[a-z]+", n.lower())} for n in names)


def _mentions_kind(topic: str, kind: str) -> bool:
    words = {stem(w) for w in re.findall(r"[a-z]+", topic.lower())}
    return any({stem(w) for w in phrase.split()} <= words for phrase in KIND_WORDS.get(kind, ()))


def unexplained(u: Understood) -> list[str]:
    """Content words no extractor accounted for: not inside a mention or time, not a cue, not chat filler."""
    covered: set[int] = set()
    for m in u.mentions:
        covered.update(range(m.first, m.last + 1))
    for t in u.times:
        covered.update(i for i, w in enumerate(u.words) if w.start >= t.start and w.end <= t.end)
    for cues in (u.ops, u.attrs, u.targets, u.relations, u.ordinals):
        for c in cues:
            covered.update(range(c.first, c.last + 1))
    out = []
    for i, w in enumerate(u.words):
        word = w.text
        if i in covered or word in STOPWORDS or word in FILLER or len(word) < 3 or not word.isalpha():
            continue
        out.append(word)
    return out


def unknown(words: Iterable[str], course_words: Set[str], english: frozenset[str]) -> list[str]:
    """Real words that the course never uses, in any form."""
    stems = {stem(w) for w in course_words}
    return [w for w in words if is_word(w, english) and w not in GENERIC and stem(w) not in function_stems()
            and not any(f in course_words or stem(f) in stems for f in forms_of(w))]


RARE_WORD_LETTERS = 6  # a longer word the vocabulary splits in pieces ("waitlist") is a word unless it is a typo


def is_word(word: str, english: frozenset[str]) -> bool:
    """In the model's vocabulary, or long and not one letter or two from a word that is ("tommorow" is a typo
    of "tomorrow"; "waitlist" and "regrade" are words the vocabulary lacks)."""
    if word in english:
        return True
    if len(word) < RARE_WORD_LETTERS or not word.isalpha():
        return False
    compound = any(word[:i] in english and word[i:] in english for i in range(3, len(word) - 2))
    if compound:  # "timezone", "cutoff", "batchnorm": the course may write it as two words
        return False
    return not difflib.get_close_matches(word, _by_initial(english).get(word[0], ()), n=1, cutoff=0.85)


@lru_cache(maxsize=4)
def _by_initial(english: frozenset[str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for w in english:
        index.setdefault(w[:1], []).append(w)
    return {k: tuple(v) for k, v in index.items()}


def forms_of(word: str) -> set[str]:
    """The word and the forms a light stemmer misses: "taking" -> "take", "studies" -> "study"."""
    forms = {word}
    for suffix, back in (("ing", "e"), ("ing", ""), ("ed", "e"), ("ed", ""), ("es", ""), ("s", ""), ("ies", "y")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.add(word[: -len(suffix)] + back)
    return forms


ROW_FIELDS = {"email": "note", "place": "place", "room": "place", "link": "link", "person": "person",
              "points": "points"}
SAID = {"email": "an email address", "place": "a place", "room": "a room", "link": "a link", "person": "who",
        "points": "points"}


def absent_attribute(result: Result) -> str:
    """Why a computed answer cannot state what was asked: none of its rows has the attribute."""
    q = result.query
    if not result.rows or not q.projection or q.operation not in ("lookup", "list"):
        return ""
    attribute = q.projection[0]
    field = ROW_FIELDS.get(attribute)
    if field is None or any(getattr(r, field) for r in result.rows):
        return ""
    if attribute == "email" and q.target != "staff":
        return ""
    names = ", ".join(dict.fromkeys(r.name for r in result.rows[:3]))
    return f"The course materials don't give {SAID[attribute]} for {names}."


_NUMBER_WORDS = sorted(word_set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty"))


def stated_count(course: Course, nouns: Iterable[str]) -> str | None:
    """A sentence of the course's own text that states how many of these there are ("There are 20
    lectures this term"): the page's own count beats one computed from calendar rows."""
    words = "|".join(re.escape(n) for n in nouns if n)
    if not words:
        return None
    number = rf"(?:\d{{1,3}}|{'|'.join(_NUMBER_WORDS)})"
    pattern = re.compile(rf"\b{number}\s+(?:[a-z-]+\s+)?(?:{words})\b", re.IGNORECASE)
    for text in [p.text for p in course.policies] + [f.answer for f in course.faq] + [course.info.description]:
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
            if pattern.search(sentence) and not re.search(r"\b(points?|pts|%)\b", sentence[:80], re.IGNORECASE):
                return sentence
    return None


def is_predicate(u: Understood, word: str) -> bool:
    """In a yes/no question the last content word is what is asked ("are the lectures *recorded*")."""
    if not u.yes_no:
        return False
    content = [w.text for w in u.words if w.text not in STOPWORDS and w.text not in FILLER and w.text.isalpha()]
    return bool(content) and content[-1] == word


def count_object(u: Understood) -> str | None:
    """The word a count asks about ("how many *people*…"), when it is not something the plan counts."""
    for c in u.ops:
        if c.feature != "count":
            continue
        after = c.last + 1
        while after < len(u.words) and u.words[after].text in STOPWORDS:
            after += 1
        if after >= len(u.words):
            return None
        covered = any(m.first <= after <= m.last for m in u.mentions) or any(
            x.first <= after <= x.last for x in (*u.targets, *u.attrs))
        word = u.words[after].text
        return None if covered or word in TIME_UNITS else word  # "how many days until…" counts days of the calendar
    return None


TIME_UNITS = word_set("day days week weeks hour hours minute minutes month months times time")
NUMBER_WORDS = word_set("one two three four five six seven eight nine ten eleven twelve a an single")


def unstated(u: Understood, course: Course, reply: Reply, entry_kind: str = "") -> str:
    """What a text answer would leave unsaid, as the decline says it ("how many people…"), or ""."""
    thing = count_object(u)
    if thing and not states_count_of(thing, reply.text) and not stated_count(course, (thing,)):
        return f"how many {thing}"
    named = [m for m in u.mentions if m.type == "deliverable" and len(m.refs) == 1]
    general = not any(m.text in reply.text.lower() for m in named)  # a text about homework in general
    general = general or entry_kind == "deliverable"  # its calendar line gives a date and points, not a topic
    if named and general and not u.ops and not u.times:
        if "topic" in u.features("attrs"):
            return f"what {named[0].text} is about"
        if "length" in u.features("attrs"):  # "how many pages is the final paper": a rule about reactions' pages
            return f"how long {named[0].text} should be"
    return ""


def states_count_of(thing: str, text: str) -> bool:
    """The text gives a number of ``thing`` ("groups of 2–3 people", "three pages")."""
    forms = {stem(f) for f in forms_of(thing)} | {stem(thing)}
    words = re.findall(r"[a-z0-9]+", text.lower())
    for i, w in enumerate(words):
        if stem(w) in forms and any(x.isdigit() or x in NUMBER_WORDS for x in words[max(0, i - 3) : i]):
            return True
    return False


def lacks_value(attribute: str, reply: Reply) -> bool:
    pattern = VALUE_PATTERNS.get(attribute)
    return pattern is not None and not pattern.search(reply.text)


def undetermined(u: Understood, course: Course, fields: Iterable[str]) -> Reply | None:
    """A value the page marks as not decided yet: say exactly that, with the source."""
    wanted = set(fields)
    people = {r for m in u.mentions if m.type == "staff" for r in m.refs}
    for item in course.info.undetermined:
        if item.field in wanted and (not item.person or not people or item.person in people):
            note = f" (the course page says: {item.note})" if item.note else ""
            info = course.info
            source = Source("course", f"undetermined:{item.field}", f"{info.code} {info.title}: {item.what}", info.url)
            return Reply(f"{item.what} is not determined yet{note}.", (source,), confidence=0.9, route="undetermined")
    return None
