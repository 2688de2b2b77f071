"""Turn a chat message into comparable words: expand chat shorthand, fix typos, stem.

Students write "wats the late policy", "hw2 ddl?", "OH?". Dense retrieval is weakest
on exactly these, so the message is normalised before it is matched or embedded.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache

# Chat shorthand -> words (whole tokens only). General student usage, not course facts.
SHORTHAND: dict[str, str] = {
    "hw": "homework", "hws": "homeworks", "hmwk": "homework", "pset": "homework", "psets": "homeworks",
    "ddl": "deadline", "ddls": "deadlines",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "tomorow": "tomorrow", "2morrow": "tomorrow",
    "tmw": "tomorrow", "todays": "today", "tomorrows": "tomorrow", "tonights": "tonight", "yesterdays": "yesterday",
    "tdy": "today", "tonite": "tonight", "2day": "today", "2nite": "tonight",
    "oh": "office hours", "ohs": "office hours", "ofc": "office", "hrs": "hours", "hr": "hour",
    "prof": "professor", "instr": "instructor", "pts": "points", "pt": "points", "wk": "week", "wks": "weeks",
    "wat": "what", "wut": "what", "wht": "what", "wen": "when", "whn": "when", "wher": "where", "whr": "where",
    "wats": "what is", "whats": "what is", "wheres": "where is",
    "whens": "when is", "hows": "how is", "whos": "who is", "ur": "your", "u": "you", "r": "are",
    "pls": "please", "plz": "please", "lec": "lecture", "lecs": "lectures", "lect": "lecture",
    "proj": "project", "projs": "projects", "ec": "extra credit", "xc": "extra credit",
    "rn": "right now", "abt": "about", "bc": "because", "w/": "with", "thx": "thanks", "ty": "thanks",
    "sched": "schedule", "assgn": "assignment", "assignmt": "assignment", "asgn": "assignment",
    "info": "information", "msg": "message", "dm": "message",
    "calc": "calculus", "ch": "chapter", "chap": "chapter", "chp": "chapter",
    "tas": "ta", "ta's": "ta", "nets": "networks", "net": "network", "reqs": "requirements", "prereq": "prerequisite",
    "prereqs": "prerequisites",
    "im": "i am", "ive": "i have", "youre": "you are", "theyre": "they are", "isnt": "is not", "arent": "are not",
    "wasnt": "was not", "didnt": "did not", "doesnt": "does not", "cant": "can not", "wont": "will not",
    "shouldnt": "should not", "til": "until", "till": "until",
    "mins": "minutes", "min": "minute", "sec": "second", "yr": "year", "n": "and", "b4": "before",
}

_IS_CONTRACTED = re.compile(r"\b(what|when|where|who|how|why|which|it|that|there|here|this|she|he|nothing|"
                            r"everything|something|anything)'s\b")
_WISE = re.compile(r"\b([a-z]{3,})[- ]wise\b")


def expansion_words() -> frozenset[str]:
    """The whole words shorthand expands to: English, whatever a model's vocabulary splits them into."""
    return frozenset(w for full in SHORTHAND.values() for w in full.split() if w.isalpha())


def word_set(text: str) -> frozenset[str]:
    """A set of whole words written as one string (long word lists read better as prose)."""
    return frozenset(text.split())


STOPWORDS = word_set(
    "a an the and or but if of to in on at by for with from into about as is are was were be been being do does "
    "did doing have has had having i me my we our you your he she it its they them their this that these those "
    "there here what which who whom whose when where why how can could would should will shall may might must am "
    "not no yes so than too very just also any some all each every much many more most other such only own same "
    "then once again ever up down out over under off get got gonna wanna let lets please thanks thank hey hi "
    "hello yo guys anyone someone know tell need want like ok okay pls u im i'm it's whats what's there's thats "
    "that's is isn't dont don't does doesn't i'd really actually still going go goes one two thing things stuff "
    "actual exactly basically wait right"
)

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NUMBERED = re.compile(r"\b(homework|hw|reading|readings|project|quiz|exam|lab|assignment|notebook)\s*#?\s*(\d+)\b")
_GLUED = re.compile(r"\b(hw|homework|quiz|lab|assignment|reading|notebook|ch|chapter|week|wk)(\d+)\b")
_NUMBERED_TERM = re.compile(
    r"\b(homework|reading|project|quiz|exam|lab|assignment|notebook|chapter|week|lecture)s?\s+(\d{1,2})\b")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


_LETTER_GRADE = re.compile(
    r"\b(?:get|got|earn|need|an|for|is|a|of|to)\s+(?:an?\s+)?[ABCDF][+-]?(?=[\s?.!,]|$)|\b[abcdfABCDF][+-](?=[\s?.!,]|$)"
)


def expand(text: str) -> str:
    """Lower-case, expand shorthand and split glued numbers: "HW2 ddl?" -> "homework 2 deadline"."""
    if _LETTER_GRADE.search(text):
        text += " (letter grade)"
    text = text.lower().replace("\u2019", "'").replace("&", " and ")
    text = _GLUED.sub(r"\1 \2", text)
    text = _IS_CONTRACTED.sub(r"\1 is", text)  # "what's" -> "what is", "when's" -> "when is"
    text = re.sub(r"(\w)'s\b", r"\1", text)  # what is left is a possessive: "the professor's office"
    text = _WISE.sub(r"\1", text)  # "point-wise", "deadline wise": about points, about deadlines
    words = [SHORTHAND.get(w, w) for w in re.findall(r"[a-z0-9]+|[^\sa-z0-9]", text)]
    text = " ".join(words)
    text = _NUMBERED.sub(lambda m: f"{SHORTHAND.get(m[1], m[1])} {m[2]}", text)
    return re.sub(r"\s+([?!.,:;])", r"\1", text).strip()


def name_text(text: str) -> str:
    """An entry's name read the way questions are: "HW3 — Visual odometry" -> "homework 3 — visual odometry"
    (only the glued and abbreviated numbering a question would also expand; a name's other words stay)."""
    text = text.lower().replace("\u2019", "'").replace("&", " and ")
    text = _GLUED.sub(r"\1 \2", text)
    return _NUMBERED.sub(lambda m: f"{SHORTHAND.get(m[1], m[1])} {m[2]}", text)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light stemmer: plural first, then -ing/-ed ("readings" -> "read", "starred" -> "star")."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("es") and len(word) >= 6 and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for suffix in ("ing", "ed", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            root = word[: -len(suffix)]
            if suffix != "ly" and len(root) > 3 and root[-1] == root[-2] and root[-1] not in "lsz":
                root = root[:-1]
            return root
    return word


def content_terms(text: str) -> list[str]:
    """Stemmed words that carry meaning (no stopwords), in order, plus one joined term per
    numbered thing ("homework 4" -> "homework#4") so numbers tell things apart."""
    words = [stem(w) for w in tokens(text) if w not in STOPWORDS and len(w) > 1 or w.isdigit()]
    return words + [f"{m[1]}#{m[2]}" for m in _NUMBERED_TERM.finditer(text.lower())]


PREFIXES = ("re", "un", "pre", "non", "over", "under", "sub", "co", "mis", "dis", "post", "anti", "self")


class Speller:
    """Fixes a typo when the word is unknown everywhere but close to a course word."""

    def __init__(self, course_words: Iterable[str], english: Iterable[str] = ()):
        self.course = sorted({w for w in course_words if len(w) >= 4 and w.isalpha()})
        self.known = set(self.course) | set(english) | set(SHORTHAND) | STOPWORDS

    @lru_cache(maxsize=4096)  # noqa: B019 - one Speller per loaded course
    def fix(self, word: str) -> str:
        if len(word) < 4 or not word.isalpha() or word in self.known or stem(word) in self.known:
            return word
        if any(word.startswith(p) and word[len(p):] in self.known for p in PREFIXES):
            return word  # "regrade", "resubmit", "unsubmitted": a prefixed word, not a typo of "grade"
        match = difflib.get_close_matches(word, self.course, n=1, cutoff=0.8)
        if match:
            return match[0]
        longer = {w for w in self.course if w.startswith(word)} if len(word) >= 5 else set()
        return longer.pop() if len(longer) == 1 else word  # "backprop" -> "backpropagation"

    def correct(self, text: str) -> str:
        return re.sub(r"[a-z]+", lambda m: self.fix(m[0]), text)
