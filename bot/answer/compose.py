"""Write answers from course entries: short, factual, with the source they come from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.answer.model import Reply, Source
from bot.answer.text import tokens
from bot.format import clock, day_label, days_between
from bot.index.units import RESOURCE_KIND_WORDS
from bot.knowledge import Course, Due
from bot.knowledge.schema import (
    WEEKDAYS,
    Meeting,
    OfficeHour,
    Policy,
    Reading,
    ReadingTopic,
    Resource,
    Session,
    StaffMember,
)


def calendar_source(course: Course, what: str) -> Source:
    return Source("calendar", what, f"Course calendar ({what})", course.info.url)


# --- deadlines -------------------------------------------------------------------------

def due_line(course: Course, due: Due, now: dt.datetime | None, bullet: bool = False) -> str:
    when = f"**{day_label(due.date)}**"
    if due.due_time:
        when += f" at {clock(due.due_time)}"
    week = f" (week {due.week})" if due.week is not None else ""
    pts = f" — {due.points_text}" if due.points_text else ""
    if bullet:
        return f"• {due.name}: {when}{week}{pts}"
    today = now.astimezone(course.tz).date() if now else None
    verb = "was due" if today and due.date < today else "is due"
    countdown = f" ({days_between(today, due.date)})" if today and due.date >= today else ""
    return f"**{due.name}** {verb} {when}{countdown}{week}{pts}."


def deadlines(course: Course, dues: Sequence[Due], now: dt.datetime | None, header: str = "") -> Reply:
    if len(dues) == 1:
        text = due_line(course, dues[0], now)
    else:
        text = (header or "Deadlines:") + "\n" + "\n".join(due_line(course, d, now, bullet=True) for d in dues)
    note = deadline_note(course)
    if note and not any(d.due_time for d in dues):
        text += f"\n{note}"
    ids = ", ".join(sorted({f"week {d.week}" for d in dues if d.week is not None}, key=_week_order))
    refs = tuple(f"deliverable:{d.id}" for d in dues)
    return Reply(text, (calendar_source(course, ids or "deadlines"),), route="deadline", refs=refs)


def _week_order(label: str) -> int:
    return int(label.split()[-1])


def deadline_note(course: Course) -> str | None:
    """The course's own rule for the time of day things are due, if its policies state one."""
    for policy in course.policies:
        for sentence in policy.text.split(". "):
            lowered = sentence.lower()
            if "due" in lowered and ("time" in lowered or "by" in lowered) and "submit" in lowered:
                return sentence.strip().rstrip(".") + "."
    return None


# --- schedule --------------------------------------------------------------------------

def session_line(session: Session) -> str:
    assert session.date is not None
    week = f" (week {session.week})" if session.week is not None else ""
    if session.no_class:
        extra = f" — {session.note}" if session.note else ""
        return f"**{day_label(session.date)}**{week}: no class ({session.topic}){extra}"
    return f"**{day_label(session.date)}**{week}: {session.topic}"


def sessions(course: Course, items: Sequence[Session], header: str = "") -> Reply:
    lines = []
    for s in items:
        line = session_line(s)
        due = [d for d in course.deliverables if d.date == s.date]
        if due:
            line += " — due: " + ", ".join(f"{d.name}" + (f" ({d.points_text})" if d.points_text else "") for d in due)
        lines.append(line)
    body = "\n".join(("• " + line) if len(lines) > 1 else line for line in lines)
    text = f"{header}\n{body}" if header else body
    weeks = sorted({s.week for s in items if s.week is not None})
    label = ", ".join(f"week {w}" for w in weeks) or "schedule"
    return Reply(text, (calendar_source(course, label),), route="schedule")


# --- policies and FAQ --------------------------------------------------------------------

def policies(items: Sequence[Policy]) -> Reply:
    text = "\n\n".join(f"**{p.title}**: {p.text}" for p in items)
    return Reply(text, tuple(Source("policy", p.id, p.title, p.url) for p in items), route="policy")


# --- readings ----------------------------------------------------------------------------

def reading_line(r: Reading, with_note: bool = True) -> str:
    star = "* " if r.starred else ""
    by = f" — {', '.join(r.authors)}" if r.authors else ""
    year = f" ({r.year})" if r.year else ""
    flags = [f for f, on in (("start here", r.start_here), (r.credit or "", bool(r.credit))) if on]
    flag = f" [{'; '.join(flags)}]" if flags else ""
    note = f": {r.note}" if with_note and r.note else ""
    link = f" <{r.url}>" if r.url else ""
    return f"{star}**{r.title}**{by}{year}{flag}{note}{link}"


def reading(r: Reading, topic: ReadingTopic, key: str) -> Reply:
    text = f"{reading_line(r)}\n(Reading list: {topic.topic})"
    return Reply(text, (Source("reading", key, r.title, r.url),), route="reading")


def topic_list(topic: ReadingTopic, key: str) -> Reply:
    head = f"Readings on **{topic.topic}**:" + (f" {topic.note}" if topic.note else "")
    lines = [f"• {reading_line(r, with_note=False)}" for r in topic.items]
    return Reply(head + "\n" + "\n".join(lines), (Source("reading", key, topic.topic),), route="reading")


def starting_points(course: Course, topic_no: int | None = None) -> Reply:
    """Readings marked "start here": for one topic, or the first overall then one per topic."""
    topics = list(enumerate(course.readings))
    if topic_no is not None:
        topic = course.readings[topic_no]
        lines = [reading_line(r) for r in topic.items if r.start_here]
        text = f"On **{topic.topic}**, start with " + "\n".join(lines)
        return Reply(text, (Source("reading", f"start:{topic_no}", f"Readings: {topic.topic}"),), route="reading")
    lines = [f"• {t.topic}: {reading_line(r, with_note=False)}" for _, t in topics for r in t.items if r.start_here]
    first = lines[0].split(": ", 1)[1] if lines else ""
    text = f"Start with {first}"
    if len(lines) > 1:
        text += "\nWhere to start on each topic:\n" + "\n".join(lines[1:])
    return Reply(text, (Source("reading", "start-here", "Readings marked start here"),), route="reading")


def starred(course: Course) -> Reply:
    lines = [f"• {reading_line(r, with_note=False)} ({t.topic})" for t in course.readings for r in t.items if r.starred]
    text = "Starred readings:\n" + "\n".join(lines)
    return Reply(text, (Source("reading", "starred", "Starred readings"),), route="reading")


# --- resources ---------------------------------------------------------------------------

def resource(r: Resource, key: str) -> Reply:
    link = f" <{r.url}>" if r.url else ""
    text = f"**{r.name}**: {r.description or RESOURCE_KIND_WORDS[r.kind]}{link}"
    return Reply(text, (Source("resource", key, r.name, r.url),), route="resource")


def resource_kind(course: Course, kind: str) -> Reply:
    items = [r for r in course.resources if r.kind == kind]
    lines = [f"• **{r.name}**: {r.description or ''}" + (f" <{r.url}>" if r.url else "") for r in items]
    text = f"{RESOURCE_KIND_WORDS[kind]}:\n" + "\n".join(lines)
    return Reply(text, (Source("resource", kind, RESOURCE_KIND_WORDS[kind]),), route="resource")


# --- course facts ------------------------------------------------------------------------

def fact(course: Course, key: str, question: str = "") -> Reply:
    info = course.info
    source = Source("course", key, f"{info.code} {info.title}: {key.replace('-', ' ')}", info.url)
    if key.startswith("meeting"):
        text = "\n".join(meeting_line(m, course) for m in info.meetings)
    elif key == "office-hours":
        text = office_hours(course, question)
    elif key == "staff":
        words = set(tokens(question))
        named = [s for s in info.staff if words & {w for w in tokens(s.name) if len(w) >= 3}]
        text = "\n".join(f"{s.role.capitalize()}: **{s.name}**" + (f" <{s.url}>" if s.url else "")
                         for s in named or info.staff)
    elif key == "questions" and info.questions:
        q = info.questions
        text = (q.text or f"Ask on {q.name}.") + (f" <{q.url}>" if q.url else "")
    elif key == "textbook" and info.textbook:
        t = info.textbook
        text = f"Textbook: **{t.title}**" + (f" <{t.url}>" if t.url else "") + (f"\n{t.note}" if t.note else "")
    elif key == "prerequisites":
        text = f"Prerequisites: {info.prerequisites}"
    elif key == "title":
        text = f"This is {info.code} {info.title}, {info.term}, {info.institution}."
    else:
        text = f"{info.code} {info.title} ({info.term}): {info.description}"
    return Reply(text, (source,), route="fact")


ZONE_NAMES = {  # how people say the common course zones; anything else is named by its IANA id
    "America/New_York": "Eastern Time", "America/Detroit": "Eastern Time", "America/Chicago": "Central Time",
    "America/Denver": "Mountain Time", "America/Phoenix": "Mountain Time", "America/Los_Angeles": "Pacific Time",
    "Europe/London": "UK time", "UTC": "UTC",
}


def zone_name(course: Course) -> str:
    return ZONE_NAMES.get(course.info.timezone, course.info.timezone)


def meeting_line(m: Meeting, course: Course) -> str:
    days = "/".join(d[:3] for d in m.days)
    note = f" {m.note}" if m.note else ""
    return f"Class meets **{days} {clock(m.start)}–{clock(m.end)}** ({zone_name(course)}), {m.location}.{note}"


def office_hours(course: Course, question: str = "") -> str:
    """Office hours, narrowed to the people or weekdays the question names (if any)."""
    words = set(tokens(question))
    slots = [(m, h) for m in course.info.staff for h in m.office_hours]
    if not slots:
        return "No office hours are listed for this course."
    people = [(m, h) for m, h in slots if words & {w for w in tokens(m.name) if len(w) >= 3}]
    days = {d for d in WEEKDAYS if words & {d.lower(), d.lower() + "s", d[:3].lower(), d[:4].lower()}}
    chosen = people or slots
    if days:
        chosen = [(m, h) for m, h in chosen if h.day in days]
    lines = [slot_line(m, h) for m, h in chosen]
    if not lines:
        return f"No office hours on {', '.join(sorted(days))}. " + office_hours(course)
    return "Office hours:\n" + "\n".join(lines)


def slot_line(member: StaffMember, h: OfficeHour) -> str:
    where = f" {h.place}" if h.place else ""
    link = f" <{h.url}>" if h.url else ""
    note = f" ({h.note})" if h.note else ""
    return f"• {h.day}s {clock(h.start)}–{clock(h.end)}{note}: {member.name} ({member.role}){where}{link}"


# --- declining ---------------------------------------------------------------------------

def decline(course: Course, reason: str = "") -> Reply:
    q = course.info.questions
    where = f"on {q.name}" + (f" (<{q.url}>)" if q.url else "") if q else "to the course staff"
    hours = ""
    slots = [(m, h) for m in course.info.staff for h in m.office_hours]
    if slots:
        m, h = slots[0]
        more = ", more times listed" if len(slots) > 1 else ""
        hours = f" or come to office hours ({h.day}s {clock(h.start)}–{clock(h.end)}{more})"
    lead = reason or "I don't know that one — I couldn't find it in the course materials, and I won't guess."
    text = f"{lead} Please ask {where}{hours}."
    return Reply(text, (), confidence=0.0, answered=False, route="decline")
