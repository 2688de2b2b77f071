"""Property tests: random and mutated YAML never crash the loader with anything but a
located KnowledgeError, and a load either gives a whole course or none at all."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.knowledge import Course, KnowledgeError, load_course
from bot.knowledge.yamlfile import MAX_FILE_BYTES

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
FILES = sorted(p.name for p in KNOWLEDGE.glob("*.yaml"))
ORIGINAL = {name: (KNOWLEDGE / name).read_bytes() for name in FILES}
# Problems about a whole file (missing, too big, unreadable) have no line to point at.
WHOLE_FILE = ("is missing", "the limit is", "cannot be read", "is not a directory")
VALUES = ["[]", "{}", "42", "-3", "1.5", "true", "null", "~", '"text"', "'single'", "- x", "2020-02-30",
          "Feb 30", "2020-13-01", "10:00", "25:99", "!!python/object:os.system x", "*nowhere", "&a x", "|",
          ">-", "[unclosed", "{a: 1, a: 2}", ".inf", ".nan", "1" * 5000, "\x07bell", "é€😀", "@reserved", "`tick",
          "%YAML 1.1", "!!binary AAAA", "!!set {a, b}", "<<: 5", "? [a]"]
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_mutated(name: str, data: bytes) -> Course | KnowledgeError:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "knowledge"
        shutil.copytree(KNOWLEDGE, directory)
        (directory / name).write_bytes(data)
        try:
            return load_course(directory)
        except KnowledgeError as exc:
            return exc


def assert_whole_or_located(outcome: Course | KnowledgeError, name: str, data: bytes) -> None:
    if isinstance(outcome, Course):  # a whole course: every derived view works
        assert outcome.sessions and outcome.info.code
        assert outcome.first_day <= outcome.last_day
        _ = outcome.deliverables, outcome.classes, outcome.where_to_ask
        return
    assert outcome.problems, "a KnowledgeError must say what is wrong"
    lines = data.count(b"\n") + 2
    for problem in outcome.problems:
        assert problem.file and problem.message and str(problem)
        if not any(phrase in problem.message for phrase in WHOLE_FILE):
            assert problem.line is not None and 1 <= problem.line <= lines, str(problem)


def mutate(data: bytes, kind: str, where: int, value: str, blob: bytes) -> bytes:
    lines = data.split(b"\n")
    i = where % len(lines)
    line = lines[i]
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, line)
    elif kind == "value" and b":" in line:
        lines[i] = line[: line.index(b":") + 1] + b" " + value.encode()
    elif kind == "value":
        lines[i] = line + b" " + value.encode()
    elif kind == "tab":
        lines[i] = b"\t" + line.lstrip(b" ")
    elif kind == "indent":
        lines[i] = b"  " + line if where % 2 else line[2:]
    elif kind == "bytes":
        at = where % (len(data) + 1)
        return data[:at] + blob + data[at:]
    elif kind == "truncate":
        return data[: where % (len(data) + 1)]
    return b"\n".join(lines)


@SLOW
@given(name=st.sampled_from(FILES),
       edits=st.lists(st.tuples(st.sampled_from(["delete", "duplicate", "value", "tab", "indent", "bytes",
                                                 "truncate"]),
                                st.integers(0, 10_000), st.sampled_from(VALUES), st.binary(min_size=1, max_size=8)),
                      min_size=1, max_size=3))
def test_mutated_real_files_load_whole_or_fail_located(name, edits):
    data = ORIGINAL[name]
    for kind, where, value, blob in edits:
        data = mutate(data, kind, where, value, blob)
    assert_whole_or_located(load_mutated(name, data), name, data)


YAMLISH = st.text(alphabet=st.sampled_from(list("abcxyz019 :-\n\t[]{},#&*!|>'\"%@`?~.") + ["é", "\x00", "\ufeff"]),
                  max_size=300)


@SLOW
@given(name=st.sampled_from(FILES), text=YAMLISH)
def test_random_yamlish_text_loads_whole_or_fails_located(name, text):
    data = text.encode("utf-8")
    assert_whole_or_located(load_mutated(name, data), name, data)


@settings(max_examples=30, deadline=None)
@given(name=st.sampled_from(FILES), data=st.binary(max_size=500))
def test_random_bytes_fail_located(name, data):
    assert_whole_or_located(load_mutated(name, data), name, data)


# -- each kind of damage gets its own message ------------------------------------------


def problems_for(name: str, data: bytes) -> list[str]:
    outcome = load_mutated(name, data)
    assert isinstance(outcome, KnowledgeError)
    return [str(p) for p in outcome.problems]


def test_huge_file():
    [message] = problems_for("faq.yaml", ORIGINAL["faq.yaml"] + b"#" * MAX_FILE_BYTES)
    assert message.endswith(f"faq.yaml: is {len(ORIGINAL['faq.yaml']) + MAX_FILE_BYTES:,} bytes; "
                            f"the limit is {MAX_FILE_BYTES:,}")


def test_wrong_encoding_names_the_line():
    data = ORIGINAL["policies.yaml"].replace(b"Grading scale", b"Grading sc\xe4le", 1)  # a Latin-1 byte
    [message] = problems_for("policies.yaml", data)
    line = data[: data.index(b"sc\xe4le")].count(b"\n") + 1
    assert message.endswith(f"policies.yaml:{line}: is not UTF-8 text (save the file as UTF-8)")


def test_tab_indentation():
    data = ORIGINAL["calendar.yaml"].replace(b"    week: 1\n", b"\tweek: 1\n", 1)
    [message] = problems_for("calendar.yaml", data)
    assert "a tab character is used for indentation; YAML needs spaces" in message


def test_duplicate_key():
    data = ORIGINAL["course.yaml"].replace(b"title: Deep Learning\n", b"title: Deep Learning\ntitle: Again\n", 1)
    [message] = problems_for("course.yaml", data)
    line = data.split(b"\n").index(b"title: Again") + 1
    assert f"course.yaml:{line}:1: duplicate key 'title' (first given on line {line - 1})" in message


def test_feb_30_written_either_way():
    iso = ORIGINAL["calendar.yaml"].replace(b"date: 2020-09-17", b"date: 2020-02-30", 1)
    assert "'2020-02-30' is not a real date" in problems_for("calendar.yaml", iso)[0]
    words = ORIGINAL["calendar.yaml"].replace(b"date: 2020-09-17", b"date: Feb 30", 1)
    assert "expected a real date written 2020-10-20, got 'Feb 30'" in problems_for("calendar.yaml", words)[0]


def test_control_character_is_located():
    data = ORIGINAL["course.yaml"].replace(b"title: Deep", b"title: De\x07ep", 1)
    [message] = problems_for("course.yaml", data)
    line = data[: data.index(b"\x07")].count(b"\n") + 1
    assert f"course.yaml:{line}:" in message and "control character" in message


def test_endless_number_is_located():
    data = ORIGINAL["calendar.yaml"].replace(b"week: 1\n", b"week: 1" + b"0" * 5000 + b"\n", 1)
    [message] = problems_for("calendar.yaml", data)
    line = data[: data.index(b"week: 10")].count(b"\n") + 1
    assert f"calendar.yaml:{line}:" in message and "too many digits" in message


def test_deep_nesting_is_refused():
    data = b"faq: " + b"[" * 3000 + b"]" * 3000 + b"\n"
    [message] = problems_for("faq.yaml", data)
    assert "faq.yaml:1:" in message and "nested too deeply" in message


def test_infinite_points_are_refused():
    data = ORIGINAL["calendar.yaml"].replace(b"points: 9", b"points: .inf", 1)
    [message] = problems_for("calendar.yaml", data)
    assert "sessions[1].due[0].points" in message


def test_missing_top_level_key_points_at_the_top_of_the_file():
    [message] = problems_for("calendar.yaml", b"# emptied by mistake\n")
    assert message.endswith("calendar.yaml:1:1: sessions: is required but missing")
