"""bot/cli.py: global options on both sides of the command, one place for errors, help for every command."""

from __future__ import annotations

from helpers import KNOWLEDGE, run_cli

from bot.cli import build_parser

NOW = "2020-10-19T09:00-05:00"


def test_global_options_work_before_the_command(capsys, config):
    code, out, _ = run_cli(capsys, "--knowledge", str(KNOWLEDGE), "--config", str(config), "ask", "OH?", "--now", NOW)
    assert code == 0 and "Mondays 4:00pm–6:00pm" in out and "Source:" in out


def test_broken_knowledge_lists_located_problems(capsys, config, knowledge_copy):
    (knowledge_copy / "policies.yaml").write_text("policies:\n  - id: x\n    titel: y\n    text: z\n")
    code, out, err = run_cli(capsys, "ask", "hi", "--knowledge", str(knowledge_copy), "--config", str(config))
    assert code == 2 and out == ""
    assert "policies.yaml:3:5: policies[0].titel: unknown key" in err
    assert "policies.yaml:2:5: policies[0].title: is required but missing" in err


def test_missing_knowledge_directory(capsys, config, tmp_path):
    code, _, err = run_cli(capsys, "ask", "hi", "--knowledge", str(tmp_path / "nope"), "--config", str(config))
    assert code == 2 and "does not exist" in err


def test_every_command_has_help_with_an_example():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse keeps them here
    for name in ("ask", "chat", "index", "eval"):
        assert name in commands
    for name, sub in commands.items():
        assert sub.description, name
        assert "Example:" in (sub.epilog or "") and "coursebot " in sub.epilog, name
