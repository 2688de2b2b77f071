"""Deadline reminders: a pure planner, an SQLite ledger that makes each post exactly-once,
a sender that talks to a small ``Channel`` protocol, and an iCalendar export.

Only ``bot.reminders.cog`` imports discord; everything else here is plain Python.
"""
