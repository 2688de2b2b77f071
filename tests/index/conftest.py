"""Fixtures for the ONNX path: the bundled model exported once per session, shared by copy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.index.embedder import BUNDLED, Embedder, load_embedder
from bot.index.layout import models_dir


@pytest.fixture(scope="session")
def onnx_root(tmp_path_factory, embedder) -> Path:
    """An index root whose models/ holds the ONNX export of the bundled model (exported here, once)."""
    root = tmp_path_factory.mktemp("onnx-root")
    encoder = Embedder(BUNDLED, "onnx", "fp32", models_dir(root)).prepare(verify=True)
    assert encoder["kind"] == "onnx", encoder
    return root


@pytest.fixture(scope="session")
def onnx_embedder(onnx_root) -> Embedder:
    return load_embedder(BUNDLED, "onnx", "fp32", models_dir(onnx_root))


@pytest.fixture
def root_with_export(onnx_root, tmp_path) -> Path:
    """A fresh index root with the session's export in models/ (hard links: instant, read-only use)."""
    root = tmp_path / "index"
    shutil.copytree(models_dir(onnx_root), models_dir(root), copy_function=os.link)
    return root


@pytest.fixture
def models_copy(onnx_root, tmp_path) -> Path:
    """A private copy of the export (real copies: a test may damage it)."""
    target = tmp_path / "models"
    shutil.copytree(models_dir(onnx_root), target)
    return target
