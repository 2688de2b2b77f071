"""``coursebot reminders`` and ``coursebot calendar``: the reminder plan and the .ics export.

Both read only the course and the settings (no model, no index), so they start fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from bot.commands._common import CliError, knowledge_of, parse_now, settings_of


def _course_and_settings(args: argparse.Namespace):
    from bot.knowledge import load_course

    return load_course(knowledge_of(args)), settings_of(args).reminders


def reminders_command(args: argparse.Namespace) -> int:
    from bot.reminders import planner
    from bot.reminders.text import local, reminder_text

    course, settings = _course_and_settings(args)
    items = planner.schedule(course, settings)
    if args.dry_run:
        start, end = _window(args)
        for moment, post in planner.simulate(items, start, end, settings.quiet_hours):
            print(f"--- {local(moment.astimezone(course.tz))} ---")
            print(reminder_text(post, course, settings, moment))
        return 0
    now = parse_now(args.now).astimezone(course.tz)
    upcoming = planner.between(items, now, now + dt.timedelta(days=args.days))
    print(format_table(upcoming) if upcoming else f"No reminders in the {args.days} days from {local(now)}.")
    return 0


def _window(args: argparse.Namespace) -> tuple[dt.datetime, dt.datetime]:
    if not (args.start and args.end):
        raise CliError("--dry-run needs --from ISO and --to ISO, e.g. --from 2020-10-12T00:00-05:00")
    start, end = parse_now(args.start), parse_now(args.end)
    if end <= start:
        raise CliError("--to must be after --from")
    return start, end


def format_table(items) -> str:
    from bot.reminders.text import local

    rows = [("fires", "lead", "deliverable", "due", "points")]
    for item in items:
        rows.append((local(item.fire_at), lead_text(item.lead), item.due.name, local(item.due_at),
                     item.due.points_text or ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                     for row in rows)


def lead_text(lead: dt.timedelta) -> str:
    minutes = int(lead.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    return " ".join(p for p in parts if p)


def calendar_command(args: argparse.Namespace) -> int:
    from bot.reminders.ics import calendar_ics

    course, settings = _course_and_settings(args)
    data = calendar_ics(course, settings, parse_now(None))
    path = Path(args.ics)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"wrote {len(course.deliverables)} deliverables and {len(course.classes)} classes to {path}")
    return 0


def _reminder_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--now", metavar="ISO", help="the moment to plan from (default: now)")
    parser.add_argument("--days", type=int, default=14, metavar="N", help="how many days ahead (default 14)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print every message that would be posted between --from and --to, in order")
    parser.add_argument("--from", dest="start", metavar="ISO", help="start of the --dry-run window")
    parser.add_argument("--to", dest="end", metavar="ISO", help="end of the --dry-run window")


def _calendar_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ics", required=True, metavar="FILE", help="where to write the .ics file")


COMMANDS = {
    "reminders": (reminders_command, "List upcoming deadline reminders, or dry-run the messages of a window.",
                  "coursebot reminders --now 2020-10-12T09:00-05:00 --days 7\n"
                  "         coursebot reminders --dry-run --from 2020-10-12T00:00-05:00 --to 2020-10-22T00:00-05:00",
                  _reminder_args),
    "calendar": (calendar_command, "Export every deliverable and class as an iCalendar (.ics) file.",
                 "coursebot calendar --ics course.ics", _calendar_args),
}
