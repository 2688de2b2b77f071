"""Score the engine on a question file: load its items, ask each, check, report."""

from bot.evaluation.questions import Item, load_items
from bot.evaluation.score import Result, check, report, run

__all__ = ["Item", "Result", "check", "load_items", "report", "run"]
