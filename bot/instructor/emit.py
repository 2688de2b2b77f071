"""Write knowledge YAML by hand, so guesses can carry a ``# REVIEW:`` comment.

Any value may be wrapped in ``Guess(value, reason)``: a scalar gets the comment at
the end of its line, a mapping or list gets it on the line above. Strings are
written double-quoted (JSON escapes are valid YAML), so no text can change type.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

INDENT = "  "


@dataclass(frozen=True)
class Guess:
    value: Any
    reason: str


def unwrap(value: Any) -> Any:
    return value.value if isinstance(value, Guess) else value


def count_guesses(value: Any) -> int:
    own = 1 if isinstance(value, Guess) else 0
    inner = unwrap(value)
    if isinstance(inner, dict):
        return own + sum(count_guesses(v) for v in inner.values())
    if isinstance(inner, list | tuple):
        return own + sum(count_guesses(v) for v in inner)
    return own


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return f'"{value.strftime("%H:%M")}"'
    text = json.dumps(str(value), ensure_ascii=False)
    return "".join(char if _printable(char) else _escape(char) for char in text)


def _printable(char: str) -> bool:
    """YAML's printable set, minus the line separators PyYAML treats as line breaks."""
    code = ord(char)
    return (0x20 <= code <= 0x7E or code in (0x9, 0xA, 0xD) or 0xA0 <= code <= 0xD7FF and code not in (0x2028, 0x2029)
            or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF)


def _escape(char: str) -> str:
    code = ord(char)
    return "" if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF) else f"\\u{code:04x}"


def _empty(value: Any) -> bool:
    inner = unwrap(value)
    return inner is None or (isinstance(inner, list | tuple | dict) and not inner) or inner is False


def _plain_scalar(value: Any) -> bool:
    return not isinstance(value, Guess | dict | list | tuple) and len(scalar(value)) < 30


def _review(reason: str) -> str:
    return "# REVIEW: " + " ".join(reason.split())


def mapping(data: dict[str, Any], depth: int) -> list[str]:
    lines: list[str] = []
    pad = INDENT * depth
    for key, raw in data.items():
        if _empty(raw):
            continue
        value, note = unwrap(raw), (raw.reason if isinstance(raw, Guess) else None)
        if isinstance(value, list | tuple) and all(_plain_scalar(v) for v in value) and len(value) <= 7:
            inline = f"{pad}{key}: [{', '.join(scalar(v) for v in value)}]"
            lines.append(inline + (f"  {_review(note)}" if note else ""))
        elif isinstance(value, dict | list | tuple):
            if note:
                lines.append(pad + _review(note))
            lines.append(f"{pad}{key}:")
            lines += mapping(value, depth + 1) if isinstance(value, dict) else sequence(value, depth + 1)
        else:
            lines.append(f"{pad}{key}: {scalar(value)}" + (f"  {_review(note)}" if note else ""))
    return lines


def sequence(items: list[Any] | tuple[Any, ...], depth: int) -> list[str]:
    lines: list[str] = []
    pad = INDENT * depth
    for raw in items:
        value, note = unwrap(raw), (raw.reason if isinstance(raw, Guess) else None)
        if isinstance(value, dict):
            if note:
                lines.append(pad + _review(note))
            body = mapping(value, depth + 1)
            if not body:
                continue
            lines.append(pad + "- " + body[0].lstrip() if not body[0].lstrip().startswith("#") else pad + "-")
            lines += body[1:] if not body[0].lstrip().startswith("#") else body
        else:
            lines.append(f"{pad}- {scalar(value)}" + (f"  {_review(note)}" if note else ""))
    return lines


def document(data: dict[str, Any], header: str) -> str:
    """The YAML text of one knowledge file, with a comment header."""
    head = [f"# {line}".rstrip() for line in header.strip().splitlines()]
    return "\n".join(head + mapping(data, 0)) + "\n"
