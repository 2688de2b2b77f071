"""A question, understood: its normalised words and what every extractor found in them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from bot.answer.forms import COURSE, ENTITY, TIME
from bot.answer.text import Speller, content_terms, expand
from bot.answer.understand import times as time_extractor
from bot.answer.understand.entities import Gazetteer, Mention, link
from bot.answer.understand.times import TimeMention
from bot.answer.understand.words import ATTRIBUTE_CUES, Cue, Word, find_cues, is_yes_no, words
from bot.knowledge import Course

CLASS_MENTIONS = frozenset({"kind", "role", "resource_kind", "missing"})


@dataclass(frozen=True)
class Understood:
    raw: str
    text: str  # lower-cased, shorthand expanded, typos fixed toward course words
    words: tuple[Word, ...]
    now: dt.datetime  # in the course's time zone
    mentions: tuple[Mention, ...]
    times: tuple[TimeMention, ...]
    ops: tuple[Cue, ...]
    attrs: tuple[Cue, ...]
    targets: tuple[Cue, ...]
    relations: tuple[Cue, ...]
    ordinals: tuple[Cue, ...]
    yes_no: bool

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @cached_property
    def terms(self) -> tuple[str, ...]:
        return tuple(content_terms(self.text))

    @cached_property
    def templated(self) -> str:
        """The question with each mention replaced by its typed placeholder (what forms are matched on)."""
        spans = [(m.start, m.end, COURSE if m.type == "course" else ENTITY) for m in self.mentions]
        spans += [(t.start, t.end, TIME) for t in self.times]
        out, pos = [], 0
        for start, end, word in _merged(spans):
            out.append(self.text[pos:start])
            out.append(word)
            pos = end
        out.append(self.text[pos:])
        return " ".join("".join(out).split())

    def features(self, kind: str) -> set[str]:
        return {c.feature for c in getattr(self, kind)}


def understand(question: str, now: dt.datetime, course: Course, gazetteer: Gazetteer, speller: Speller) -> Understood:
    text = speller.correct(expand(question))
    found = words(text)
    times = tuple(time_extractor.find_times(text, now, course))
    mentions = tuple(m for m in link(found, gazetteer, course) if not _inside_time(m, times))
    blocked = _blocked(found, mentions, times)
    tokens = [w.text for w in found]
    cues: dict[str, list[Cue]] = {}
    for table in ("idiom", ("attr", "op"), "rel", "nth"):  # a phrase read as one cue is not read again as another
        found_cues = find_cues(tokens, table, blocked)
        if table == ("attr", "op"):
            cues["attr"] = [c for c in found_cues if c.feature in ATTRIBUTE_CUES]
            cues["op"] = [c for c in found_cues if c.feature not in ATTRIBUTE_CUES]
        else:
            cues[str(table)] = found_cues
        blocked = blocked | {i for c in found_cues for i in range(c.first, c.last + 1)}
    cues["nth"], cues["op"] = _past_last(tokens, cues["nth"], cues["op"])
    if tokens and tokens[-1] == "about" and len(tokens) - 1 not in blocked:  # "what is homework 1 about"
        cues["attr"].append(Cue("topic", "about", len(tokens) - 1, len(tokens) - 1))
    return Understood(
        raw=question, text=text, words=tuple(found), now=now.astimezone(course.tz), mentions=mentions, times=times,
        ops=tuple(cues["op"]), attrs=tuple(cues["attr"]),
        targets=tuple(find_cues(tokens, "target", _named_only(found, mentions) | _idioms(cues))),
        relations=tuple(cues["rel"]), ordinals=tuple(cues["nth"]), yes_no=is_yes_no(tokens),
    )


PAST = frozenset({"was", "were", "did", "missed", "had", "went", "covered", "learned"})
WHOLE_TERM = frozenset({"term", "quarter", "semester", "course", "year"})


def _past_last(tokens: list[str], nth: list[Cue], ops: list[Cue]) -> tuple[list[Cue], list[Cue]]:
    """ "what was the last class about": said in the past tense, "last" is the most recent one, not the
    term's final one ("the last lecture of the quarter" keeps its ordinal)."""
    if not PAST.intersection(tokens) or WHOLE_TERM.intersection(tokens):
        return nth, ops
    last = [c for c in nth if c.feature == "-1" and c.phrase == "last"]
    if not last:
        return nth, ops
    return [c for c in nth if c not in last], [*ops, *(Cue("previous", c.phrase, c.first, c.last) for c in last)]


def _idioms(cues: dict[str, list[Cue]]) -> frozenset[int]:
    return frozenset(i for c in cues.get("idiom", []) for i in range(c.first, c.last + 1))


def _inside_time(m: Mention, times: tuple[TimeMention, ...]) -> bool:
    """ "before thanksgiving": the holiday is read as a time, so it is not also a lecture to filter by."""
    return any(t.start <= m.start and m.end <= t.end for t in times)


def _blocked(found: list[Word], mentions: tuple[Mention, ...], times: tuple[TimeMention, ...]) -> frozenset[int]:
    """Token positions inside a named thing or a time: their words are not cues ("the final project")."""
    blocked = set(_named_only(found, mentions))
    for t in times:
        blocked.update(i for i, w in enumerate(found) if w.start >= t.start and w.end <= t.end)
    return frozenset(blocked)


def _named_only(found: list[Word], mentions: tuple[Mention, ...]) -> frozenset[int]:
    return frozenset(i for m in mentions if m.type not in CLASS_MENTIONS for i in range(m.first, m.last + 1))


def _merged(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for start, end, word in sorted(spans, key=lambda s: (s[0], -s[1], s[2] != COURSE)):  # the course's own name wins
        if start >= end:
            continue
        if out and start < out[-1][1]:
            prev = out[-1]
            out[-1] = (prev[0], max(prev[1], end), prev[2])
        else:
            out.append((start, end, word))
    return out
