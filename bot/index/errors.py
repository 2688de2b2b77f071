"""Errors of the index and of the model export, cheap to import (the CLI catches them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.knowledge import Problem


class IndexBuildError(Exception):
    """The index or the model export could not be built or written.

    ``str(error)`` is one line for a person (the CLI prints it, a failed reload shows it
    to staff); ``where`` is the folder concerned.
    """

    def __init__(self, where: Path, message: str):
        self.where = Path(where)
        self.message = message
        super().__init__(f"{where}: {message}")

    def problem(self) -> Problem:
        """The error as a knowledge Problem, the shape a failed ReloadResult carries."""
        from bot.knowledge import Problem

        return Problem(str(self.where), None, None, "", self.message)
