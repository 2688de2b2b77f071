"""Deadline reminders: a pure planner, an SQLite ledger that makes each post exactly-once,
a sender that talks to a small ``Channel`` protocol, and an iCalendar export.

Nothing here imports discord: the cog that runs the sender is ``bot.discord.reminders``.
"""
