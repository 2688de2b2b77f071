"""Decline on evidence: what the question asks that the course does not have.

Four kinds of evidence, each general: the named thing does not exist ("homework 3", an
exam in a course without exams, a TA in a course without TAs); a word that carries the
question's meaning is unknown to the whole course ("attendance", "parking"); the
attribute asked for is absent from the best evidence (a price, a room, an email); or a
value the page marks as not decided yet, which is answered as exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set

from bot.answer import compose
from bot.answer.model import Reply, Source
from bot.answer.render import day_label
from bot.answer.text import STOPWORDS, stem
from bot.answer.understand.entities import KIND_WORDS, ROLE_WORDS, function_stems
from bot.answer.understand.question import Understood
from bot.knowledge import Course

# Chat and question filler: words that carry no topic of their own (general English, not course words).
FILLER = frozenset(
    "lol lmao pls plz please bro dude guys yall y'all btw idk tbh imo asap quick question questions help wondering "
    "confused sure wondering curious ask asking asked know knew tell told need needs want wanted find found look "
    "looking see saw say said mean means happen happens happened go going make made take took give gave work working "
    "use used using thing things stuff kind kinda sort sorta lot lots bit maybe probably actually literally "
    "exactly again also still yet even ever gonna gotta wanna hey hi hello thanks thank anyone someone somebody "
    "everyone everybody people person guy able allowed okay ok yes yeah yep nope cool nice great good bad fine "
    "real really whole entire full anything something everything nothing else right left least most many much "
    "total number amount count numbers list show give get got getting remind reminder check confirm figure idea "
    "info information detail details exact specific particular general official upcoming coming soon later earlier "
    "currently current now today tonight tomorrow yesterday week weeks day days month months year term quarter "
    "semester class classes course courses lecture lectures session sessions stuff schedule plan planned again "
    "hand handed turn turned submit submitted due deadline deadlines worth points point start starts started end "
    "ends ended begin begins finish done first last next previous final one two three four five six seven eight "
    "nine ten time times hour hours minute minutes school university college student students professor prof "
    "instructor teacher".split()
)
VALUE_PATTERNS = {  # an answer to "how much does it cost" must state a price, etc.
    "price": re.compile(r"[$€£]\s?\d|\b\d+\s?(dollars|usd|euros)\b|\bfree\b|\bno cost\b|\bcosts?\b", re.IGNORECASE),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "length": re.compile(r"\b\d+\s?(pages?|words|minutes|hours)\b|\b(single|one|two|half)[- ]page\b|"
                         r"\b(page|word) (limit|count)\b", re.IGNORECASE),
}


def missing_named(u: Understood, course: Course) -> Reply | None:
    """ "hw3" when the calendar has Homework 1 and 2: say which there are, don't guess."""
    for m in u.mentions:
        if m.type != "missing":
            continue
        named = [d for d in course.deliverables if d.id in m.refs]
        if named:
            listed = ", ".join(f"{d.name} ({day_label(d.date, year=False)})" for d in named)
            return compose.decline(course, f"There is no {m.text} on the course calendar; it lists {listed}.")
        return compose.decline(course, f"There is no {m.text} on the course calendar.")
    return None


def missing_class(u: Understood, course: Course) -> Reply | None:
    """A kind or role the course has none of: exams in a course without exams, a TA in a course without TAs."""
    for m in u.mentions:
        if m.type == "kind" and not m.refs:
            said = [s for s in course.dated_sessions if _mentions_kind(s.topic, m.detail)]
            if said:  # the calendar itself says something about it ("No final exam")
                return compose.sessions(course, said)
            plural = KIND_WORDS[m.detail][1] if m.detail in KIND_WORDS else m.text
            return compose.decline(course, f"The course calendar lists no {plural}, so I have no details to give.")
        if m.type == "role" and not m.refs:
            return compose.decline(course, f"The course materials don't list a {ROLE_WORDS[m.detail][0]}.")
    return None


def _mentions_kind(topic: str, kind: str) -> bool:
    words = {stem(w) for w in re.findall(r"[a-z]+", topic.lower())}
    return any({stem(w) for w in phrase.split()} <= words for phrase in KIND_WORDS.get(kind, ()))


def unexplained(u: Understood) -> list[str]:
    """Content words no extractor accounted for: not inside a mention or time, not a cue, not filler."""
    covered = set()
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
        if stem(word) in function_stems() or stem(word) in FILLER:
            continue
        out.append(word)
    return out


def unknown(words: Iterable[str], course_words: Set[str], english: Set[str]) -> list[str]:
    """Real words (the model's vocabulary knows them) that the course never uses, in any form."""
    stems = {stem(w) for w in course_words}
    return [w for w in words if w in english and w not in course_words and stem(w) not in stems]


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
