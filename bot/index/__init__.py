"""The embedding index: answerable units, their vectors in faiss, and the manifest on disk.

Names are imported on first use, so ``from bot.index.errors import IndexBuildError`` (the
CLI does it for every command) does not pay for importing faiss.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.index.errors import IndexBuildError
    from bot.index.layout import course_index_dir
    from bot.index.store import Index, build_index, open_index
    from bot.index.units import Unit, build_units

_WHERE = {"Index": "store", "build_index": "store", "open_index": "store", "Unit": "units",
          "build_units": "units", "IndexBuildError": "errors", "course_index_dir": "layout"}
__all__ = ["Index", "IndexBuildError", "Unit", "build_index", "build_units", "course_index_dir", "open_index"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"bot.index.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'bot.index' has no attribute {name!r}")
