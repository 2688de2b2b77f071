"""Deployment settings: ``config.yaml`` read once into one typed, frozen ``Settings``.

One module per section: ``config`` (the whole file and the ``engine:`` section),
``reminders`` and ``discord``. Plain pydantic models: every layer may import them, and none
of them imports discord.
"""

from bot.settings.config import EngineSettings, Settings, load_settings
from bot.settings.discord import DiscordSettings
from bot.settings.reminders import QuietHours, ReminderSettings

__all__ = ["DiscordSettings", "EngineSettings", "QuietHours", "ReminderSettings", "Settings", "load_settings"]
