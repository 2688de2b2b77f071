"""Shared fixtures: the real model and real faiss, loaded once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import KNOWLEDGE, SPRING2024

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def embedder():
    """The question-time encoder the bot uses by default: the model exported to ONNX, run on onnxruntime.
    The export is made once into the repository's index/models (git-ignored) and reused by later runs."""
    from bot.index.embedder import embedder_for
    from bot.settings import EngineSettings

    return embedder_for(EngineSettings()).warm()


@pytest.fixture(scope="session")
def course():
    from bot.knowledge import load_course

    return load_course(KNOWLEDGE)


@pytest.fixture(scope="session")
def index_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("indexes")


def _engine(knowledge: Path, embedder, directory: Path):
    from bot.knowledge import load_course
    from bot.serving.assemble import build_engine
    from bot.settings import Settings

    course = load_course(knowledge)
    return build_engine(course, Settings(), embedder, directory)


@pytest.fixture(scope="session")
def engine(embedder, index_root):
    """The engine on the default course (Fall 2020), index in a temp dir."""
    return _engine(KNOWLEDGE, embedder, index_root / "fall2020")


@pytest.fixture(scope="session")
def spring_engine(embedder, index_root):
    """The engine on a second, different course (Spring 2024)."""
    return _engine(SPRING2024, embedder, index_root / "spring2024")


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    """A writable copy of the default course's knowledge."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


@pytest.fixture(scope="session")
def config(tmp_path_factory, embedder) -> Path:
    """A config.yaml for CLI tests whose index lives in a temp dir (the model is loaded first)."""
    directory = tmp_path_factory.mktemp("cli")
    path = directory / "config.yaml"
    path.write_text(f"engine:\n  index_dir: {directory / 'index'}\n")
    return path
