"""The Discord adapter: a thin layer that turns slash commands and messages into engine calls.

Extensions (one cog per feature area, each ending in ``async def setup(bot)``):
``bot.discord.answering`` (/ask, mentions, DMs, the Q&A channel, 👍/👎),
``bot.discord.course_info`` (/due, /schedule, /readings, /officehours, /next),
``bot.discord.staff`` (/reload, /unanswered, /stats) and ``bot.discord.reminders`` (the reminder
loop, /remindme, /calendar). The bot class is in ``client``; its settings are ``bot.settings``.
"""
