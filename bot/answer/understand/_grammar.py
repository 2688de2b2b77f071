"""The time grammar: word tables and compiled patterns, in one place.

The text has been through ``bot.answer.text.expand``: lower case, single spaces, and
punctuation split off ("10/15" arrives as "10 / 15", "mid-october" as "mid - october"),
so separators allow spaces around them. Every pattern is a plain sequence of bounded
alternations (no nested repetition), so matching is linear in the text.
"""

from __future__ import annotations

import re

from bot.answer.text import STOPWORDS

MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
          "sep": 9, "oct": 10, "nov": 11, "dec": 12}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CARDINALS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
             "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
            "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
            "twentieth": 20, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


VAGUE_COUNTS = {"a": 1, "an": 1, "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3}

# Words before a number that make it a thing's number, not a day ("homework 2 - 3", "page 10 / 15").
NUMBERED_NOUNS = _words(
    "homework homeworks reading readings project projects quiz quizzes exam exams lab labs assignment assignments "
    "notebook notebooks chapter chapters lecture lectures week weeks page pages section sections problem problems "
    "question questions part parts slide slides step steps version level unit units module modules exercise "
    "exercises figure table equation line lines item items number milestone task tasks room got get scored score "
    "earned received lost grade graded worth at around")
# Weekday abbreviations that are also ordinary words: read only after a time preposition.
AMBIGUOUS_WEEKDAYS = frozenset({"mon", "wed", "sat", "sun"})
WEEKDAY_CONTEXT = _words("on by before after until till til since from to through thru and or every each due "
                         "this next last")
# Words before a bare month abbreviation ("due oct?") or "may" that make it the month.
MONTH_CONTEXT = _words("by before after until till til since through thru due of from")
FULL_MONTHS = frozenset(name.lower() for name in MONTH_NAMES)
# Nouns after "may"/"oct" that make it the month ("may deadlines", "oct lectures", "may homework").
MONTH_NOUNS = _words("deadline deadlines due dues lecture lectures class classes assignment assignments homework "
                     "homeworks reading readings quiz quizzes exam exams schedule sessions session topics project "
                     "projects stuff things")
# Words that say a no-class day is a break; and words too general to name one.
BREAK_MARKERS = frozenset({"holiday", "holidays", "break", "recess", "vacation", "day", "weekend", "observed"})
GENERIC_WORDS = STOPWORDS | _words(
    "class classes lecture lectures session sessions meeting meetings no none cancelled canceled off instead held "
    "during through before after until since week weeks day days today tomorrow month term quarter semester year "
    "university school campus final finals exam exams midterm midterms project projects due individual course "
    "page spells spelled spelt note online remote runs run moved schedule instruction morning afternoon evening "
    "night") | BREAK_MARKERS
# Season words name a term alone ("spring") but a break in a phrase ("spring break").
SEASONS = frozenset({"spring", "summer", "fall", "autumn", "winter"})

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)"
_FULL_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_CARDINAL = "|".join(sorted(CARDINALS, key=len, reverse=True))
_ORDINAL = "|".join(sorted(ORDINALS, key=len, reverse=True))
_COUNT = rf"(?:\d{{1,2}}|{_CARDINAL}|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+few|few|an?)"
_TERM = r"(?:term|quarter|semester|course|class|classes|lectures?|school|instruction)"
_UNIT_AFTER = (r"(?!\s*(?::|%|am\b|pm\b|a\.m|p\.m|o'clock|percent|points?\b|pts\b|hours?\b|minutes?\b|mins?\b"
               r"|days?\b|weeks?\b|pages?\b|people\b|students\b|questions?\b|problems?\b|words?\b|times\b|slides?\b))")
_TO = r"(?:-|–|—|to|through|thru|until|till|and)"
_COMMA = r"\s*(?:,\s*)?"  # an optional comma; never two \s* side by side (quadratic on long blank runs)


def month(name: str) -> str:
    return rf"(?P<{name}>{_MONTH})(?![a-z])\.?"


def weekday(name: str) -> str:
    return rf"(?P<{name}>{_WEEKDAY})(?![a-z])\.?"


def day(name: str) -> str:
    return rf"(?P<{name}>\d{{1,2}})(?:st|nd|rd|th)?(?![\w:]){_UNIT_AFTER}"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# Explicit dates.
MONTH_DAY = _c(rf"\b{month('mon')}\s*(?:the\s+)?{day('day')}(?:{_COMMA}(?P<year>\d{{4}})(?!\d))?")
DAY_MONTH = _c(rf"(?<![\w.:/-])(?:the\s+)?(?P<day>\d{{1,2}})(?P<suf>st|nd|rd|th)?\s+(?P<of>of\s+)?{month('mon')}"
               rf"(?:{_COMMA}(?P<year>\d{{4}})(?!\d))?")
NUMERIC = _c(rf"(?<![\w.:/-])(?P<m>\d{{1,2}})\s*(?P<sep>[/-])\s*(?P<d>\d{{1,2}})"
             rf"(?:\s*(?P=sep)\s*(?P<year>\d{{4}}|\d{{2}}))?(?![\w:%])(?!\s*(?P=sep)\s*\d){_UNIT_AFTER}")
ISO = _c(r"(?<![\w.:/-])(?P<year>\d{4})\s*(?P<sep>[/-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?![\w:])")
WEEKDAY_NTH = _c(rf"\b{weekday('wd')}(?:\s*,)?\s+(?:(?P<the>the)\s+)?(?P<d>\d{{1,2}})(?P<suf>st|nd|rd|th)?(?![\w:])"
                 rf"(?!\s*(?:of\b|am\b|pm\b|{_MONTH}))")
THE_NTH = _c(r"\bthe\s+(?P<d>\d{1,2})(?:st|nd|rd|th)(?=\s*(?:[?.!,;)]|$)|\s+(?:at|or|and|then|too|instead|right|as)\b)")
MONTH_DAY_RANGE = _c(rf"\b(?:(?P<between>between)\s+)?{month('mon')}\s*{day('a')}\s*(?P<to>{_TO})\s*(?:the\s+)?"
                     rf"(?P<b>\d{{1,2}})(?:st|nd|rd|th)?(?![\w:])(?!\s*[/-]\s*\d){_UNIT_AFTER}")

# Months.
MONTH_ALONE = _c(rf"\b(?:(?P<pre>in|during|throughout|all\s+of|(?:in\s+)?the\s+month\s+of)\s+)?{month('mon')}"
                 rf"(?:{_COMMA}(?P<year>\d{{4}})(?!\d))?(?!{_COMMA}(?:the\s+)?\d)")
MONTH_PART = _c(rf"\b(?:(?:in|during)\s+)?(?P<part>early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)"
                rf"\s*(?:-\s*)?{month('mon')}(?!{_COMMA}(?:the\s+)?\d)")
RELATIVE_MONTH = _c(r"\b(?P<mod>this|next|last|(?:the\s+)?(?:current|following|previous|coming))\s+month(?![a-z])")

# Weekdays.
EVERY_WEEKDAY = _c(rf"\b(?:every|each)\s+(?:single\s+)?{weekday('wd')}(?P<plural>s)?(?![a-z])")
ON_A_WEEKDAY = _c(rf"\bon\s+an?\s+{weekday('wd')}")
WEEKDAYS_PLURAL = _c(rf"\b(?:on\s+)?(?P<wd>{_FULL_WEEKDAY})s(?![a-z])")
WEEKDAY_ONE = _c(rf"\b(?:(?P<mod>this\s+coming|this\s+past|this|next|last|coming|upcoming|previous|past)\s+)?"
                 rf"{weekday('wd')}")

# Weeks.
WEEK_NUMBER = _c(rf"\bweeks?\s*(?:(?:#|no\.?|number|num\.?)\s*)?(?P<n>\d{{1,2}}|{_CARDINAL})(?![\w:])(?!\s*[/-]\s*\d)")
WEEK_ORDINAL = _c(rf"\b(?:the\s+)?(?P<n>{_ORDINAL}|\d{{1,2}}(?:st|nd|rd|th))\s+week(?![a-z])"
                  rf"(?:\s+of\s+(?:the\s+|this\s+)?{_TERM}(?![a-z]))?")
WEEK_LAST = _c(rf"\b(?:the\s+)?(?:very\s+)?(?:last|final)\s+week\s+of\s+(?:the\s+|this\s+)?{_TERM}(?![a-z])"
               r"|\bthe\s+(?:very\s+)?final\s+week(?![a-z])")
WEEK_RANGE = _c(rf"\b(?:(?P<between>between)\s+)?week(?P<plural>s)?\s*(?P<a>\d{{1,2}})\s*(?P<to>{_TO})\s*"
                r"(?:week\s*)?(?P<b>\d{1,2})(?![\w:])(?!\s*[/-]\s*\d)")
_OF_TERM = rf"\s+of\s+(?:the\s+|this\s+)?{_TERM}(?![a-z])"
FIRST_WEEKS = _c(rf"\b(?:the\s+)?(?:(?P<first>first)\s+(?P<n>{_COUNT})\s+weeks(?![a-z])(?:{_OF_TERM})?"
                 rf"|(?:last|final)\s+(?P<k>{_COUNT})\s+weeks{_OF_TERM})")
MONTH_WEEK = _c(rf"\b(?:the\s+)?(?P<n>{_ORDINAL}|last|final)\s+week\s+(?:of|in)\s+{month('mon')}")
RELATIVE_WEEK = _c(r"\b(?P<mod>(?:the\s+)?(?:current|following|upcoming|coming|previous|prior|past)|this|next|last"
                   r"|over\s+the|the)\s+week(?P<end>end)?(?![a-z])")
WEEK_AFTER = _c(r"\b(?:the\s+)?week\s+(?P<dir>after\s+next|before\s+last)(?![a-z])")

# Relative to now.
DAY_WORD = _c(r"\b(?:(?:the\s+)?day\s+(?P<dir>after|before)\s+)?(?P<word>today|tonight|tomorrow|yesterday)"
              r"(?:\s+(?:morning|afternoon|evening|night))?(?![a-z])|\bthis\s+(?:morning|afternoon|evening)(?![a-z])")
IN_COUNT = _c(rf"\b(?P<pre>in|within|in\s+the\s+next)\s+(?P<n>{_COUNT})\s+(?P<unit>day|week)s?(?![a-z])")
COUNT_AGO = _c(rf"\b(?P<n>{_COUNT})\s+(?P<unit>day|week)s?\s+(?P<dir>from\s+(?:now|today)|ago)(?![a-z])")
WINDOW = _c(rf"\b(?:(?:over|in|for|during)\s+)?(?:the\s+)?(?P<mod>next|coming|upcoming|following|past|last|previous)"
            rf"\s+(?P<n>{_COUNT})\s+(?P<unit>day|week)s?(?![a-z])")
PAST_WEEK = _c(r"\b(?:(?:over|in|during)\s+)?the\s+(?:past|last)\s+week(?![a-z])")
NOW = _c(r"\b(?:right\s+now|now|currently|at\s+the\s+moment)(?![a-z])")
SO_FAR = _c(r"\b(?:so\s+far|thus\s+far|until\s+now|till\s+now|up\s+until\s+now|up\s+till\s+now|up\s+to\s+now"
            r"|up\s+to\s+this\s+point|(?<!up )to\s+date)(?![a-z])")
FROM_NOW_ON = _c(r"\b(?:from\s+now\s+on(?:wards?)?|from\s+now|from\s+here\s+on(?:\s+out)?|going\s+forward"
                 r"|from\s+today\s+on(?:wards?)?)(?![a-z])")

# The term and its edges.
REST_OF_TERM = _c(r"\b(?:for\s+)?the\s+rest\s+of\s+(?:the\s+|this\s+)?(?P<term>term|quarter|semester|course|class)"
                  r"(?![a-z])")
WHOLE_TERM = _c(r"\b(?:this|the\s+whole|the\s+entire|all|the\s+full)\s+(?P<term>term|quarter|semester)(?![a-z])")
TERM_EDGE = _c(r"\b(?:the\s+)?(?P<edge>end|start|beginning|close)\s+of\s+(?:the\s+|this\s+)?"
               r"(?P<term>term|quarter|semester|course)(?![a-z])")
CLASS_EDGE = _c(rf"\b(?:the\s+)?(?:very\s+)?(?P<which>first|1st|last|final)\s+day\s+of\s+(?:the\s+|this\s+)?"
                rf"(?P<what>{_TERM})(?![a-z])")
FINALS_WEEK = _c(r"\b(?:the\s+)?(?:week\s+of\s+finals|finals?\s+(?:exams?\s+)?week|exams?\s+week)(?![a-z])")
FINALS_IN_CALENDAR = _c(r"\b(?:week\s+of\s+finals|finals?\s+(?:exams?\s+)?week|exams?\s+week)\b")
THE_BREAK = _c(r"\bthe\s+(?:upcoming\s+|next\s+)?(?:holiday|break|recess|vacation)s?(?![a-z])")
THE_BEFORE = _c(r"\bthe\s+$")
BREAK_SUFFIX = _c(r"\s+(?P<what>break|holidays?|recess|vacation|day|weekend|week)(?![a-z])")

# Joining mentions: what may stand between the two ends of a range, or before a mention.
DATE_FOLLOWS = _c(rf"[\s,]*(?:the\s+)?(?:\d|{_MONTH}(?![a-z]))")
RANGE_GAP = _c(r"\s*(?:-|–|—|to|through|thru|until|till|til)\s*")
AND_GAP = _c(r"\s+and\s+")
LIST_GAP = _c(r"\s*(?:,|/|&|and|or|,\s*and|,\s*or)\s*")
DATE_AFTER_WEEKDAY = _c(r"[\s,]*")
RANGE_OPENER = _c(r"\b(?P<word>between|from)\s+$")
WEEK_OF = _c(r"\b(?:the\s+)?week\s+of\s+$")
UNIT_OFFSET = _c(r"\bthe\s+(?P<unit>day|week)\s+(?P<dir>before|after)\s+$")
OFFSET_GAP = _c(r"\s+(?P<dir>before|after)\s+")
RELATION = _c(r"(?:\b(?P<before>before|prior\s+to|ahead\s+of)|\b(?P<after>after)"
              r"|\b(?P<until>by|until|till|til|up\s+until|up\s+to|no\s+later\s+than|not\s+later\s+than|through|thru)"
              r"|\b(?P<since>since|starting(?:\s+(?:from|on|with|in))?|beginning(?:\s+(?:from|on|in))?|as\s+of|from)"
              r"|\b(?P<on>on))\s+$")
WORD = _c(r"[a-z]+")
LAST_WORD = _c(r"([a-z]+)\W*$")
