"""The coursebot command line, driven in-process (the model loads once per session)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import DEV_SET, KNOWLEDGE

from bot.cli import build_parser, main

NOW = "2020-10-19T09:00-05:00"


@pytest.fixture(scope="module")
def config(tmp_path_factory, embedder) -> Path:
    directory = tmp_path_factory.mktemp("cli")
    path = directory / "config.yaml"
    path.write_text(f"engine:\n  index_dir: {directory / 'index'}\n")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_follows_the_contract(capsys, config):
    code, out, _ = run(capsys, "ask", "when is hw2 due?", "--now", NOW, "--json",
                       "--knowledge", str(KNOWLEDGE), "--config", str(config))
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"q", "answer", "answered", "confidence", "sources", "ms"}
    assert data["answered"] is True and "Oct 20" in data["answer"] and data["ms"] > 0
    assert set(data["sources"][0]) == {"kind", "id", "title", "url"}


def test_global_options_work_before_the_command(capsys, config):
    code, out, _ = run(capsys, "--knowledge", str(KNOWLEDGE), "--config", str(config), "ask", "OH?", "--now", NOW)
    assert code == 0 and "Mondays 4:00pm–6:00pm" in out and "Source:" in out


def test_batch_answers_each_line_with_its_id_and_now(capsys, config, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps(x) for x in [
        {"id": "a", "q": "is anything due tmrw", "now": "2020-10-28T15:00-05:00"},
        {"q": "what's the weather in evanston"},
    ]) + "\n")
    code, out, _ = run(capsys, "ask", "--batch", str(batch), "--now", NOW,
                       "--knowledge", str(KNOWLEDGE), "--config", str(config))
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 0 and first["id"] == "a" and "Project proposal" in first["answer"]
    assert "id" not in second and second["answered"] is False


def test_bad_batch_line_is_one_located_error(capsys, config, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"q": "ok"}\nnot json\n')
    code, out, err = run(capsys, "ask", "--batch", str(batch), "--config", str(config))
    assert code == 2 and out == "" and err.strip() == f'coursebot: {batch}:2: expected a JSON object with a "q" field'


def test_now_without_offset_is_refused(capsys, config):
    code, _, err = run(capsys, "ask", "hi", "--now", "2020-10-19T09:00", "--config", str(config))
    assert code == 2 and "needs a UTC offset" in err and len(err.strip().splitlines()) == 1


def test_broken_knowledge_lists_located_problems(capsys, config, knowledge_copy):
    (knowledge_copy / "policies.yaml").write_text("policies:\n  - id: x\n    titel: y\n    text: z\n")
    code, out, err = run(capsys, "ask", "hi", "--knowledge", str(knowledge_copy), "--config", str(config))
    assert code == 2 and out == ""
    assert "policies.yaml:3:5: policies[0].titel: unknown key" in err
    assert "policies.yaml:2:5: policies[0].title: is required but missing" in err


def test_missing_knowledge_directory(capsys, config, tmp_path):
    code, _, err = run(capsys, "ask", "hi", "--knowledge", str(tmp_path / "nope"), "--config", str(config))
    assert code == 2 and "does not exist" in err


def test_eval_prints_categories_failures_and_score(capsys, config):
    code, out, _ = run(capsys, "eval", str(DEV_SET), "--knowledge", str(KNOWLEDGE), "--config", str(config))
    assert code == 0 and "deadline" in out and "out_of_scope" in out
    assert out.strip().splitlines()[-1].startswith("score: ")


def test_index_command_reports_what_it_embedded(capsys, config):
    code, out, _ = run(capsys, "index", "--knowledge", str(KNOWLEDGE), "--config", str(config))
    assert code == 0 and "units" in out and "from cache" in out


def test_every_command_has_help_with_an_example():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse keeps them here
    for name in ("ask", "chat", "index", "eval"):
        assert name in commands
    for name, sub in commands.items():
        assert sub.description, name
        assert "Example:" in (sub.epilog or "") and "coursebot " in sub.epilog, name
