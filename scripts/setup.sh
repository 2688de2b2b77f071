#!/usr/bin/env bash
# Create .venv and install coursebot with pinned dependencies. Idempotent.
# torch comes first and exactly 2.13.0: that is the CPU build on this kind of machine;
# letting sentence-transformers pull torch itself would fetch a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet torch==2.13.0
.venv/bin/python -m pip install --quiet -e ".[test]"
