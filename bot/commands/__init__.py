"""Every ``coursebot`` command: name -> (handler, help, example, argument adder).

Each feature area keeps its commands in its own module here and registers them below.
"""

from __future__ import annotations

from bot.commands import answering, discord, indexing, instructor, reminders

COMMANDS = {
    **answering.COMMANDS,
    **indexing.COMMANDS,
    **reminders.COMMANDS,
    **discord.COMMANDS,
    **instructor.COMMANDS,
}
