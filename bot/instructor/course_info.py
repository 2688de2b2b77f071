"""The page's title and logistics lines -> course.yaml (code, term, meetings, staff, not-yet-decided...)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from bot.instructor import dates, prose_staff
from bot.instructor.document import Block, Inline, Link, ends_sentence, sentences
from bot.instructor.emit import Guess
from bot.instructor.gather import Gathered, Item
from bot.instructor.people import StaffReader
from bot.instructor.staff_table import is_staff_table
from bot.instructor.words import FORUMS, cancels_class

_CODE = re.compile(r"\b([A-Z]{2,6}(?:[ -][A-Z]{2,6})?)[ -]?(\d{2,5}[A-Z]?(?:[ \t]?/[ \t]?\d{2,5}[A-Z]?){0,3})\b")
_INSTITUTION = re.compile(
    r"((?:[A-Z][\w&.'-]{0,30}[ \t]{1,2}){0,4}(?:University|College|Institute|School|Academy|Polytechnic)"
    r"(?:[ \t]{1,2}of(?:[ \t]{1,2}[A-Z][\w&.'-]{0,30}){1,4})?)"
)
_TOTAL = re.compile(r"(\d{2,4})[- ]point scale|out of (\d{2,4}) points|total of (\d{2,4}) points"
                    r"|(\d{2,4}) points (?:in )?total", re.IGNORECASE)
_SMALL = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
_ROOM_AFTER = re.compile(r"\b(?:in|at|@)[ \t]{1,3}([^,;()]{2,80}?)(?=[ \t]{1,3}(?:on|from|every)\b|[,;.(]|$)",
                         re.IGNORECASE)


def title_case(text: str) -> str:
    if not text.isupper():
        return text
    return " ".join(w.lower() if i and w.lower() in _SMALL else w.capitalize() for i, w in enumerate(text.split()))


def heading_facts(title: str) -> dict[str, Any]:
    """code, title, term and institution from a heading like
    "DEEP LEARNING: Northwestern University CS 396/496 FALL 20"."""
    facts: dict[str, Any] = {}
    rest = title
    term = dates.term_year(title)
    if term:
        facts["term"] = f"{term[0]} {term[1]}"
        rest = re.sub(r"\b(fall|autumn|spring|summer|winter)[ \t]{0,3}(quarter|semester|term)?[ \t]{0,3}'?\d{2,4}\b",
                      " ", rest, flags=re.IGNORECASE)
    if code := _CODE.search(rest):
        facts["code"] = re.sub(r"\s*/\s*", "/", f"{code[1]} {code[2]}")
        rest = rest.replace(code[0], " ")
    if institution := _INSTITUTION.search(rest):
        facts["institution"] = institution[1].strip()
        rest = rest.replace(institution[1], " ")
    rest = re.sub(r"\(\s*\)|\[\s*\]", " ", rest)
    parts = [p.strip(" -–—:|,·•") for p in re.split(r"[:|–—·•]| - ", rest)]
    if "code" not in facts:  # "Data Science 200: Foundations": a department name and a number
        spelled = next((p for p in parts if re.fullmatch(r"[A-Z][\w&]{0,30}(?:\s[A-Z][\w&]{0,30}){0,3}\s\d{2,4}[A-Z]?",
                                                         p)), None)
        if spelled and len([p for p in parts if p]) > 1:
            facts["code"] = Guess(spelled, "course code read from the title's 'Name 123' part")
            parts.remove(spelled)
    name = max((p for p in parts if p), key=len, default="")
    if name:
        facts["title"] = title_case(re.sub(r"\s+(?:I{1,3}|IV)$", lambda m: m[0], name))
    return facts


@dataclass
class Info:
    """What the logistics lines say; ``undetermined`` collects what the page says is not decided yet."""

    gathered: Gathered
    page_text: str
    unplaced: list[str]
    preamble: list[Block] = field(default_factory=list)  # blocks under the page title, before any section
    untitled: list[Block] = field(default_factory=list)  # blocks of sections without a role ("### Fall 2026")
    undetermined: list[dict[str, Any]] = field(default_factory=list)
    used_items: set[int] = field(default_factory=set)

    def use(self, item: Item) -> None:
        self.used_items.add(id(item))

    def tbd(self, kind: str, what: str, item: Item, person: str | None = None) -> None:
        entry = {"field": kind, "what": what, "person": person, "note": item.value.plain or item.label}
        if entry not in self.undetermined:
            self.undetermined.append(entry)


def build_course_info(titles: list[str], info: Info, timezone_option: str | None) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for title in titles:
        for key, value in heading_facts(title).items():
            facts.setdefault(key, value)
    for block in info.preamble[:8]:  # "Lakeside College of Engineering", "**Autumn 2025** · Department of ..."
        if "institution" not in facts and (found := _INSTITUTION.search(block.plain)):
            facts["institution"] = found[1].strip()
            block.used = True
        if term := dates.term_year(block.plain):
            facts.setdefault("term", f"{term[0]} {term[1]}")
            block.used = block.used or len(block.plain) < 80
    result: dict[str, Any] = {
        "code": facts.get("code") or Guess("TODO", "no course code found in the page title"),
        "title": facts.get("title") or Guess(titles[0] if titles else "TODO",
                                             "course title taken from the first heading"),
        "term": facts.get("term") or Guess("TODO", "no term (e.g. Fall 2020) found in the page title"),
        "institution": facts.get("institution") or Guess("TODO", "no institution found in the page title"),
        "timezone": zone(info, timezone_option),
        "description": _joined(info, "description") or _first_paragraph(info) or Guess(
            "TODO: describe the course", "the page has no course description section"),
        "textbook": _textbook(info),
        "prerequisites": _joined(info, "prerequisites"),
        "meetings": _meetings(info),
        "questions": _questions(info),
        "staff": [m.to_yaml() for m in _staff(info)],
    }
    _computing(info)
    total = _TOTAL.search(info.page_text)
    if total and int(next(g for g in total.groups() if g)) > 0:
        result["grading_total"] = int(next(g for g in total.groups() if g))
    result["undetermined"] = [{k: v for k, v in entry.items() if v} for entry in info.undetermined]
    return result


def zone(info: Info, option: str | None) -> Any:
    found = dates.timezone_in(info.page_text)
    if found:
        return Guess(found, "time zone read from the page's words; check it")
    if option:
        return Guess(option, "no time zone found on the page; taken from --timezone")
    local = _local_zone()
    return Guess(local, f"no time zone found on the page; this machine's zone ({local}) was used: "
                        "set the course's own IANA zone")


def _local_zone() -> str:
    """The machine's IANA zone name (from TZ or /etc/localtime), else UTC."""
    import os
    from pathlib import Path

    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            target = str(Path("/etc/localtime").resolve())
            name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
        except OSError:
            name = ""
        name = name or _timezone_file()
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(name)
        return name
    except (ValueError, KeyError, OSError):
        return "UTC"


def _timezone_file() -> str:
    from pathlib import Path

    try:
        return Path("/etc/timezone").read_text("utf-8").strip()
    except OSError:
        return ""


def _items(info: Info, role: str) -> list[Item]:
    return [item for item in info.gathered.items if item.role == role]


def _joined(info: Info, role: str) -> str | None:
    parts = []
    for item in _items(info, role):
        info.use(item)
        if item.value:
            parts.append(item.value.plain)
    return " ".join(parts) or None


def _first_paragraph(info: Info) -> Any:
    """No description section: the first long paragraph under the title is the likeliest one."""
    for block in info.preamble + info.untitled:
        long_enough = len(block.plain.split()) >= 15
        if block.kind == "para" and not block.used and long_enough and not block.content.leading_mark():
            block.used = True
            return Guess(block.plain, "the page has no description section; its first paragraph was taken")
    return None


def _textbook(info: Info) -> dict[str, Any] | None:
    for item in _items(info, "textbook"):
        info.use(item)
        value = item.value
        if dates.undecided(value.text) and len(value.plain) < 60:
            info.tbd("textbook", "The textbook", item)
            continue
        named = _book_title(value)
        if named:
            title, url = named
            return {"title": title, "url": url or next((k.url for k in value.links), None), "note": value.plain}
        if value.plain:
            return {"title": Guess(value.plain[:80], "textbook title guessed from the text"), "note": value.plain}
    return None


_BOOK_IS = re.compile(r"\b(?:(?:the|our)[ \t]{1,3}(?:(?:required|main|primary|course|official)[ \t]{1,3})?(?:text|"
                      r"textbook|book)(?:[ \t]{1,3}for[ \t]{1,3}(?:this|the)[ \t]{1,3}(?:course|class))?[ \t]{1,3}is|"
                      r"we[ \t]{1,3}(?:will[ \t]{1,3})?(?:\w{2,12}ly[ \t]{1,3})?(?:use|follow|read[ \t]{1,3}from))"
                      r"[ \t]{1,3}", re.IGNORECASE)
_NOT_A_TITLE = re.compile(r"(?:chapters?|ch\.?|sections?|parts?|pp?\.|pages?|units?|lectures?)\b", re.IGNORECASE)


def _book_title(value: Inline) -> tuple[str, str | None] | None:
    """(title, link) of the book a textbook line names: what follows "The textbook is" / "We follow", else
    the first emphasised or linked words that look like a title (not "before", not "Chapter 2")."""
    spans: list[tuple[int, str, str | None]] = [(m.start, value.text[m.start:m.end], None) for m in value.marks
                                                if m.kind in ("em", "strong")]
    spans += [(k.start, k.text, k.url) for k in value.links if not k.text.startswith("http")]
    spans = sorted((span for span in spans if _title_like(span[1])), key=lambda span: span[0])
    said = _BOOK_IS.search(value.text)
    if said:
        inside = next((span for span in spans if span[0] - said.end() in (0, 1)), None)
        if inside:
            return inside[1].strip(" ,."), inside[2]
        title = re.split(r"[ \t]by[ \t]|[(;]|\.[ \t]|\.$|[ \t][—–][ \t]", value.text[said.end():], maxsplit=1)[0]
        if _title_like(title.strip(" ,")):
            return title.strip(" ,"), None
    if spans:
        _, title, url = spans[0]
        title = title.strip(" ,.")
        return (re.sub(r"^(the)\s+|\s+(book|textbook)$", "", title, flags=re.IGNORECASE) if url else title), url
    return None


def _title_like(text: str) -> bool:
    text = text.strip(" ,.*_")
    return len(text) > 3 and (text[:1].isupper() or text[:1].isdigit()) and not _NOT_A_TITLE.match(text)


def _questions(info: Info) -> dict[str, Any] | None:
    """A "Questions" section or label, a policy about questions, else a sentence anywhere that says where to
    ask ("Please post course questions on Campuswire", "use Ed Discussion for questions")."""
    for item in _items(info, "questions") + [i for i in info.gathered.items if i.role == "policies"]:
        text = item.value.plain
        if item.role == "policies" and "question" not in f"{item.section.title} {item.label}".lower():
            continue  # a policy that only mentions questions is read sentence by sentence, below
        if item.role == "questions":
            info.use(item)
        link = next((k for k in item.value.links if not k.url.startswith("mailto:")), None)
        name = link.text if link and not link.text.startswith("http") else _forum_name(text)
        if name:
            info.use(item)
            return {"name": name, "url": link.url if link else None, "text": text}
    for item in info.gathered.items:
        for start, end in _sentences(item.value.text):
            found = _where_to_ask(item.value, start, end)
            if found:
                return found
    return None


_ASK = re.compile(r"\bquestions?\b", re.IGNORECASE)
_ASK_VERB = re.compile(r"\b(?:post|posted|ask|asked|use|go|goes|belong|answer|answered|put|place|send)\b",
                       re.IGNORECASE)
_NOT = re.compile(r"\b(?:not|don['’]t|never|no)\b", re.IGNORECASE)


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in re.finditer(r"(?<=[.!?])[ \t\n]{1,3}(?=[A-Z])|;", text):
        if match[0] != ";" and not ends_sentence(text, match.start() - 1):
            continue  # "Prof. Lee", "e.g. Piazza"
        bounds.append((start, match.start()))
        start = match.end()
    return [*bounds, (start, len(text))]


def _where_to_ask(value: Inline, start: int, end: int) -> dict[str, Any] | None:
    """The forum a sentence sends questions to: its link, or a forum named in it (not "do not post on X")."""
    sentence = value.text[start:end]
    if not (_ASK.search(sentence) and _ASK_VERB.search(sentence)):
        return None
    link = next((k for k in value.links_in(start, end) if not k.url.startswith("mailto:")), None)
    name = link.text if link and not link.text.startswith("http") else _forum_name(sentence)
    if not name or name == "Gradescope" or _NOT.search(sentence[: max(0, sentence.find(name))]):
        return None
    return {"name": name, "url": link.url if link else None, "text": " ".join(sentence.split())}


def _forum_name(text: str) -> str | None:
    found = [(text.find(name), -len(name), name) for name in FORUMS if re.search(rf"\b{re.escape(name)}\b", text)]
    return min(found)[2] if found else None  # the first named; "Ed Discussion" rather than "Ed"


def _meetings(info: Info) -> list[dict[str, Any]]:
    location = _location(info)
    meetings: list[dict[str, Any]] = []
    for item in _items(info, "meeting") + _meeting_rows(info):
        info.use(item)
        meeting = _meeting(item, info, location)
        if meeting and not any((m["days"], m["start"], m["end"]) == (meeting["days"], meeting["start"], meeting["end"])
                               for m in meetings):
            meetings.append(meeting)
    return meetings


def _meeting_rows(info: Info) -> list[Item]:
    """A table under a class-time heading: | Lecture | Tue/Thu | 1:00-2:15 PM | Room |, one meeting a row."""
    items = []
    headed = info.gathered.roles.get("meeting", [])
    others = [s for role, found in info.gathered.roles.items() if role != "meeting" for s in found]
    for section in headed + [s for s in dict.fromkeys(others) if s not in headed]:
        for block in section.blocks:
            if block.table is None or (section not in headed and not _meeting_table(block)):
                continue
            block.used = True
            for row, line in zip((block.table.header, *block.table.rows), (block.line, *block.table.row_lines),
                                 strict=True):
                cells = [cell.plain for cell in row if cell.plain]
                if not cells or not dates.time_ranges(" ".join(cells)):
                    continue
                label = cells[0] if not (dates.weekdays_in(cells[0]) or dates.time_ranges(cells[0])) else ""
                value = Inline(", ".join(cells[1:] if label else cells))
                items.append(Item(line, label, value, "meeting", section, block))
    return items


def _meeting_table(block: Block) -> bool:
    """| Meeting | Days | Time | Room |: a table of class meetings under any heading (no Date column, no staff)."""
    from bot.instructor.calendar_table import columns_of
    from bot.instructor.staff_table import is_staff_table

    assert block.table is not None
    header = [cell.plain.lower() for cell in block.table.header]
    days = any(re.fullmatch(r"days?|weekdays?|when", h) for h in header)
    times = any(re.fullmatch(r"times?|hours", h) for h in header)
    return days and times and "date" not in columns_of(block.table.header) and not is_staff_table(block)


def _meeting(item: Item, info: Info, location: dict[str, Any] | None) -> dict[str, Any] | None:
    text = _timed_sentence(item.value.plain)
    rest = item.value.plain.replace(text, " ")
    spans = dates.time_ranges(text)
    days = dates.weekdays_in(text[: spans[0].begin] if spans else text) or dates.weekdays_in(text)
    if not (days and spans):
        if cancels_class(text):
            return None  # "No lecture on Friday, February 12": a day off, for the calendar
        if not dates.undecided(text):
            info.unplaced.append(f"line {item.line}: class time not understood: {text[:80]!r}")
        else:
            info.tbd("class_time", f"The {item.label.lower() or 'class'} time", item)
        return None
    span = spans[0]
    meeting: dict[str, Any] = {"days": [dates.WEEKDAY_NAMES[d][:3] for d in days],
                               "start": Guess(span.start, "am/pm not given") if span.guessed else span.start,
                               "end": span.end}
    after = text[span.finish:]
    before_days = text[: span.begin]
    place = _room(after) or _room(before_days) or _undecided_room(rest)
    if place and dates.undecided(place):
        meeting["location"] = place
        info.tbd("location", f"The {item.label.lower() or 'class'} location", item)
    elif place:
        meeting["location"] = place
    elif location:
        meeting.update(location)
    else:  # the page gives no room: students are told it is not known yet, and check lists it to fill in
        meeting["location"] = Guess("TBA", "no class location found on the page")
        info.tbd("location", f"The {item.label.lower() or 'class'} location", item)
    if item.label and item.label.lower() not in ("lectures", "lecture", "class", "classes", "time", "class time",
                                                 "class meets", "meets", "meeting", "meetings", "class times"):
        meeting["note"] = item.label
    zone_words = re.search(r"\b(?:central|eastern|pacific|mountain)[ \t]{1,3}time\b", after, re.IGNORECASE)
    if zone_words and "note" not in meeting:
        meeting["note"] = zone_words[0].title()
    return meeting


def _undecided_room(text: str) -> str | None:
    """ "The room is TBA" said in a sentence of its own beside the class time."""
    if not re.search(r"\b(?:room|location|place|where)\b", text, re.IGNORECASE):
        return None
    word = dates.undecided(text)
    return word[0] if word else None


def _timed_sentence(text: str) -> str:
    """The sentence that gives the class time, when a paragraph goes on about other things."""
    parts = [s.plain for s in sentences(Inline(text))]
    return next((p for p in parts if dates.time_ranges(p) and dates.weekdays_in(p)), text) if len(parts) > 1 else text


def _room(text: str) -> str | None:
    """ "in Harris Hall 107 (Pacific Time)", ", Kent Chemical Laboratory 107", ", room TBA (we'll post it)"."""
    text = re.sub(r"\((?:[^()]{0,40}\btime\b[^()]{0,10}|CT|ET|PT|MT)\)", "", text, flags=re.IGNORECASE)
    match = _ROOM_AFTER.search(text)
    if match and not dates.weekdays_in(match[1]):
        return match[1].strip(" .,")
    first = re.split(r"[;(]|,[ \t]{1,3}(?=[a-z])", text.strip(" ,.;:–—-"), maxsplit=1)[0].strip(" ,.")
    first = re.sub(r"\b(?:central|eastern|pacific|mountain)[ \t]{1,3}time\b", "", first, flags=re.IGNORECASE).strip()
    if first and len(first.split()) <= 6 and (re.search(r"\d|\b(?:hall|room|building|center|lab|zoom|online)\b",
                                                        first, re.IGNORECASE) or dates.undecided(first)):
        return first
    return None


def _location(info: Info) -> dict[str, Any] | None:
    result: dict[str, Any] | None = None
    for item in _items(info, "location"):
        info.use(item)
        value = item.value
        text = value.plain
        if dates.undecided(text):
            info.tbd("location", "The class location", item)
            if result is None:
                word = dates.undecided(text)
                result = {"location": word[0] if word else "TBD", "note": text}
            continue
        if result is None and text:
            paren = re.search(r"\(([^)]*)\)", text)
            place = title_case(re.sub(r"\s*\([^)]*\)", "", text).strip())
            result = {"location": place or text}
            if value.links:
                result["url"] = value.links[0].url
            if paren:
                result["note"] = paren[1].strip()
    return result


def _staff(info: Info) -> list[Any]:
    reader = StaffReader()
    prose: dict[int, bool] = {}  # block -> read as sentences ("The TAs are A and B; A holds hours ...")
    for item in sorted(_items(info, "staff") + _items(info, "office_hours"), key=lambda i: i.line):
        block = item.block
        if id(block) not in prose:
            prose[id(block)] = block.table is None and not item.label and prose_staff.is_prose(
                block.content.plain) and prose_staff.read(reader, block.content)
        if prose[id(block)]:
            info.use(item)
            continue
        line = item.value if not item.label else _relabel(item)
        if reader.line(item.line, line, item.section.title):
            info.use(item)
    for section in info.gathered.roles.get("staff", []) + info.gathered.roles.get("office_hours", []):
        for block in section.blocks:
            if block.table is not None and (is_staff_table(block) or section in info.gathered.roles.get(
                    "office_hours", [])):
                reader.table(block, section.title)
    members = reader.finish()
    info.unplaced += reader.unplaced
    info.undetermined += [entry for entry in reader.undetermined if entry not in info.undetermined]
    return members


def _relabel(item: Item) -> Inline:
    """The line as written, label included, for the staff reader (it reads labels itself)."""
    shift = len(item.label) + 2
    links = tuple(Link(k.text, k.url, k.start + shift, k.end + shift) for k in item.value.links)
    return Inline(f"{item.label}: {item.value.text}", links)


def _computing(info: Info) -> None:
    for item in _items(info, "computing"):
        if dates.undecided(item.value.text[:40]):
            info.tbd("computing", "Computing resources", item)
    for section in info.gathered.roles.get("computing", []):
        first = next((b for b in section.blocks if b.table is None), None)
        if first and dates.undecided(first.plain[:40]):
            entry = {"field": "computing", "what": section.title or "Computing resources", "note": first.plain[:300]}
            if entry not in info.undetermined:
                info.undetermined.append(entry)


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
