"""``coursebot ask``, ``chat`` and ``eval``: questions in, the engine's answers out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.answer.model import Answer
from bot.commands._common import CliError, knowledge_of, parse_now, print_json, settings_of

if TYPE_CHECKING:  # both import numpy; the commands load them only when they run
    from bot.answer.engine import Engine
    from bot.serving.live import ReloadResult


def _engine(args: argparse.Namespace) -> Engine:
    from bot.serving.assemble import load_engine

    return load_engine(knowledge_of(args), settings_of(args))


def format_answer(answer: Answer) -> str:
    lines = [answer.answer]
    for source in answer.sources:
        lines.append(f"Source: {source.title}" + (f" <{source.url}>" if source.url else ""))
    return "\n".join(lines)


def ask_command(args: argparse.Namespace) -> int:
    if args.batch:
        return _ask_batch(args)
    if not args.question:
        raise CliError('ask needs a QUESTION, e.g. coursebot ask "when is hw2 due?" (or --batch FILE.jsonl)')
    now = parse_now(args.now)
    answer = _engine(args).answer(" ".join(args.question), now)
    if args.json:
        print_json(answer.to_json())
    else:
        print(format_answer(answer))
    return 0


def _ask_batch(args: argparse.Namespace) -> int:
    path = Path(args.batch)
    source = sys.stdin if args.batch == "-" else None
    if source is None and not path.exists():
        raise CliError(f"batch file {path} does not exist")
    lines = (source or path.open("r", encoding="utf-8")).read().splitlines()
    requests = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            question = str(item["q"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CliError(f"{path}:{number}: expected a JSON object with a \"q\" field") from exc
        requests.append((item, question, parse_now(item.get("now") or args.now)))
    engine = _engine(args)
    for item, question, now in requests:
        data = engine.answer(question, now).to_json()
        if "id" in item:
            data = {"id": item["id"], **data}
        print_json(data)
    return 0


def chat_command(args: argparse.Namespace) -> int:
    from bot.instructor.watch import watching
    from bot.serving.live import LiveCourse

    live = LiveCourse.start(knowledge_of(args), settings_of(args))
    live.subscribe(_print_reload)
    info = live.course.info
    print(f"coursebot — {info.code} {info.title} ({info.term}). Ask a question; Ctrl-D to quit."
          + ("" if args.no_watch else " Edits to the knowledge are picked up as you save."))
    with watching(live, enabled=not args.no_watch):
        while True:
            try:
                question = input("you> ").strip()
            except EOFError:
                print()
                return 0
            if question:
                print(format_answer(live.engine.answer(question, parse_now(args.now))) + "\n")


def _print_reload(result: ReloadResult) -> None:
    """Say on stderr when an edit was picked up or refused (not when nothing changed)."""
    if result.changed or not result.ok:
        print(f"\n[{result.summary()}]", file=sys.stderr)


def eval_command(args: argparse.Namespace) -> int:
    from bot import evaluation

    path = Path(args.file)
    if not path.exists():
        raise CliError(f"question file {path} does not exist")
    items = evaluation.load_items(path)
    engine = _engine(args)
    results = evaluation.run(items, engine.answer, parse_now(args.now))
    print(evaluation.report(results))
    return 0 if all(r.passed for r in results) or not args.strict else 1


def _ask_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", nargs="*", help="the question, as a student would type it")
    parser.add_argument("--now", help="ISO 8601 moment to answer as of (default: the real time)")
    parser.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    parser.add_argument("--batch", metavar="FILE.jsonl", help='one {"q", "id"?, "now"?} object a line; - for stdin')


def _chat_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--now", help="ISO 8601 moment to answer as of (default: the real time)")
    parser.add_argument("--no-watch", action="store_true", help="do not reload when knowledge files change")


def _eval_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="question file in the shared/eval format")
    parser.add_argument("--now", help="moment for items without their own 'now' (default: the real time)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any item fails")


COMMANDS = {
    "ask": (ask_command, "Answer one question (or a batch) exactly as the bot would in chat.",
            'coursebot ask "when is hw2 due?" --now 2020-10-19T09:00-05:00 --json', _ask_args),
    "chat": (chat_command, "Chat with the bot in the terminal (no Discord needed).", "coursebot chat", _chat_args),
    "eval": (eval_command, "Score the bot on a question file: per-category accuracy, failures, score.",
             "coursebot eval ../shared/eval/fall2020_dev.yaml", _eval_args),
}
