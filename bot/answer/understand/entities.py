"""Things of the course a question names: deliverables, lectures, readings, people, resources.

A gazetteer is built once per course from every entry's name and its instructor-written
``aliases``; a question's words are matched against it by stemmed whole words, scored by
how much of the name (idf-weighted) the words cover. Kind words ("homeworks", "quizzes")
and role words ("TAs") name classes of things. A numbered thing the course lacks ("hw3"
when there are Homework 1 and 2) is a ``missing`` mention, so the engine can say what
exists instead of guessing.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Literal

from bot.answer.text import STOPWORDS, name_text, stem
from bot.answer.understand.words import Word
from bot.knowledge import Course

EntityType = Literal["deliverable", "kind", "session", "item", "reading", "topic", "staff", "role", "resource",
                     "resource_kind", "policy", "missing", "course"]

# General English names for kinds of deliverables (the schema's kinds) and of staff roles.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "homework": ("homework", "homeworks", "problem set", "problem sets", "pset", "exercise", "exercises",
                 "assignment sheet"),
    "reading": ("reading", "readings", "reading assignment", "reading assignments", "reading response",
                "reading responses"),
    "project": ("project", "projects", "project deliverable", "project deliverables", "project milestone",
                "milestone", "milestones"),
    "exam": ("exam", "exams", "midterm", "midterms", "final exam", "final exams", "test", "tests", "examination"),
    "quiz": ("quiz", "quizzes", "quizes", "pop quiz"),
}
ANY_KIND = {"any": ("assignment", "assignments", "deliverable", "deliverables", "graded work", "coursework")}
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "instructor": ("instructor", "instructors", "professor", "professors", "prof", "teacher", "lecturer",
                   "faculty"),
    "ta": ("ta", "tas", "teaching assistant", "teaching assistants", "head ta", "assistant", "assistants",
           "course assistant", "course assistants"),
    "mentor": ("peer mentor", "peer mentors", "mentor", "mentors"),
    "grader": ("grader", "graders", "reader", "readers"),
}
RESOURCE_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "dataset": ("dataset", "datasets", "data set", "data sets", "data"),
    "package": ("package", "packages", "library", "libraries", "framework", "frameworks"),
    "compute": ("gpu", "gpus", "compute", "computing", "cloud", "server", "servers", "cluster"),
    "book": ("book", "books", "textbook", "textbooks"),
    "slides": ("slides", "slide", "lecture slides"),
    "notebook": ("notebook", "notebooks", "jupyter"),
    "tool": ("tool", "tools", "software"),
}
GENERIC_WORDS = ("week", "weeks", "day", "days", "time", "course", "class", "today", "term", "quarter", "semester",
                 "thing", "things", "part", "parts", "one", "ones", "page", "pages", "policy", "policies", "rule",
                 "rules")
_NUMBER = re.compile(r"^\d{1,2}$")
EXACT_TYPES = frozenset({"deliverable", "staff", "resource", "policy"})  # one best entry, not every near one
ACRONYM_SCORE = 0.8
INITIALS_TYPES = frozenset({"session", "item", "topic", "resource"})  # topics go by abbreviations; rules don't
MIN_POLICY_COVERAGE = 0.5  # a policy's short names are two words: "late" names "late work"
MIN_COVERAGE = 0.6  # share of a name's weight the question must cover to name it
MAX_WINDOW = 8


@dataclass(frozen=True)
class Mention:
    type: EntityType
    refs: tuple[str, ...]
    first: int  # token positions (inclusive)
    last: int
    start: int  # character span in the question
    end: int
    text: str
    score: float = 1.0
    detail: str = ""  # for kinds and roles: which one; for missing: what was asked ("homework 3")

    def overlaps(self, other: Mention) -> bool:
        return self.first <= other.last and other.first <= self.last


@dataclass(frozen=True)
class Name:
    type: EntityType
    ref: str
    stems: tuple[str, ...]  # content stems, in order
    number: str | None = None
    alias: bool = False
    acronyms: frozenset[str] = frozenset()  # words written in capitals ("LSTM", "GPT"): telling on their own
    surfaces: dict[str, str] = field(default_factory=dict)  # stem -> the word as the name writes it
    words: tuple[str, ...] = ()  # its content words as written, in order


@dataclass
class Gazetteer:
    """Every name of every entry of one course, indexed by stem."""

    names: list[Name]
    by_stem: dict[str, list[Name]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index: dict[str, list[Name]] = defaultdict(list)
        for name in self.names:
            for s in set(name.stems):
                index[s].append(name)
        self.by_stem = dict(index)
        refs_per_stem = Counter(s for _, _, s in {(n.type, n.ref, s) for n in self.names for s in n.stems})
        total = max(len({(n.type, n.ref) for n in self.names}), 1)
        self.idf = {s: math.log(1 + total / c) for s, c in refs_per_stem.items()}

    def weight(self, s: str) -> float:
        return 0.3 if s.isdigit() else self.idf.get(s, 1.0)

    @cached_property
    def by_initials(self) -> dict[str, list[Name]]:
        """Names of two to five words by their initials ("dynamic programming" -> "dp")."""
        index: dict[str, list[Name]] = defaultdict(list)
        for name in self.names:
            if name.type not in INITIALS_TYPES:
                continue
            words = [w for w in name.words if not w.isdigit()]
            for n in {len(words), 2, 3}:  # all of them, or the leading ones ("dp" for "dynamic programming on trees")
                if 2 <= n <= min(len(words), 5):
                    index["".join(w[0] for w in words[:n])].append(name)
        return dict(index)

    @cached_property
    def deliverable_heads(self) -> frozenset[str]:
        """First words of deliverable names ("lab", "ps", "milestone"): with a number they name one."""
        return frozenset(n.stems[0] for n in self.names if n.type == "deliverable" and n.stems)


def content(words: Sequence[Word]) -> list[tuple[int, str]]:
    """(token position, stem) of every word that carries meaning, digits included."""
    return [(i, stem(w.text)) for i, w in enumerate(words) if w.text not in STOPWORDS or w.text.isdigit()]


def stems_of(text: str) -> tuple[str, ...]:
    from bot.answer.understand.words import words as split

    return tuple(s for _, s in content(split(name_text(text))))


def build_gazetteer(course: Course) -> Gazetteer:
    names: list[Name] = []
    names += _deliverable_names(course)
    for s in course.sessions:
        kind: EntityType = "session" if s.date else "item"
        ref = s.date.isoformat() if s.date else _item_ref(course, s)
        names += _names(kind, ref, (s.topic, *s.aliases))
    for t_no, topic in enumerate(course.readings):
        names += _names("topic", str(t_no), (_strip_brackets(topic.topic), *topic.aliases))
        for r_no, r in enumerate(topic.items):
            names += _names("reading", f"{t_no}:{r_no}", (r.title,))
            names += _names("reading", f"{t_no}:{r_no}", [a.split()[-1] for a in r.authors if a.split()], alias=True)
    for m in course.info.staff:
        parts = [p for p in m.name.replace(".", " ").split() if len(p) >= 3]
        names += _names("staff", m.name, (m.name, *parts, *m.aliases), alias=True)
    for n, resource in enumerate(course.resources):
        names += _names("resource", str(n), (resource.name, *resource.aliases))
    for p in course.policies:
        names += _names("policy", p.id, (p.title, *p.aliases))
    names += _names("course", "course", (course.info.title, course.info.code))  # "who teaches deep learning"
    return Gazetteer([n for n in names if n.stems])


def _deliverable_names(course: Course) -> list[Name]:
    names = []
    for d in course.deliverables:
        names += _names("deliverable", d.id, (d.name,))
        names += _names("deliverable", d.id, d.aliases, alias=True)
    return names


def _item_ref(course: Course, session) -> str:
    return str([s for s in course.sessions if s.date is None].index(session))


def _names(kind: EntityType, ref: str, texts: Iterable[str], alias: bool = False) -> list[Name]:
    out = []
    for text in texts:
        stems = stems_of(text)
        number = next((s for s in stems if _NUMBER.match(s)), None)
        acronyms = frozenset(stem(w.lower()) for w in re.findall(r"\b[A-Z][A-Z0-9]{1,6}s?\b", text))
        written = [w for w in re.findall(r"[a-z0-9]+", _strip_brackets(text).lower()) if w not in STOPWORDS]
        surfaces = {stem(w): w for w in written}
        out.append(Name(kind, ref, stems, number, alias, acronyms, surfaces, tuple(written)))
    return out


def _strip_brackets(text: str) -> str:
    return re.sub(r"\([^)]*\)", " ", text)


# --- linking -----------------------------------------------------------------------------

def link(words: Sequence[Word], gazetteer: Gazetteer, course: Course) -> list[Mention]:
    """Every entity mention in the question: named entries, kinds, roles, missing numbers."""
    found = _named(words, gazetteer)
    found += _classes(words, "kind", KIND_WORDS | ANY_KIND,
                      lambda k: [d.id for d in course.deliverables if k == "any" or d.kind == k])
    found += _classes(words, "role", ROLE_WORDS, lambda r: _staff_with_role(course, r))
    found += _classes(words, "resource_kind", RESOURCE_KIND_WORDS,
                      lambda k: [str(n) for n, r in enumerate(course.resources) if r.kind == k])
    found += _missing(words, gazetteer, course, found)
    found += _this_course(words)
    return _resolve(found)


COURSE_PREPOSITIONS = frozenset({"in", "for", "of", "about", "from", "to"})
COURSE_NOUNS = frozenset({"class", "course"})


def _this_course(words: Sequence[Word]) -> list[Mention]:
    """ "the first thing due *in this class*": after a preposition, "this class" is the course itself,
    not a lecture (a "this class" that meets or is on a day stays a session)."""
    out = []
    for i in range(1, len(words) - 1):
        if words[i - 1].text in COURSE_PREPOSITIONS and words[i].text == "this" and words[i + 1].text in COURSE_NOUNS:
            a, b = words[i], words[i + 1]
            out.append(Mention("course", ("course",), i, i + 1, a.start, b.end, f"{a.text} {b.text}"))
    return out


def _named(words: Sequence[Word], gaz: Gazetteer) -> list[Mention]:
    stems = content(words)
    found: list[Mention] = []
    for a in range(len(stems)):
        candidates = {(n.type, n.ref, n.stems): n for n in gaz.by_stem.get(stems[a][1], [])}
        for name in candidates.values():
            mention = _window(words, stems, a, name, gaz)
            if mention:
                found.append(mention)
    found += _initials(words, gaz)
    return _group_refs(found)


def _initials(words: Sequence[Word], gaz: Gazetteer) -> list[Mention]:
    """An abbreviation made of a name's initials: "dp" for "Dynamic programming on trees", "gd" for
    "gradient descent", "cnns" for "convolutional neural networks"."""
    out = []
    for i, w in enumerate(words):
        letters = w.text[:-1] if w.text.endswith("s") and len(w.text) > 2 else w.text
        if not (2 <= len(letters) <= 5 and letters.isalpha()) or letters in STOPWORDS:
            continue
        for name in gaz.by_initials.get(letters, ()):
            out.append(Mention(name.type, (name.ref,), i, i, w.start, w.end, w.text, ACRONYM_SCORE))
    return out


def _window(words: Sequence[Word], stems: list[tuple[int, str]], a: int, name: Name, gaz: Gazetteer) -> Mention | None:
    """The longest run of question stems from position ``a`` that all belong to ``name``."""
    own = set(name.stems)
    b = a
    while b + 1 < len(stems) and b + 1 - a < MAX_WINDOW and stems[b + 1][1] in own and \
            stems[b + 1][0] - stems[b][0] <= 2 and not _joined(words, stems[b][0], stems[b + 1][0]) and \
            stems[b + 1][1] not in {s for _, s in stems[a : b + 1]}:
        b += 1  # "homework 1 and homework 2" is two names: a name neither repeats a word nor spans "and"
    if _NUMBER.match(stems[a][1]):
        return None  # a number follows its word ("homework 2"), it does not start a name ("2 or reading 3")
    got = [s for _, s in stems[a : b + 1]]
    if b == a and not _same_word(words[stems[a][0]].text, name.surfaces.get(got[0], got[0])):
        return None  # the verb "read" is not the deliverable "Readings", though both stem to "read"
    numbers = [s for s in got if _NUMBER.match(s)]
    if name.number and (numbers != [name.number] if numbers else _number_follows(stems, b)):
        return None  # "homework 3" is not "Homework 2"; a bare "homework" names the kind, not one of them
    if not name.number and numbers:
        got = [s for s in got if not _NUMBER.match(s)]
        if not got:
            return None
    total = sum(gaz.weight(s) for s in own if not (name.number and s == name.number))
    covered = sum(gaz.weight(s) for s in set(got) if s != name.number)
    coverage = covered / total if total else 0.0
    if name.number and numbers:  # "hw3" is "HW3 — Visual odometry on KITTI": a name's head and number label it
        coverage = 1.0 if got[0] == name.stems[0] and name.stems[1:2] == (name.number,) else min(1.0, coverage + 0.25)
    if not any(s not in function_stems() and not s.isdigit() for s in got) and (coverage < 0.99 or len(own) == 1
                                                                                and name.type not in _OWN_WORDS):
        return None  # "due", "week", "lecture" alone name no entry; they say what kind of thing is asked
    least = MIN_POLICY_COVERAGE if name.type == "policy" else MIN_COVERAGE
    if coverage < least and not set(got) & name.acronyms:
        return None
    first, last = stems[a][0], stems[b][0]
    return Mention(name.type, (name.ref,), first, last, words[first].start, words[last].end,
                   " ".join(w.text for w in words[first : last + 1]), round(min(coverage, 1.0), 3))


def _joined(words: Sequence[Word], i: int, j: int) -> bool:
    return any(w.text in ("and", "or", "vs", "versus", ",") for w in words[i + 1 : j])


_OWN_WORDS = ("deliverable",)  # "Homework 1", "Readings": a kind word is these entries' whole name


@lru_cache(maxsize=1)
def function_stems() -> frozenset[str]:
    """Stems of one-word cues, kind and role words: alone they name nothing ("due", "week", "lecture")."""
    from bot.answer.understand import words as cues

    tables = (cues.OPERATION_CUES, cues.ATTRIBUTE_CUES, cues.TARGET_CUES, cues.RELATION_CUES, KIND_WORDS, ROLE_WORDS,
              RESOURCE_KIND_WORDS, {"": GENERIC_WORDS}, {"": tuple(cues.ORDINALS)})
    singles = (p for table in tables for phrases in table.values() for p in phrases if " " not in p.strip())
    return frozenset(s for p in singles for s in stems_of(p))


def _same_word(said: str, written: str) -> bool:
    """One word in two spellings: plural or singular ("homeworks"/"homework"), or near in length."""
    a, b = said.rstrip("s"), written.rstrip("s")
    return a == b or a.startswith(b) or b.startswith(a) and len(b) - len(a) <= 2


def _number_follows(stems: list[tuple[int, str]], b: int) -> bool:
    return b + 1 < len(stems) and bool(_NUMBER.match(stems[b + 1][1])) and stems[b + 1][0] == stems[b][0] + 1


def _group_refs(found: list[Mention]) -> list[Mention]:
    """One mention per (type, span): every entry a span names equally well ("Readings" x4)."""
    groups: dict[tuple[EntityType, int, int], list[Mention]] = defaultdict(list)
    for m in found:
        groups[(m.type, m.first, m.last)].append(m)
    out = []
    for (kind, first, last), ms in groups.items():
        best = max(m.score for m in ms)
        floor = best - 1e-9 if kind in EXACT_TYPES else 0.0  # "GANs" names both "GANs" and "More GANs" lectures
        refs = tuple(dict.fromkeys(r for m in ms if m.score >= floor for r in m.refs))
        top = ms[0]
        out.append(Mention(kind, refs, first, last, top.start, top.end, top.text, best))
    return out


def _classes(words: Sequence[Word], kind: EntityType, table: dict[str, tuple[str, ...]], members) -> list[Mention]:
    tokens = [w.text for w in words]
    phrases = sorted(((tuple(p.split()), key) for key, ps in table.items() for p in ps), key=lambda x: -len(x[0]))
    taken: set[int] = set()
    out = []
    for phrase, key in phrases:
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i : i + n]) == phrase and not taken.intersection(range(i, i + n)):
                taken.update(range(i, i + n))
                refs = tuple(members(key))
                out.append(Mention(kind, refs, i, i + n - 1, words[i].start, words[i + n - 1].end,
                                   " ".join(phrase), 0.9, detail=key))
    return out


def _staff_with_role(course: Course, role: str) -> list[str]:
    words = ROLE_WORDS[role]
    return [m.name for m in course.info.staff if any(re.search(rf"\b{re.escape(w)}\b", m.role.lower()) for w in words)
            and not (role == "ta" and "mentor" in m.role.lower())]


def _missing(words: Sequence[Word], gaz: Gazetteer, course: Course, found: list[Mention]) -> list[Mention]:
    """A kind word (or a deliverable's first word) with a number no deliverable has."""
    out = []
    kinds = {p: k for k, ps in KIND_WORDS.items() for p in ps if " " not in p}
    for i in range(len(words) - 1):
        head, number = words[i].text, words[i + 1].text
        if not _NUMBER.match(number) or not (head in kinds or stem(head) in gaz.deliverable_heads):
            continue
        if any(m.type == "deliverable" and m.first <= i + 1 <= m.last for m in found):
            continue
        kind = kinds.get(head)
        same = [d.id for d in course.deliverables if (kind and d.kind == kind) or stem(head) in stems_of(d.name)]
        out.append(Mention("missing", tuple(same), i, i + 1, words[i].start, words[i + 1].end,
                           f"{head} {number}", 1.0, detail=kind or head))
    return out


def _resolve(found: list[Mention]) -> list[Mention]:
    """Within a type, keep the longest, best mentions that do not overlap; a named entry beats a
    kind or missing mention on the same words, unless its name is only the kind word ("Readings" x4
    is the kind "readings", which also covers "Project Readings")."""
    kinds = {(m.first, m.last) for m in found if m.type == "kind"}
    found = [m for m in found if not (m.type == "deliverable" and len(m.refs) > 1 and (m.first, m.last) in kinds)]
    order = sorted(found, key=lambda m: (-(m.last - m.first), -m.score, m.first))
    kept: list[Mention] = []
    # Word positions taken per type, and the longest kept deliverable on each position: a mention spans at most
    # MAX_WINDOW words, so each check is a few lookups (comparing with every kept mention took 27 s on a
    # 90,000-character question of one repeated word).
    taken: dict[str, set[int]] = {}
    deliverable_span: dict[int, int] = {}
    for m in order:
        positions = range(m.first, m.last + 1)
        if any(p in taken.get(m.type, ()) for p in positions):
            continue
        if m.type in ("kind", "missing") and any(deliverable_span.get(p, -1) >= m.last - m.first for p in positions):
            continue
        kept.append(m)
        taken.setdefault(m.type, set()).update(positions)
        if m.type == "deliverable":
            for p in positions:
                deliverable_span[p] = max(deliverable_span.get(p, -1), m.last - m.first)
    return sorted(kept, key=lambda m: (m.first, m.type))
