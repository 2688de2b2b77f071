"""The package's shape: imports run one way, the core never touches Discord, types are not silenced."""

from __future__ import annotations

import ast
import subprocess
import sys

from helpers import ROOT, SHARED

CORE = ("knowledge", "index", "answer", "reminders", "instructor", "settings", "evaluation")


def test_there_is_no_import_cycle_in_bot_even_inside_functions():
    done = subprocess.run([sys.executable, str(SHARED / "tools" / "import_cycles.py"), str(ROOT / "bot")],
                          capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "cycles: 0", done.stdout


def test_no_core_module_imports_discord():
    offenders = []
    for package in CORE:
        for path in (ROOT / "bot" / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] == "discord"]
    assert offenders == []


def test_no_type_check_is_silenced_in_bot():
    silenced = [f"{p.relative_to(ROOT)}:{n}" for p in (ROOT / "bot").rglob("*.py")
                for n, line in enumerate(p.read_text("utf-8").splitlines(), 1) if "type: ignore" in line]
    assert silenced == []
