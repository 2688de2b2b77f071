"""The YAML reader: YAML 1.2-like scalars, no duplicate keys, nothing but plain YAML, located errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError
from bot.knowledge.yamlfile import read_yaml


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_times_stay_times_and_words_stay_words(tmp_path):
    data = read_yaml(write(tmp_path / "x.yaml", "start: 10:00\nplace: no\nflag: true\nday: 2020-10-20\n")).data
    assert data == {"start": "10:00", "place": "no", "flag": True, "day": dt.date(2020, 10, 20)}


def test_duplicate_key_names_both_lines(tmp_path):
    with pytest.raises(KnowledgeError) as caught:
        read_yaml(write(tmp_path / "x.yaml", "a: 1\nb: 2\na: 3\n"))
    problem = caught.value.problems[0]
    assert (problem.line, "duplicate key 'a' (first given on line 1)") == (3, problem.message)


def test_tab_indentation_is_explained(tmp_path):
    with pytest.raises(KnowledgeError) as caught:
        read_yaml(write(tmp_path / "x.yaml", "a:\n\tb: 1\n"))
    assert "tab" in caught.value.problems[0].message


def test_python_tags_are_refused(tmp_path):
    with pytest.raises(KnowledgeError) as caught:
        read_yaml(write(tmp_path / "x.yaml", "a: !!python/object/apply:os.system ['true']\n"))
    assert "only plain YAML" in caught.value.problems[0].message


def test_non_utf8_file_is_named(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: ok\nb: caf\xe9\n")
    with pytest.raises(KnowledgeError) as caught:
        read_yaml(path)
    assert (caught.value.problems[0].line, "UTF-8" in caught.value.problems[0].message) == (2, True)
