"""The embedding index: answerable units, their vectors in faiss, and the manifest on disk."""

from bot.index.store import Index, build_index, open_index
from bot.index.units import Unit, build_units

__all__ = ["Index", "Unit", "build_index", "build_units", "open_index"]
