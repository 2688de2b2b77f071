"""The bot token: from DISCORD_TOKEN in the environment, else from a git-ignored ``.env`` file."""

from __future__ import annotations

import os
from pathlib import Path

TOKEN_VARIABLE = "DISCORD_TOKEN"


def read_env_file(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines (``export`` prefix, quotes and # comments allowed)."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        values[key.strip()] = _value(value.strip())
    return values


def _value(raw: str) -> str:
    quote = raw[:1]
    if quote in ("'", '"') and quote in raw[1:]:
        return raw[1:raw.index(quote, 1)]
    return raw.split(" #", 1)[0].strip()


def find_token(env_file: Path = Path(".env")) -> str | None:
    """DISCORD_TOKEN from the environment wins; then ``.env``; empty means missing."""
    token = os.environ.get(TOKEN_VARIABLE) or read_env_file(env_file).get(TOKEN_VARIABLE)
    return token.strip() or None if token else None
