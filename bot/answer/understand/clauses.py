"""Split a message that asks several things ("when is hw2 due and how many points is it?").

A new clause starts after a question mark followed by more words, or at "and"/"also"/"plus"
followed by a question word or auxiliary verb ("... and where is it"). "Between oct 1 and
oct 15" or "homework 1 and 2" stay whole: no question word follows their "and". A later
clause that names nothing and says "it"/"that" borrows what the first one named.
"""

from __future__ import annotations

import re

QUESTION_WORDS = ("what", "whats", "when", "whens", "where", "wheres", "who", "whos", "which", "how", "is", "are",
                  "do", "does", "did", "will", "can", "could", "should", "was", "were", "has", "have", "any")
_SPLIT = re.compile(
    r"\?+\s+(?=\S)|[;]\s+|\s+(?:and|n|&|\+|also|plus|but)\s+(?:also\s+)?(?=(?:" + "|".join(QUESTION_WORDS) + r")\b)",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(that day|that week|the same day|it|that|this|they|them|its|it's|those)\b", re.IGNORECASE)
MAX_CLAUSES = 3


def clauses(message: str) -> list[str]:
    """The questions in a message, in order (the message itself when it asks one thing).

    Sentences that ask nothing ("I missed Tuesday's class.") are context, not questions: they are
    left out when the message also asks something."""
    parts = [p.strip(" ,.!") for p in _SPLIT.split(message) if p and p.strip(" ,.!?")]
    parts = [p for p in parts if len(p.split()) >= 2]
    asking = [p for p in parts if _asks(p, message)]
    chosen = asking if asking else parts
    return chosen[:MAX_CLAUSES] if len(chosen) > 1 else ([chosen[0]] if asking and len(parts) > 1 else [message])


def _asks(part: str, message: str) -> bool:
    first = part.split()[0].lower().strip("'\"")
    return first in QUESTION_WORDS or message.find(part + "?") >= 0


def resolve_pronoun(clause: str, subject: str) -> str:
    """ "is it on zoom" -> "is class on zoom" when the first clause was about class."""
    if not subject or not _PRONOUN.search(clause):
        return clause
    return _PRONOUN.sub(lambda m: _refer(m[1], subject), clause, count=1)


def _refer(pronoun: str, subject: str) -> str:
    """ "that day" is the day of the subject ("the same day as hw2"), "it" the subject itself."""
    lowered = pronoun.lower()
    if lowered in ("that day", "the same day"):
        return f"the same day as {subject}"
    if lowered == "that week":
        return f"the same week as {subject}"
    return subject
