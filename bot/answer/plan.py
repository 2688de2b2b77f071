"""Plan: choose the query a question asks for and fill its slots from the mentions.

The operation and target come from the nearest canonical form (embedding similarity of
the templated question to each form's phrasings) whose slots the question can fill,
adjusted by explicit word features where embeddings confuse opposites or miss the shape
("how many" is a count, "most" a maximum, "is there…" a yes/no). Filters come from the
extractors: named rows, kinds, times, and a relation word before an anchor event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast, get_args

import numpy as np

from bot.answer.forms import Form
from bot.answer.query import Anchor, Query
from bot.answer.rows import Tables
from bot.answer.understand.entities import Mention
from bot.answer.understand.question import CLASS_MENTIONS, Understood
from bot.answer.understand.times import Days, TimeMention
from bot.answer.understand.words import Attribute, Operation, Relation, Target
from bot.format import day_label

# Which mention types can fill an entity slot of each target.
COMPATIBLE: dict[str, frozenset[str]] = {
    "deliverable": frozenset({"deliverable", "kind", "missing"}),
    "session": frozenset({"session"}),
    "item": frozenset({"item"}),
    "reading": frozenset({"reading"}),
    "topic": frozenset({"topic"}),
    "staff": frozenset({"staff", "role"}),
    "slot": frozenset({"staff", "role"}),
    "meeting": frozenset(),
    "resource": frozenset({"resource", "resource_kind"}),
    "course": frozenset(),
}
DATED = frozenset({"deliverable", "session"})  # mention types that are events on the calendar
ATTRIBUTES: dict[str, frozenset[str]] = {
    "deliverable": frozenset({"date", "weekday", "time", "points", "week", "topic", "link"}),
    "session": frozenset({"date", "weekday", "topic", "week", "time", "place", "link"}),
    "item": frozenset({"week", "link"}),
    "reading": frozenset({"person", "link", "topic"}),
    "topic": frozenset(),
    "staff": frozenset({"person", "email", "link", "name"}),
    "slot": frozenset({"date", "time", "place", "room", "link", "person", "weekday"}),
    "meeting": frozenset({"date", "time", "place", "room", "link", "weekday"}),
    "resource": frozenset({"link"}),
    "course": frozenset(),
}
SHAPE_OPS = frozenset({"count", "sum", "max", "min", "countdown", "compare"})
OP_BONUS = 0.15
OP_PENALTY = 0.15
TARGET_BONUS = 0.08
ONE_DAY = dt.timedelta(days=1)
YES_NO_BONUS = 0.1
SLOT_BONUS = 0.05
SPECIFIC = frozenset({"time", "place", "room", "points", "person", "email", "link", "price", "length"})
ATTRIBUTE_MISMATCH = 0.1
OPPOSITES = {"max": "min", "min": "max", "next": "previous", "previous": "next"}
OPPOSITE_PENALTY = 0.3
ANCHORING = Form("anchoring", "deliverable", "list", None, frozenset(), ())  # any form that may take an anchor
MENTION_BONUS = 0.1
UNUSED_PENALTY = 0.1  # per named thing the plan would ignore
UNUSED_MIN = 0.6
MIN_POLICY = 0.5  # a policy named by one of its words ("questions", "late") is still named


@dataclass(frozen=True)
class Plan:
    query: Query
    form: Form
    similarity: float
    score: float
    uses_mentions: bool  # it filters by something the question named (a thing, a kind, a time, an anchor)
    unsupported: tuple[str, ...] = ()  # attributes asked for that this target does not have


def plan(u: Understood, similarities: np.ndarray, forms: Sequence[Form], owners: Sequence[int],
         tables: Tables) -> Plan | None:
    """The best-scoring form the question can fill, as a Query; None if no form fits."""
    best_sim = np.full(len(forms), -1.0)
    for sim, owner in zip(similarities, owners, strict=True):
        best_sim[owner] = max(best_sim[owner], float(sim))
    scored = []
    for n, form in enumerate(forms):
        if not _fillable(form, u):
            continue
        scored.append((best_sim[n] + _features(form, u), n))
    if not scored:
        return None
    score, n = max(scored)
    form = forms[n]
    uses = bool(_mentions_for(form.target, u) or u.times or _anchor_mention(form, u) or "now" in form.slots)
    unsupported = tuple(c.feature for c in u.attrs if c.feature not in ATTRIBUTES[form.target])
    return Plan(_query(form, u, tables, score), form, float(best_sim[n]), float(score), uses, unsupported)


# --- which forms the question can fill --------------------------------------------------------

def _fillable(form: Form, u: Understood) -> bool:
    mine = _mentions_for(form.target, u)
    if "now" in form.slots and (_other_time(u) or any(m.type != "course" for m in u.mentions)):
        return False  # "what week is it" asks about today; "what week is hw2" names its own time
    if "x" in form.slots and not mine and not (form.operation == "countdown" and any(t.days for t in u.times)):
        return False  # "how many days till thanksgiving": a holiday counts down like a lecture
    if "x2" in form.slots and not _two_things(_compared(form, u), u):
        return False
    if "time" in form.slots and not (u.times or "future" in u.features("ops")
                                     or (form.operation != "lookup" and _relation_anchor(form, u))):
        return False  # "is anything due the same day as the proposal": the anchor gives the day
    return not ("anchor" in form.slots and _anchor_mention(form, u) is None)


def _other_time(u: Understood) -> bool:
    """A time in the question that is not the moment asked at ("right now", "today" are)."""
    return any(not (t.days and t.days.start <= u.today <= t.days.end) for t in u.times)


def _compared(form: Form, u: Understood) -> list[Mention]:
    """What a comparison may set against each other: by date, any two events of the calendar ("is hw2
    due before or after the adversarial attacks lecture"); by points, two of the form's own things."""
    if form.operation == "compare" and form.attribute == "date" and form.target in DATED:
        return [m for m in u.mentions if m.type in DATED | COMPATIBLE[form.target]]
    return _mentions_for(form.target, u)


def _two_things(mine: list[Mention], u: Understood) -> bool:
    """Two different, non-overlapping named things and a word that sets them against each other
    ("or", "than", "vs", a comparison, or — in a yes/no question — "before"/"after" between them)."""
    named = [m for m in mine if m.type not in CLASS_MENTIONS]
    pairs = [(a, b) for a in named for b in named if a.last < b.first and a.refs != b.refs]
    if not pairs:
        return False
    if "compare" in u.features("ops") or any(w.text in ("or", "than", "vs") for w in u.words):
        return True
    a, b = pairs[0]
    return u.yes_no and any(a.last < c.first <= b.first for c in u.relations if c.feature in ("before", "after"))


def _relation_anchor(form: Form, u: Understood) -> bool:
    """A relation word before an event this form may anchor on."""
    anchor = _anchor_mention(form, u)
    return anchor is not None and any(0 < _first_token(anchor, u) - c.last <= 3 for c in u.relations)


def _features(form: Form, u: Understood) -> float:
    ops, bonus = u.features("ops"), 0.0
    if u.ordinals and form.operation == "nth":
        ops = ops | {"nth"}
    if OPPOSITES.get(form.operation) in ops:
        bonus -= OPPOSITE_PENALTY  # embeddings barely tell "most" from "least": the word decides
    if form.operation in ops:
        bonus += OP_BONUS
    elif ops & SHAPE_OPS or (form.operation in SHAPE_OPS | {"nth", "next", "previous"} and form.nth is None):
        bonus -= OP_PENALTY
    if u.yes_no and form.operation == "exists":
        bonus += YES_NO_BONUS
    elif form.operation == "exists":
        bonus -= YES_NO_BONUS
    if form.target in u.features("targets") or (form.target == "topic" and "reading" in u.features("targets")):
        bonus += TARGET_BONUS
    mine = _mentions_for(form.target, u)
    if mine:
        bonus += MENTION_BONUS * max(m.score for m in mine)  # "GANs" names a lecture better than a notebook
    if form.attribute and form.attribute in u.features("attrs"):
        bonus += SLOT_BONUS
    specific = u.features("attrs") & SPECIFIC
    if specific and not specific & (ATTRIBUTES[form.target] | ({form.attribute} if form.attribute else set())):
        bonus -= ATTRIBUTE_MISMATCH  # "who is teaching…": a form about a book cannot say who
    elif specific and form.attribute and form.attribute not in u.features("attrs") and form.operation != "compare":
        bonus -= ATTRIBUTE_MISMATCH  # "what time does class start" asks a time of day, not a date
    if _relation_anchor(form, u) or _relation_anchor(ANCHORING, u):  # "the week after hw2": a filter, not hw2 itself
        bonus += ANCHOR_BONUS if _takes_anchor(form) else -ANCHOR_BONUS
    if "future" in u.features("ops"):  # "what's left to turn in": a list of what is still ahead
        bonus += OP_BONUS if form.operation in ("list", "count", "sum") else 0.0
    return bonus - UNUSED_PENALTY * len(unused_mentions(form, u))


def unused_mentions(form: Form, u: Understood) -> list[Mention]:
    """Strong mentions a plan on this form would ignore: neither its rows nor an anchor."""
    mine = _compared(form, u)
    anchor = _anchor_mention(form, u)
    used = [*mine, *([anchor] if isinstance(anchor, Mention) else []), *(m for m in u.mentions if m.type == "course")]
    return [m for m in u.mentions if m.score >= (UNUSED_MIN if m.type != "policy" else MIN_POLICY)
            and m.type not in COMPATIBLE[form.target] and m is not anchor and not any(m.overlaps(x) for x in used)]


def _mentions_for(target: str, u: Understood) -> list[Mention]:
    return [m for m in u.mentions if m.type in COMPATIBLE[target]]


# --- building the query ------------------------------------------------------------------------

def _query(form: Form, u: Understood, tables: Tables, score: float) -> Query:
    anchor_mention = _anchor_mention(form, u)
    anchor = _anchor(anchor_mention, u, tables) if anchor_mention else None
    mine = [m for m in _mentions_for(form.target, u) if m is not anchor_mention]
    named = [m for m in mine if m.type not in CLASS_MENTIONS]
    kinds = [m for m in mine if m.type in CLASS_MENTIONS]
    if len(kinds) > 1 or named:  # "the last readings assignment": "assignment" adds nothing to "readings"
        kinds = [m for m in kinds if m.detail != "any"] or kinds[:1]
    mine = named + kinds
    days, weekdays = _time_filter(u, tables, exclude=anchor_mention)
    if "now" in form.slots:
        monday = u.today - dt.timedelta(days=u.today.weekday())
        days = Days(monday, monday + dt.timedelta(days=6), "this week")
    if form.operation == "compare":
        days, weekdays = None, frozenset()  # the time is what the rows are compared with, not a filter
    if days is None and "future" in u.features("ops") and tables.course.dated_sessions:
        last = tables.course.last_day
        days = Days(min(u.today, last), last, "from now to the end of the term") if u.today <= last else None
    refs = tuple(dict.fromkeys(r for m in mine for r in _parts_of(m, u, tables))) if mine else None
    return Query(
        target=form.target, operation=_operation(form, u, anchor), projection=_projection(form, u), refs=refs,
        kind_label=kinds[0].text if kinds and not named else "", days=days, weekdays=weekdays, anchor=anchor,
        nth=_nth(u) or form.nth, pair=_pair(form, [m for m in _compared(form, u) if m.type not in CLASS_MENTIONS]),
        form=form.key, score=score,
        versus=next((t.days for t in u.times if t.days), None) if form.operation == "compare" else None,
        upcoming="future" in u.features("ops") and form.operation in ("list", "count", "sum"),
        claim=_claim(form, u),
    )


PART_WORDS = frozenset({"parts", "pieces", "components", "deliverables", "deadlines", "stuff", "assignments",
                        "milestones", "stages", "things"})


def _parts_of(m: Mention, u: Understood, tables: Tables) -> tuple[str, ...]:
    """ "the final project parts / deadlines / stuff": every deliverable of the named one's kind, not it alone."""
    after = u.words[m.last + 1].text if m.last + 1 < len(u.words) else ""
    if m.type != "deliverable" or len(m.refs) != 1 or after not in PART_WORDS:
        return m.refs
    rows = tables["deliverable"]
    kind = next((r.kind for r in rows if r.id == m.refs[0]), None)
    return tuple(r.id for r in rows if kind and r.kind == kind and kind != "other") or m.refs


def _operation(form: Form, u: Understood, anchor: Anchor | None) -> Operation:
    """The form's operation, read more closely: "right after X" is the next one, not every later one
    ("what did we cover last class" is already the previous one: understand reads "last" in the past tense)."""
    op = form.operation
    if op == "list" and anchor and anchor.relation in ("before", "after") and not _plural_target(u):
        return "next" if anchor.relation == "after" else "previous"
    return op


def _plural_target(u: Understood) -> bool:
    """The question names its target in the plural ("which lectures", "all the deadlines")."""
    plural = [c for c in u.targets if c.phrase.endswith("s") and c.phrase not in ("class", "points", "is")]
    kinds = [m for m in u.mentions if m.type in CLASS_MENTIONS and m.text.endswith("s")]
    return bool(plural or kinds or {"all", "every", "everything", "each"} & {w.text for w in u.words})


def _claim(form: Form, u: Understood) -> str | None:
    """What a yes/no comparison asserts of its first thing: "more", "less", "before", "after"."""
    if form.operation != "compare" or not u.yes_no:
        return None
    said = " ".join(w.text for w in u.words)
    if any(f" {a} or {b} " in f" {said} " for a, b in (("before", "after"), ("earlier", "later"), ("more", "less"))):
        return None  # "is hw2 due before or after…" asks which, it claims neither
    for word, claim in (("more", "more"), ("less", "less"), ("fewer", "less"), ("before", "before"),
                        ("earlier", "before"), ("after", "after"), ("later", "after"), ("same", "same")):
        if f" {word} " in f" {said} ":
            return claim
    return None


def _projection(form: Form, u: Understood) -> tuple[Attribute, ...]:
    allowed = ATTRIBUTES[form.target]
    cued = [c.feature for c in u.attrs]
    asked = sorted((a for a in get_args(Attribute) if a in allowed and a in cued), key=cued.index)
    first: list[Attribute] = [form.attribute] if form.attribute else []
    return tuple(dict.fromkeys([*first, *asked]))


def _nth(u: Understood) -> int | None:
    return int(u.ordinals[0].feature) if u.ordinals else None


def _pair(form: Form, named: list[Mention]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    if form.operation != "compare":
        return None
    spans: list[Mention] = []  # one thing per stretch of words: "homework 2" names the deliverable, not its day
    for m in sorted(named, key=lambda m: (m.first, m.type != "deliverable", m.type != form.target, -m.score)):
        if not any(m.overlaps(s) for s in spans):
            spans.append(m)
    groups = list(dict.fromkeys(m.refs for m in spans))
    return (groups[0], groups[1]) if len(groups) >= 2 else None


# --- times and anchors -----------------------------------------------------------------------------

ANCHOR_OPS = frozenset({"list", "count", "sum", "exists", "max", "min", "next", "previous", "nth"})
ANCHOR_BONUS = 0.12


def _takes_anchor(form: Form) -> bool:
    return "anchor" in form.slots or form.operation in ANCHOR_OPS


def _anchor_mention(form: Form, u: Understood) -> Mention | TimeMention | None:
    """The event a relation word points at: "after <the proposal>", "same day as <hw2>"."""
    if "anchor" not in form.slots and form.operation not in ANCHOR_OPS:
        return None  # "how long till the final project": the project is what is counted down to
    allowed = form.anchors or DATED | {"time"}
    candidates: list[Mention | TimeMention] = [*u.mentions, *u.times]
    events = [m for m in candidates if _kind_of(m) in allowed]
    for cue in u.relations:
        after = [m for m in events if 0 < _first_token(m, u) - cue.last <= 3]
        if after:
            return min(after, key=lambda m: _first_token(m, u))
    mine = _mentions_for(form.target, u)
    other = [m for m in u.mentions if m.type in allowed and m.type not in COMPATIBLE[form.target] and m.score >= 0.8
             and not any(m.overlaps(x) for x in mine) and _after_time_word(m, u)]
    if form.target in DATED and other:
        return other[0]  # "what's due on the transformers lecture": the same day as it
    return None


TIME_WORDS = frozenset({"on", "at", "during", "in"})


def _after_time_word(m: Mention, u: Understood) -> bool:
    """ "on the transformers lecture" places a deadline on its day; "readings for CNNs" does not."""
    before = [w.text for w in u.words[max(0, m.first - 3) : m.first] if w.text not in ("the", "a", "our", "that")]
    return bool(before) and before[-1] in TIME_WORDS


def _kind_of(m: Mention | TimeMention) -> str:
    return "time" if isinstance(m, TimeMention) else m.type


def _first_token(m: Mention | TimeMention, u: Understood) -> int:
    if isinstance(m, Mention):
        return m.first
    return next((i for i, w in enumerate(u.words) if w.start >= m.start), len(u.words))


def _relation_of(m: Mention | TimeMention, u: Understood) -> Relation:
    for cue in u.relations:
        if 0 < _first_token(m, u) - cue.last <= 3:
            return cast(Relation, cue.feature)  # relation cues carry a Relation as their feature
    return "same_day"


def _anchor(m: Mention | TimeMention, u: Understood, tables: Tables) -> Anchor | None:
    relation = _relation_of(m, u)
    if isinstance(m, TimeMention):
        if m.days is None:
            return None
        days = tuple(m.days.start + dt.timedelta(n) for n in range((m.days.end - m.days.start).days + 1))
        return Anchor(relation, days, m.days.label)
    rows = [r for r in tables["deliverable" if m.type in ("deliverable", "kind") else "session"] if r.id in m.refs]
    days = tuple(sorted({r.day for r in rows if r.day}))
    if not days:
        return None
    label = rows[0].name if len(rows) == 1 else m.text
    if len(days) == 1:
        label += f" ({day_label(days[0], False)})"  # the student sees which day the answer counts from
    return Anchor(relation, days, label, refs=tuple(r.id for r in rows))


def _time_filter(u: Understood, tables: Tables, exclude: object) -> tuple[Days | None, frozenset[int]]:
    course = tables.course
    days: Days | None = None
    weekdays: set[int] = set()
    for t in u.times:
        if t is exclude:
            continue
        weekdays |= set(t.weekdays)
        if t.days is None:
            continue
        span = _with_relation(t, course.first_day if course.dated_sessions else t.days.start,
                              course.last_day if course.dated_sessions else t.days.end, u.today)
        days = span if days is None else Days(min(days.start, span.start), max(days.end, span.end),
                                              f"{days.label} and {span.label}")
    return days, frozenset(weekdays)


def _with_relation(t: TimeMention, first: dt.date, last: dt.date, today: dt.date) -> Days:
    assert t.days is not None
    d = t.days
    if t.relation == "before":  # clamped: "before 0001-01-01" / "after 9999-12-31" overflowed date
        return Days(min(first, d.start), max(d.start, dt.date.min + ONE_DAY) - ONE_DAY, _said(d.label, "before"))
    if t.relation == "after":
        return Days(min(d.end, dt.date.max - ONE_DAY) + ONE_DAY, max(last, d.end), _said(d.label, "after"))
    if t.relation == "until":
        return Days(min(today, d.end), d.end, _said(d.label, "by"))
    if t.relation == "since":
        return Days(d.start, max(today, d.start), _said(d.label, "since"))
    return d


def _said(label: str, relation: str) -> str:
    """ "before Thanksgiving", not "before before Thanksgiving" (the extractor may have said it)."""
    return label if label.split(" ", 1)[0] in ("before", "after", "by", "since", "from", "until") else \
        f"{relation} {label}"


def target_of(plan_: Plan | None) -> Target | None:
    return plan_.query.target if plan_ else None
