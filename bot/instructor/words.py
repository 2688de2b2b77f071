"""Word-level guesses the importer makes: what a heading is about, what kind a deliverable is."""

from __future__ import annotations

import difflib
import re

from bot.knowledge.course import slugify

# role -> heading words (matched per word, forgiving one typo: "Loctation")
ROLES: dict[str, tuple[str, ...]] = {
    "office_hours": ("office hours", "office hour", "student hours", "consultation hours"),
    "meeting": ("class day/time", "class time", "lecture time", "meeting time", "meeting times", "when",
                "class day", "class days", "time", "times", "class hours", "lecture hours"),
    "location": ("location", "room", "where", "classroom", "venue"),
    "staff": ("instructor", "instructors", "staff", "teaching team", "professor", "teaching assistants",
              "tas", "ta", "people", "contact"),
    "description": ("description", "overview", "about", "summary", "course goals", "objectives"),
    "prerequisites": ("prerequisites", "prerequisite", "prereqs", "requirements"),
    "textbook": ("textbook", "text book", "required text", "course text", "course textbook"),
    "policies": ("policies", "policy", "rules", "grading", "academic integrity", "logistics"),
    "calendar": ("calendar", "schedule", "syllabus", "timeline", "weekly plan"),
    "readings": ("reading", "readings", "papers", "bibliography", "literature", "reading list"),
    "resources": ("links", "resources", "slides", "notebooks", "tools", "software", "datasets", "materials"),
}
# a "Label: value" line's label -> role, for labels too short to be headings of their own
LABEL_ROLES = {"lectures": "meeting", "lecture": "meeting", "class": "meeting", "classes": "meeting",
               "meets": "meeting", "meeting": "meeting", "lecture times": "meeting", "sections": "meeting"}
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("exam", ("exam", "midterm", "final exam", "test")),
    ("quiz", ("quiz", "quizzes")),
    ("reading", ("reading", "readings", "reaction", "reactions", "response", "responses")),
    ("homework", ("homework", "hw", "assignment", "problem set", "pset", "lab", "exercise", "notebook")),
    ("project", ("project", "proposal", "presentation", "report", "website", "paper", "demo", "poster", "plan")),
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
_NO_CLASS = re.compile(r"\bno\s+(class|classes|lecture|lectures|meeting|session)\b|\bcancell?ed\b|\bclass cancel",
                       re.IGNORECASE)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9/]+", text.lower())


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


def role_of(heading: str) -> str | None:
    """What a heading is about, or None. Earlier roles win ("Office Hours" before "Hours")."""
    for role, phrases in ROLES.items():
        if any(has_phrase(heading, phrase, fuzzy=True) for phrase in phrases):
            return role
    return None


def kind_of(name: str, context: str = "") -> tuple[str, bool]:
    """(deliverable kind, guessed?) from its name, else from the day's topic."""
    for text, guessed in ((name, False), (context, True)):
        for kind, phrases in KINDS:
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


def names_exam(topic: str) -> bool:
    """The topic announces an exam (and does not say there is none)."""
    lowered = topic.lower()
    if re.search(r"\bno\b[^.,;]*\b(exam|midterm|test|quiz)", lowered):
        return False
    return any(has_phrase(topic, phrase) for phrase in ("exam", "midterm", "final exam", "quiz"))


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
