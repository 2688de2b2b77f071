"""What every command needs: the user-facing error, the global options read, ``--now``, JSON out."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from bot.settings import Settings, load_settings


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


def settings_of(args: argparse.Namespace) -> Settings:
    path = args.config
    if path is not None and not Path(path).exists():
        raise CliError(f"config file {path} does not exist")
    return load_settings(path or Path("config.yaml"))


def knowledge_of(args: argparse.Namespace) -> Path:
    path = Path(args.knowledge or "knowledge")
    if not path.is_dir():
        raise CliError(f"knowledge directory {path} does not exist (use --knowledge DIR)")
    return path


def parse_now(value: str | None) -> dt.datetime:
    if not value:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CliError(f"--now {value!r} is not an ISO 8601 moment, e.g. 2020-10-19T09:00-05:00") from exc
    if moment.tzinfo is None:
        raise CliError(f"--now {value!r} needs a UTC offset, e.g. 2020-10-19T09:00-05:00")
    return moment


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
