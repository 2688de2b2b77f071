"""``coursebot import``, ``check`` and ``unanswered``: the instructor's tools."""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
from pathlib import Path

from bot.commands._common import CliError, knowledge_of, parse_now, settings_of


def import_command(args: argparse.Namespace) -> int:
    from bot.instructor.check import check_course
    from bot.instructor.importer import PageError, import_file
    from bot.instructor.write import WriteError
    from bot.knowledge import KnowledgeError, load_course

    page, out = Path(args.page), Path(args.out)
    if args.timezone:
        _check_zone(args.timezone)
    try:
        result = import_file(page, near_year=dt.datetime.now(dt.UTC).year, timezone=args.timezone)
        written = result.write(out, page.name, force=args.force)
    except (PageError, WriteError) as exc:
        raise CliError(str(exc)) from exc
    print(f"wrote {', '.join(p.name for p in written)} to {out}/")
    print(f"{result.guesses} guess(es) marked '# REVIEW:' in the files: check each one.")
    if result.unplaced:
        print(f"could not place {len(result.unplaced)} thing(s):")
        for item in result.unplaced:
            print(f"  - {item}")
    try:
        course = load_course(out)
    except KnowledgeError as exc:
        print(f"the imported files do not load yet ({len(exc.problems)} problem(s)); fix them, then run "
              f"coursebot check --knowledge {out}:")
        for problem in exc.problems:
            print(f"  {problem}")
        return 1
    _print_warnings(check_course(course, out))
    return 0


def _check_zone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CliError(f"--timezone {name!r} is not an IANA time zone such as America/Chicago") from exc


def check_command(args: argparse.Namespace) -> int:
    from bot.instructor.check import check_course
    from bot.knowledge import KnowledgeError, load_course

    directory = knowledge_of(args)
    errors, course = [], None
    try:
        course = load_course(directory)
    except KnowledgeError as exc:
        errors += exc.problems
    errors += _config_errors(args.config)
    for problem in errors:
        print(f"error: {problem}")
    warnings = check_course(course, directory) if course else []
    _print_warnings(warnings)
    if errors or course is None:
        print(f"{len(errors)} error(s), {len(warnings)} warning(s): the bot cannot load this.")
        return 1
    print(f"ok: {len(course.sessions)} sessions, {len(course.deliverables)} deliverables, "
          f"{len(course.policies)} policies; {len(warnings)} warning(s).")
    return 1 if warnings and args.strict else 0


def _config_errors(path: Path | None) -> list:
    from bot.knowledge import KnowledgeError
    from bot.settings import load_settings

    config = Path(path or "config.yaml")
    if path is not None and not config.exists():
        raise CliError(f"config file {config} does not exist")
    try:
        load_settings(config)
    except KnowledgeError as exc:
        return list(exc.problems)
    return []


def _print_warnings(warnings: list) -> None:
    for warning in warnings:
        print(f"warning: {warning}")


def unanswered_command(args: argparse.Namespace) -> int:
    from bot.index.embedder import load_embedder
    from bot.instructor.unanswered import faq_skeletons, group_questions
    from bot.serving.feedback import FeedbackStore, FeedbackUnavailable

    if args.days < 1:
        raise CliError("--days must be at least 1")
    now = parse_now(args.now)
    settings = settings_of(args)
    database = Path(args.db or settings.discord.database)
    if not database.exists():
        raise CliError(f"no feedback database at {database} (the bot writes it while it runs; or use --db FILE)")
    try:
        questions = FeedbackStore(database).declined_or_downvoted(now - dt.timedelta(days=args.days))
    except FeedbackUnavailable as exc:  # not a file at all (a directory, a FIFO, a symlink loop), says which
        raise CliError(str(exc)) from exc
    except sqlite3.Error as exc:  # damage is set aside by the store; this is a file SQLite can't open at all
        raise CliError(f"the feedback database {database} can't be opened: {exc}") from exc
    if not questions:
        print(f"no declined or downvoted questions in the last {args.days} day(s).")
        return 0
    groups = group_questions(questions, load_embedder(settings.engine.model), threshold=args.similarity)
    print(f"# {len(questions)} question(s) in {len(groups)} group(s), last {args.days} day(s).")
    print("# Fill in each answer, then paste the entries under `faq:` in knowledge/faq.yaml.")
    print(faq_skeletons(groups, existing_ids=_faq_ids(args)))
    return 0


def _faq_ids(args: argparse.Namespace) -> set[str]:
    from bot.knowledge import KnowledgeError, load_course

    try:
        return {entry.id for entry in load_course(knowledge_of(args)).faq}
    except (KnowledgeError, CliError):
        return set()


def _import_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("page", metavar="PAGE", help="the course web page: Markdown (.md) or saved HTML (.html), "
                        "at most 2 MB")
    parser.add_argument("--out", metavar="DIR", required=True, help="directory to write the knowledge YAML into")
    parser.add_argument("--force", action="store_true", help="overwrite knowledge files already in DIR")
    parser.add_argument("--timezone", metavar="ZONE", help="the course's IANA time zone when the page states none "
                        "(default: this machine's zone); marked for review either way")


def _check_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")


def _unanswered_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--days", type=int, default=7, help="look back this many days (default 7)")
    parser.add_argument("--db", help="the feedback database (default: discord.database in config.yaml)")
    parser.add_argument("--now", help="ISO 8601 moment to count back from (default: the real time)")
    parser.add_argument("--similarity", type=float, default=0.6,
                        help="cosine similarity above which two questions share a group (default 0.6)")


COMMANDS = {
    "import": (import_command, "Turn a course web page (Markdown or HTML) into knowledge YAML, marking guesses for "
               "review.",
               "coursebot import course-page.md --out knowledge/", _import_args),
    "check": (check_command, "Validate knowledge/ and config.yaml; warn about likely mistakes.",
              "coursebot check --knowledge knowledge/ --config config.yaml", _check_args),
    "unanswered": (unanswered_command, "Group recent declined and downvoted questions into FAQ entry skeletons.",
                   "coursebot unanswered --days 7", _unanswered_args),
}
