"""The ``coursebot`` command line: a thin layer over the core.

Library errors become one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot import commands
from bot.commands._common import CliError
from bot.index.errors import IndexBuildError
from bot.knowledge import KnowledgeError


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args)
    except KnowledgeError as exc:
        print(f"coursebot: the knowledge has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except (CliError, IndexBuildError) as exc:
        print(f"coursebot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--knowledge", metavar="DIR", type=Path, default=default,
                        help="directory of knowledge YAML (default: knowledge/)")
    parser.add_argument("--config", metavar="FILE", type=Path, default=default,
                        help="settings file (default: config.yaml)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coursebot",
        description="Answers students' questions about one course, from the instructor's YAML.",
        epilog='Example: coursebot ask "when is hw2 due?" --now 2020-10-19T09:00-05:00',
    )
    _global_options(parser, None)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name, (handler, help_text, example, add_args) in commands.COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text, epilog=f"Example: {example}",
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        _global_options(cmd, argparse.SUPPRESS)
        add_args(cmd)
        cmd.set_defaults(handler=handler)
    return parser
