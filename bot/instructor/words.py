"""Word-level guesses the importer makes: what a heading is about, what kind a deliverable is."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence

from bot.knowledge.course import slugify

# role -> heading words (matched per word, forgiving one typo: "Loctation", "Ofice Hours", "Grading Polcy")
ROLES: dict[str, tuple[str, ...]] = {
    "office_hours": ("office hours", "office hour", "student hours", "consultation hours", "office hrs",
                     "help hours", "ta hours"),
    "meeting": ("class day/time", "class time", "lecture time", "meeting time", "meeting times", "when",
                "class day", "class days", "time", "times", "class hours", "lecture hours", "class meetings",
                "meeting times and places"),
    "location": ("location", "room", "where", "classroom", "venue", "place"),
    "staff": ("instructor", "instructors", "staff", "teaching team", "professor", "teaching assistants",
              "tas", "ta", "people", "contact", "course staff", "teaching staff"),
    "description": ("description", "overview", "about", "summary", "course goals", "objectives", "welcome",
                    "course information", "information", "course info"),
    "prerequisites": ("prerequisites", "prerequisite", "prereqs", "prereq", "requirements", "prior knowledge"),
    "textbook": ("textbook", "text book", "required text", "course text", "course textbook", "text", "textbooks",
                 "book"),
    "questions": ("questions", "q&a", "where to ask questions", "discussion board", "forum", "getting help"),
    "computing": ("computing", "computing resources", "compute", "computing environment", "cluster"),
    "timezone": ("time zone", "timezone"),
    "policies": ("policies", "policy", "rules", "grading", "academic integrity", "logistics", "grades",
                 "assessment", "evaluation"),
    "calendar": ("calendar", "schedule", "syllabus", "timeline", "weekly plan", "key dates", "important dates",
                 "dates"),
    "readings": ("reading", "readings", "papers", "bibliography", "literature", "reading list",
                 "supplementary readings", "recommended", "also recommended", "further reading"),
    "resources": ("links", "resources", "slides", "notebooks", "tools", "software", "datasets", "materials"),
    "assignments": ("assignments", "assignment", "exams", "projects", "project", "final project", "deliverables",
                    "homework", "coursework", "assignments and exams"),
}
# a "Label: value" line's label -> role, for labels too short to be headings of their own
LABEL_ROLES = {"lectures": "meeting", "lecture": "meeting", "class": "meeting", "classes": "meeting",
               "meets": "meeting", "meeting": "meeting", "lecture times": "meeting", "sections": "meeting",
               "section": "meeting", "class meets": "meeting", "class times": "meeting",
               "meeting times": "meeting", "time and place": "meeting", "when and where": "meeting",
               "discussion": "meeting", "discussion section": "meeting",
               "discussion sections": "meeting", "lab": "meeting", "labs": "meeting", "lab section": "meeting",
               "lab sections": "meeting", "recitation": "meeting", "recitations": "meeting", "studio": "meeting",
               "seminar": "meeting", "tutorial": "meeting", "tutorials": "meeting", "class time": "meeting",
               "q&a": "questions", "questions": "questions", "text": "textbook", "prereq": "prerequisites",
               "prereqs": "prerequisites", "room": "location", "where": "location", "submissions": "policies",
               "email": "staff", "e-mail": "staff", "mail": "staff", "office": "staff", "office location": "staff"}
FORUMS = ("Ed Discussion", "Ed", "Piazza", "Campuswire", "CampusWire", "Slack", "Discord", "Teams", "Canvas",
          "Moodle", "Zulip", "Gradescope")  # where students ask questions, by name
# what a policy is about -> words in its title or text, and the other names students use for it
POLICY_KINDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("ai", ("ai", "llm", "llms", "chatgpt", "copilot", "generative"), ("AI policy", "ChatGPT", "LLM use")),
    ("late", ("late", "slip", "extension", "extensions"), ("late policy", "late work", "late days", "extensions")),
    ("extra_credit", ("extra credit", "bonus"), ("extra credit", "bonus points")),
    ("collaboration", ("collaboration", "integrity", "cheating", "plagiarism", "collaborators"),
     ("collaboration policy", "academic integrity", "working together")),
    ("grading_scale", ("scale", "letter grades", "cutoffs", "a-", "b+"), ("grading scale", "letter grades",
                                                                        "grade cutoffs")),
    ("grading_breakdown", ("grading", "weight", "weights", "breakdown", "grade"), ("grading", "grade breakdown",
                                                                                  "how grades are computed")),
    ("attendance", ("attendance", "participation", "absences"), ("attendance", "participation")),
    ("regrades", ("regrade", "regrades"), ("regrade requests",)),
    ("submission", ("submission", "submitting", "submit", "gradescope", "write-ups"), ("how to submit",
                                                                                      "submitting work")),
    ("accommodations", ("accommodation", "accommodations", "accessibility", "disability"),
     ("accommodations", "disability services")),
)
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("quiz", ("quiz", "quizzes")),
    ("exam", ("exam", "midterm", "final exam", "test")),
    ("reading", ("reading", "readings", "reaction", "reactions", "response", "responses")),
    ("project", ("project", "projects", "proposal", "presentation", "presentations", "report", "website", "paper",
                 "demo",
                 "poster", "plan", "checkpoint", "milestone", "portfolio", "prototype", "capstone")),
    ("homework", ("homework", "hw", "assignment", "problem set", "pset", "ps", "lab", "exercise", "notebook",
                  "study", "problem sets", "set")),
)
RESOURCE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("notebook", ("notebook", "notebooks", "jupyter", "colab notebooks")),
    ("slides", ("slides", "lectures", "lecture notes", "lecture slides")),
    ("package", ("package", "packages", "library", "libraries", "programming", "frameworks")),
    ("book", ("book", "books", "textbooks")),
    ("compute", ("computing", "compute", "gpu", "gpus", "cloud", "servers")),
    ("dataset", ("dataset", "datasets", "data sets", "data")),
    ("tool", ("tool", "tools", "software")),
)
HOLIDAYS = ("thanksgiving", "holiday", "holidays", "break", "recess", "vacation", "christmas", "easter",
            "memorial day", "juneteenth", "independence day", "veterans day", "reading period", "labor day",
            "martin luther king", "mlk day", "presidents day", "indigenous peoples", "university closed",
            "no school", "day off")
_NO_CLASS = re.compile(r"\bno[ \t]{1,3}(class|classes|lecture|lectures|meeting|session|studio|lab|section|"
                       r"discussion)\b|\bcancell?ed\b|\bclass[ \t]cancel", re.IGNORECASE)
_MEETS = (r"(?:class|classes|lecture|lectures|sections?|labs?|recitations?|tutorials?|studios?|seminars?|meetings?|"
          r"discussion)")
_MEETS_SOON = (r"(?:(?:discussion|lab|recitation|lecture|regular|in-person|scheduled|live|studio|tutorial|section|"
               r"mon|tues|wednes|thurs|fri)(?:day)?[ \t]{1,3})?")
_BEEN = r"(?:is|are|will[ \t]{1,3}be|has[ \t]{1,3}been|have[ \t]{1,3}been)"
_CANCELLED = re.compile(rf"\bno[ \t]{{1,3}}{_MEETS_SOON}{_MEETS}\b"
                        rf"|\b{_MEETS}[ \t]{{1,3}}{_BEEN}[ \t]{{1,3}}cancell?ed\b"
                        rf"|\b{_MEETS}[ \t]{{1,3}}(?:(?:will|does|do)[ \t]{{1,3}}not|won['’]t|doesn['’]t)"
                        r"[ \t]{1,3}meet\b", re.IGNORECASE)
_EXAM = re.compile(r"\b(?:(?:final|midterm|mid-term)[ \t]{1,3}(?:exam|examination|test)s?|(?:exam|test)[ \t]{1,3}"
                   r"#?\d{1,2}|exam(?:ination)?s?"
                   r"|quiz(?:zes)?"
                   r"[ \t]{0,2}#?\d{0,2}|midterms?(?:[ \t]{0,2}#?\d{1,2}\b)?(?![ \t]{1,3}(?:review|pin|grades?|survey|"
                   r"feedback|evaluation|presentation|project|report|critique|week|break))|(?:exam|test)s?[ \t]{1,3}"
                   r"#?\d{1,2})\b", re.IGNORECASE)


_STAFF_WORDS = r"(?i:instructors?|professors?|tas?|staff|graders?|teaching[ \t]{1,3}(?:team|assistants?)|lecturers?)"
_PERSON = (r"(?:(?i:us|me|him|her|them|prof\.?|professor|dr\.?)"
           r"|(?i:the|your|a)[ \t]{1,3}(?i:course[ \t]{1,3}|head[ \t]{1,3})?" + _STAFF_WORDS + r"|[A-Z][a-z]{1,20})\b")
_TELL = re.compile(r"\b(?i:tell|notify|inform|contact|e-?mail|message|write[ \t]{1,3}to|reach[ \t]{1,3}out[ \t]{1,3}to|"
                   r"speak[ \t]{1,3}(?:to|with)|talk[ \t]{1,3}(?:to|with)|let|send[ \t]{1,3}(?:it|them|this|that)"
                   r"[ \t]{1,3}to)[ \t]{1,3}" + _PERSON)
_ASKED = re.compile(r"(?i:\b(?:must|should|need[ \t]{1,3}to|has[ \t]{1,3}to|have[ \t]{1,3}to)[ \t]{1,3}be[ \t]{1,3}"
                    r"(?:reported|requested|arranged|discussed|approved|cleared|communicated)\b"
                    r"|\breport[ \t]{1,3}(?:any|all|your|conflicts?)\b)")
_HAND_IN = re.compile(r"(?i:\b(?:due|submit(?:ted)?|turn(?:ed)?[ \t]{1,3}in|hand(?:ed)?[ \t]{1,3}in|upload(?:ed)?)\b)")


def is_notice(text: str) -> bool:
    """A sentence asking students to tell someone something by a day ("tell Prof. Lee by Fri Jan 30", "conflicts
    must be reported by Oct 4", "let us know ..."): its day is that message's, not a deliverable's. Nothing is
    handed in: a sentence that also says "due" or "submit" is not a notice."""
    return bool(_TELL.search(text) or _ASKED.search(text)) and not _HAND_IN.search(text)


_ABOUT = re.compile(r"(?i:\b(?:before|after|for|until|till|about|of|during|covering|since|from|ahead[ \t]{1,3}of|"
                    r"prior[ \t]{1,3}to)[ \t]{1,3}(?:the[ \t]{1,3}|your[ \t]{1,3}|each[ \t]{1,3})?)$")


def named_in_passing(text: str, start: int) -> bool:
    """The name at ``start`` is what another dated thing is about: "a review session on Oct 12 before the
    midterm", "by Jan 16 so we can plan for the midterm". A day before it is not its day."""
    return bool(_ABOUT.search(text[:start]))


_DECORATION_CATEGORIES = {"So", "Sk", "Me", "Cf", "Co", "Cs"}  # pictographs, modifiers, keycaps, joiners
_VARIATION = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_TRIM = " \t\n\u00a0·•|*_,;:-–—"


def decoration(char: str) -> bool:
    """An emoji, pictograph, modifier, joiner or variation selector: decoration around a name or a label."""
    return unicodedata.category(char) in _DECORATION_CATEGORIES or bool(_VARIATION.match(char))


def undecorate(text: str) -> str:
    """A name without the emoji and symbols decorating its ends ("⏰ HW3 — VO" -> "HW3 — VO"); a name that is
    nothing but decoration is left as written. Letters, digits and "+" / "#" inside or at the ends stay."""
    if not any(decoration(char) for char in text):
        return text
    start, end = 0, len(text)
    while start < end and (decoration(text[start]) or text[start] in _TRIM):
        start += 1
    while end > start and (decoration(text[end - 1]) or text[end - 1] in _TRIM):
        end -= 1
    return text[start:end] if start < end else text.strip()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9/]+", text.lower())


def column_roles(header: Sequence[str], columns: Sequence[tuple[str, Sequence[str]]],
                 found: dict[str, int] | None = None) -> dict[str, int]:
    """Which column holds what: the first role (in ``columns`` order) whose phrase a header cell says,
    a column at most once and a role at most once; a symbol phrase ("%") is found inside the cell."""
    found = dict(found or {})
    taken = set(found.values())
    for index, cell in enumerate(header):
        text = cell.lower()
        if index in taken:
            continue
        for role, phrases in columns:
            if role not in found and any(has_phrase(text, p) or (_symbol(p) and p in text) for p in phrases):
                found[role] = index
                break
    return found


def _symbol(phrase: str) -> bool:
    return not any(c.isalnum() for c in phrase)


def has_phrase(text: str, phrase: str, fuzzy: bool = False) -> bool:
    """``phrase`` occurs as whole words in ``text`` (with ``fuzzy``, one-typo words match)."""
    target, have = phrase.split(), words(text)
    for i in range(len(have) - len(target) + 1):
        window = have[i:i + len(target)]
        if window == target:
            return True
        if fuzzy and all(_close(a, b) for a, b in zip(window, target, strict=True)):
            return True
    return False


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    return a[0] == b[0] and min(len(a), len(b)) >= 5 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def close_phrase(text: str, phrase: str) -> bool:
    """The whole of ``text`` is ``phrase``, forgiving one typo a word ("ofice hours")."""
    have, target = words(text), phrase.split()
    return len(have) == len(target) and all(_close(a, b) or (a == b) for a, b in zip(have, target, strict=True))


def role_of(heading: str) -> str | None:
    """What a heading is about, or None: the longest phrase found wins ("Where to ask questions" is about
    questions, not location); among equals, the earlier role ("Office Hours" before "Hours")."""
    best: tuple[int, str] | None = None
    for role, phrases in ROLES.items():
        for phrase in phrases:
            size = len(phrase.split())
            if (best is None or size > best[0]) and has_phrase(heading, phrase, fuzzy=True):
                best = (size, role)
    return best[1] if best else None


def kind_of(name: str, context: str = "") -> tuple[str, bool]:
    """(deliverable kind, guessed?) from its name ("PS1" is a problem set), else from the day's topic."""
    if re.search(r"\bfinals?[ \t]*(?:\(|[,;:]|$)", name.strip(" .*_"), re.IGNORECASE):
        return "exam", False  # "Take-home final", "Final (cumulative)": "final" as a noun is the final exam
    for text, guessed in ((name, False), (context, True)):
        text = re.sub(r"([A-Za-z])(\d)", r"\1 \2", text)
        for kind, phrases in KINDS:
            if guessed and kind in ("exam", "quiz"):
                continue
            if any(has_phrase(text, phrase) for phrase in phrases):
                return kind, guessed
    return "other", True


def resource_kind(*headings: str) -> str:
    for heading in headings:
        for kind, phrases in RESOURCE_KINDS:
            if any(has_phrase(heading, phrase) for phrase in phrases):
                return kind
    return "other"


def no_class(topic: str) -> tuple[bool, bool]:
    """(no class?, guessed?): "no class, finals week" is sure; "THANKSKIVING" is a guess."""
    if _NO_CLASS.search(topic):
        return True, False
    if any(has_phrase(topic, holiday, fuzzy=True) for holiday in HOLIDAYS):
        return True, True
    return False, False


def cancels_class(text: str) -> bool:
    """ "No discussion section on Fri 1/15", "Class will not meet on Oct 13", "Labs are cancelled on Mar 16"
    (not "no office hours", not "no late labs accepted")."""
    return bool(_CANCELLED.search(text))


def names_exam(topic: str) -> bool:
    """The topic announces an exam or quiz (not "midterm review", not "there is no final exam")."""
    return exam_in(topic) is not None


def exam_in(text: str) -> re.Match[str] | None:
    """Where ``text`` names an exam or a quiz, unless it says there is none or only reviews for it."""
    found = exams_in(text)
    return found[0] if found else None


def exams_in(text: str) -> list[re.Match[str]]:
    """Every exam or quiz ``text`` names ("Midterm 1 ... and Midterm 2 ..."), as ``exam_in`` reads each."""
    found = []
    for match in _EXAM.finditer(text):
        before = text[max(0, match.start() - 30):match.start()].lower()
        after = text[match.end():match.end() + 12].lower()
        if re.search(r"\bno\b[^.,;]{0,20}$|\bnot\b[^.,;]{0,10}$", before) or re.match(r"[ \t]{0,2}review", after):
            continue
        if re.search(r"review[ \t]{1,3}(?:for[ \t]{1,3})?(?:the[ \t]{1,3})?$", before) or named_in_passing(
                text, match.start()):
            continue
        found.append(match)
    return found


_GENERIC_TITLES = ("policies", "policy", "rules", "course policies", "course information", "information", "notes",
                   "other", "logistics", "general")


def policy_kind(title: str, text: str) -> str:
    """What a policy is about: its title decides; only a generic title ("Policies") lets the text decide."""
    sources = (title, text[:400]) if title.strip(" .:").lower() in _GENERIC_TITLES or not title.strip() else (title,)
    for source in sources:
        for kind, phrases, _ in POLICY_KINDS:
            if any(has_phrase(source, phrase) for phrase in phrases):
                return kind
    return "other"


def policy_aliases(kind: str, title: str) -> list[str]:
    names = next((aliases for k, _, aliases in POLICY_KINDS if k == kind), ())
    return [name for name in names if name.lower() != title.lower()]


def singular_role(label: str) -> str:
    """ "TAs" -> "TA", "Peer Mentors" -> "peer mentor", "Professor" -> "professor"."""
    parts = []
    for word in label.strip().rstrip(":").split():
        word = word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 2 else word
        parts.append(word if word.isupper() and len(word) <= 4 else word.lower())
    return " ".join(parts) or "staff"


def free_id(base: str, taken: set[str]) -> str:
    """``base``, else ``base-2``, ``base-3`` …: the first not in ``taken`` (which it is then added to)."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def unique_ids(names: list[str]) -> list[str]:
    """Slug ids; a name used more than once is numbered on every use (readings-1, readings-2)."""
    slugs = [slugify(name.replace("&", " and ").replace("+", " plus ")) for name in names]
    counts = {slug: slugs.count(slug) for slug in slugs}
    seen: dict[str, int] = {}
    result = []
    for slug in slugs:
        seen[slug] = seen.get(slug, 0) + 1
        result.append(f"{slug}-{seen[slug]}" if counts[slug] > 1 else slug)
    return result
