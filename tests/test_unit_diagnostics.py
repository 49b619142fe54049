"""diagnostics.py: one Severity, one format and one printer for every command."""

from __future__ import annotations

import io

import pytest

from sitegen.diagnostics import (ERROR, NOTE, WARNING, Diagnostic, Report, Severity, closest, did_you_mean,
                                 display_path, plural, print_diagnostics)


def test_severity_accepts_its_words():
    assert Severity("warning") is WARNING
    assert Diagnostic("a.md", 1, "x", "m", severity="warning").severity is WARNING
    assert Diagnostic("a.md", 1, "x", "m", severity="note").severity is NOTE
    assert Diagnostic("a.md", 1, "x", "m").severity is ERROR
    assert Diagnostic("a.md", 1, "x", "m", severity="warning") == Diagnostic("a.md", 1, "x", "m", severity=WARNING)
    assert f"{WARNING}" == str(WARNING) == "warning" and f"{ERROR:>7}" == "  error"


def test_an_unknown_severity_is_refused():
    with pytest.raises(ValueError):
        Diagnostic("a.md", 1, "x", "m", severity="fatal")


def test_where_and_format():
    d = Diagnostic("content/en/a.md", 8, "unknown-key", 'unknown field "reviwed"', 'Did you mean "reviewed"?')
    assert d.where == "content/en/a.md:8"
    assert d.format() == ('content/en/a.md:8: error[unknown-key]: unknown field "reviwed"\n'
                          '  hint: Did you mean "reviewed"?')
    bare = Diagnostic("content/site.yml", None, "site.missing", "missing", severity=WARNING)
    assert bare.where == "content/site.yml"
    assert bare.format() == "content/site.yml: warning[site.missing]: missing"  # no hint line
    assert Diagnostic("a.md", 0, "c", "m").where == "a.md"  # line 0 is no line


@pytest.mark.parametrize("count, word, many, text", [
    (0, "page", None, "0 pages"), (1, "page", None, "1 page"), (2, "page", None, "2 pages"),
    (1, "entry", "entries", "1 entry"), (3, "entry", "entries", "3 entries"), (-1, "day", None, "-1 days"),
])
def test_plural(count, word, many, text):
    assert plural(count, word, many) == text


def test_print_diagnostics_prints_each_once_in_file_and_line_order():
    b9 = Diagnostic("b.md", 9, "z", "late")
    a10 = Diagnostic("a.md", 10, "y", "ten", "a hint")
    a2 = Diagnostic("a.md", 2, "y", "two", severity=WARNING)
    a_none = Diagnostic("a.md", None, "x", "whole file")
    stream = io.StringIO()
    print_diagnostics([b9, a10, a2, b9, a_none, a10], stream)
    assert stream.getvalue().splitlines() == [
        "a.md: error[x]: whole file",
        "a.md:2: warning[y]: two",
        "a.md:10: error[y]: ten",  # by number, not as text ("10" < "2")
        "  hint: a hint",
        "b.md:9: error[z]: late",
    ]


def test_report_counts_each_problem_once():
    report = Report()
    report.error("a.md", 1, "c", "m")
    report.error("a.md", 1, "c", "m")
    report.warning("a.md", 2, "w", "m")
    assert len(report.errors) == 1 and len(report.warnings) == 1
    assert len(report.sorted()) == 2


def test_did_you_mean():
    assert did_you_mean("reviwed", {"reviewed", "reviewers", "title"}) == 'Did you mean "reviewed"?'
    assert did_you_mean("zzzz", {"reviewed", "title"}) == ""
    assert closest("titel", ["title"]) == "title"


def test_display_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "content" / "a.md") == "content/a.md"
    assert display_path("relative/a.md") == "relative/a.md"
    assert display_path("/elsewhere/a.md") == "/elsewhere/a.md"
