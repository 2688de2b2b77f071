"""What several test modules share: paths, fixed moments, and fakes around the real classes.

Fixtures live in conftest.py (pytest finds them by name); plain values and functions that
tests import live here, so no test imports a conftest module.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
CONFIG = ROOT / "config.yaml"
SPRING2024 = ROOT / "tests" / "fixtures" / "spring2024"
# The project's shared/ folder stands beside the checkout (as in CI); a checkout elsewhere,
# such as a git worktree, names it with COURSEBOT_SHARED.
SHARED = Path(os.environ.get("COURSEBOT_SHARED") or ROOT.parent / "shared")
SEED = SHARED / "seed"
DEV_SET = SHARED / "eval" / "fall2020_dev.yaml"

NOW = dt.datetime.fromisoformat("2020-10-19T09:00-05:00")  # Monday of week 6; Homework 2 is due tomorrow


def at(text: str) -> dt.datetime:
    """An aware moment from ISO 8601 text, e.g. at("2020-10-19T09:00-05:00")."""
    return dt.datetime.fromisoformat(text)
