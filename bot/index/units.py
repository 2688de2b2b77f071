"""Cut a Course into answerable units: the things a question can be matched against.

Each unit says what it is (``kind``), which knowledge entry it comes from (``ref``),
and the text it is found by. Besides one unit per entry, structure gives a few units
for free: the readings to start with, the starred readings, each resource kind, each
reading topic as a whole.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Literal

from bot.format import clock, day_label
from bot.knowledge import Course

CALENDAR_SOURCE = "Course calendar"
UnitKind = Literal["policy", "faq", "reading", "topic", "start", "starred", "resource", "resources", "session",
                   "item", "deliverable", "fact"]


@dataclass(frozen=True)
class Unit:
    key: str  # unique and stable: kind:ref[:n]
    kind: UnitKind
    ref: str  # id of the knowledge entry the answer is built from
    title: str
    text: str  # what the unit is found by (embedded and matched lexically)
    url: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


def build_units(course: Course) -> list[Unit]:
    units: list[Unit] = []
    units += _policy_units(course)
    units += _faq_units(course)
    units += _reading_units(course)
    units += _resource_units(course)
    units += _calendar_units(course)
    units += _fact_units(course)
    keys = [u.key for u in units]
    assert len(keys) == len(set(keys)), "unit keys must be unique"
    return units


def _policy_units(course: Course) -> list[Unit]:
    units = []
    for p in course.policies:
        units.append(Unit(f"policy:{p.id}", "policy", p.id, p.title, f"{p.title}. {p.text}", p.url))
        for n, alias in enumerate(p.aliases):
            units.append(Unit(f"policy:{p.id}:{n}", "policy", p.id, p.title, f"{alias}: {p.title}", p.url))
        units += _sentence_units("policy", p.id, p.title, p.text, p.url)
    return units


def _faq_units(course: Course) -> list[Unit]:
    units = []
    for f in course.faq:
        for n, q in enumerate((f.question, *f.paraphrases)):
            units.append(Unit(f"faq:{f.id}:{n}", "faq", f.id, f.question, q, f.url))
        units += _sentence_units("faq", f.id, f.question, f.answer, f.url)
    return units


def also(aliases: tuple[str, ...]) -> str:
    """The other names an entry goes by, so retrieval and the course's vocabulary know them too."""
    return f" (also: {', '.join(aliases)})" if aliases else ""


def _sentence_units(kind: UnitKind, ref: str, title: str, text: str, url: str | None) -> list[Unit]:
    """One unit per sentence of a longer text, with its heading, so the answering sentence can lead."""
    sentences = split_sentences(text)
    if len(sentences) < 3:
        return []
    return [Unit(f"{kind}:{ref}:s{n}", kind, ref, title, f"{title}: {s}", url) for n, s in enumerate(sentences)]


def split_sentences(text: str) -> list[str]:
    """Sentences of a text (". " boundaries; "e.g." and similar abbreviations kept whole)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z(*])", " ".join(text.split()))
    out: list[str] = []
    for part in parts:
        if out and re.search(r"\b(e\.g|i\.e|etc|vs|approx|no)\.$", out[-1], re.IGNORECASE):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return [p for p in out if p]


def _reading_units(course: Course) -> list[Unit]:
    units = []
    for t_no, topic in enumerate(course.readings):
        titles = "; ".join(r.title for r in topic.items)
        text = f"Readings on {topic.topic}{also(topic.aliases)}: {titles}"
        units.append(Unit(f"topic:{t_no}", "topic", str(t_no), topic.topic, text))
        for r_no, r in enumerate(topic.items):
            by = f" by {', '.join(r.authors)}" if r.authors else ""
            year = f" ({r.year})" if r.year else ""
            text = f"{r.title}{by}{year}. {r.note or ''} Reading on {topic.topic}."
            units.append(Unit(f"reading:{t_no}:{r_no}", "reading", f"{t_no}:{r_no}", r.title, text, r.url))
    starts = [r.title for t in course.readings for r in t.items if r.start_here]
    if starts:
        text = "Which readings to start with, where to begin reading, first reading: " + "; ".join(starts)
        units.append(Unit("start:all", "start", "all", "Where to start with the readings", text))
    for t_no, topic in enumerate(course.readings):
        firsts = [r.title for r in topic.items if r.start_here]
        if firsts:
            text = f"Where to start reading about {topic.topic}, first reading on {topic.topic}: {'; '.join(firsts)}"
            units.append(Unit(f"start:{t_no}", "start", str(t_no), f"Where to start on {topic.topic}", text))
    starred = [r.title for t in course.readings for r in t.items if r.starred]
    if starred:
        text = "Starred readings (marked with *), covered in class: " + "; ".join(starred)
        units.append(Unit("starred:all", "starred", "starred", "Starred readings", text))
    return units


RESOURCE_KIND_WORDS = {
    "package": "Programming packages, libraries and frameworks",
    "book": "Books on the subject",
    "compute": "Computing resources: GPUs, cloud compute, lab machines",
    "dataset": "Datasets and data sets",
    "slides": "Lecture slides",
    "notebook": "Jupyter notebooks",
    "tool": "Tools",
    "other": "Other resources",
}


def _resource_units(course: Course) -> list[Unit]:
    units = []
    for n, r in enumerate(course.resources):
        text = f"{r.name} ({RESOURCE_KIND_WORDS[r.kind].lower()}): {r.description or ''}"
        units.append(Unit(f"resource:{n}", "resource", str(n), r.name, text + also(r.aliases), r.url))
    for kind, label in RESOURCE_KIND_WORDS.items():
        names = [r.name for r in course.resources if r.kind == kind]
        if names:
            units.append(Unit(f"resources:{kind}", "resources", kind, label, f"{label}: {', '.join(names)}"))
    return units


def _calendar_units(course: Course) -> list[Unit]:
    units = []
    for s in course.dated_sessions:
        assert s.date is not None
        week = f"Week {s.week}, " if s.week is not None else ""
        status = " No class." if s.no_class else " Lecture topic."
        text = f"{week}{day_label(s.date)}: {s.topic}.{status} {s.note or ''}"
        units.append(Unit(f"session:{s.date.isoformat()}", "session", s.date.isoformat(), s.topic,
                          text + also(s.aliases), s.url))
    for n, s in enumerate(x for x in course.sessions if x.date is None):
        week = f"Week {s.week}" if s.week is not None else "Undated"
        units.append(Unit(f"item:{n}", "item", str(n), s.topic, f"{week}: {s.topic}. {s.note or ''}", s.url))
    for d in course.deliverables:
        pts = f", {d.points_text}" if d.points_text else ""
        text = f"{d.name} ({d.kind}) due {day_label(d.date)}{pts}. {d.topic}."
        units.append(Unit(f"deliverable:{d.id}", "deliverable", d.id, d.name, text + also(d.aliases), d.url))
    return units


def _fact_units(course: Course) -> list[Unit]:
    info = course.info
    facts: list[tuple[str, str, str | None]] = [
        ("description", f"What the course covers, course description, topics: {info.description}", info.url),
        ("title", f"{info.code} {info.title}, {info.term}, {info.institution}", info.url),
    ]
    for n, m in enumerate(info.meetings):
        days = "/".join(m.days)
        facts.append((f"meeting-{n}", f"Class time and place: what days and what time class meets, where lectures "
                      f"are held, in person or online: {days} "
                      f"{clock(m.start)} to {clock(m.end)}, {m.location}. {m.note or ''}", m.url))
    staff = "; ".join(f"{s.name} ({s.role})" for s in info.staff)
    if staff:
        facts.append(("staff", f"Course staff: who teaches the course, the instructor, professor, teaching "
                      f"assistants (TAs), mentors: {staff}", None))
    if any(s.office_hours for s in info.staff):
        facts.append(("office-hours", "Office hours: when and where to meet the staff for help, zoom links, "
                      + "; ".join(f"{s.name}: {', '.join(h.day for h in s.office_hours)}" for s in info.staff), None))
    if info.questions:
        q = info.questions
        facts.append(("questions", f"Where to ask questions outside of class, forum, discussion: {q.name}. "
                      f"{q.text or ''}", q.url))
    if info.textbook:
        facts.append(("textbook", f"Course textbook, required book, primary text: {info.textbook.title}. "
                      f"{info.textbook.note or ''}", info.textbook.url))
    if info.prerequisites:
        facts.append(("prerequisites", f"Prerequisites, prior courses required: {info.prerequisites}", None))
    return [Unit(f"fact:{key}", "fact", key, key.replace("-", " "), text, url) for key, text, url in facts]
