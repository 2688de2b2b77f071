"""``coursebot ask`` (one question, --json, --batch, --now) and ``coursebot eval``, in-process."""

from __future__ import annotations

import json

from helpers import DEV_SET, KNOWLEDGE, run_cli

NOW = "2020-10-19T09:00-05:00"


def test_ask_json_follows_the_contract(capsys, config):
    code, out, _ = run_cli(capsys, "ask", "when is hw2 due?", "--now", NOW, "--json",
                       "--knowledge", str(KNOWLEDGE), "--config", str(config))
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"q", "answer", "answered", "confidence", "sources", "ms"}
    assert data["answered"] is True and "Oct 20" in data["answer"] and data["ms"] > 0
    assert set(data["sources"][0]) == {"kind", "id", "title", "url"}


def test_batch_answers_each_line_with_its_id_and_now(capsys, config, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps(x) for x in [
        {"id": "a", "q": "is anything due tmrw", "now": "2020-10-28T15:00-05:00"},
        {"q": "what's the weather in evanston"},
    ]) + "\n")
    code, out, _ = run_cli(capsys, "ask", "--batch", str(batch), "--now", NOW,
                       "--knowledge", str(KNOWLEDGE), "--config", str(config))
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 0 and first["id"] == "a" and "Project proposal" in first["answer"]
    assert "id" not in second and second["answered"] is False


def test_bad_batch_line_is_one_located_error(capsys, config, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"q": "ok"}\nnot json\n')
    code, out, err = run_cli(capsys, "ask", "--batch", str(batch), "--config", str(config))
    assert code == 2 and out == "" and err.strip() == f'coursebot: {batch}:2: expected a JSON object with a "q" field'


def test_now_without_offset_is_refused(capsys, config):
    code, _, err = run_cli(capsys, "ask", "hi", "--now", "2020-10-19T09:00", "--config", str(config))
    assert code == 2 and "needs a UTC offset" in err and len(err.strip().splitlines()) == 1


def test_eval_prints_categories_failures_and_score(capsys, config):
    code, out, _ = run_cli(capsys, "eval", str(DEV_SET), "--knowledge", str(KNOWLEDGE), "--config", str(config))
    assert code == 0 and "deadline" in out and "out_of_scope" in out
    assert out.strip().splitlines()[-1].startswith("score: ")
