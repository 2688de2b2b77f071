"""``coursebot index``: builds the index and says what it embedded and what came from the cache."""

from __future__ import annotations

from helpers import KNOWLEDGE, run_cli


def test_index_command_reports_what_it_embedded(capsys, config):
    code, out, _ = run_cli(capsys, "index", "--knowledge", str(KNOWLEDGE), "--config", str(config))
    assert code == 0 and "units" in out and "from cache" in out
