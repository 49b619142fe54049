"""Two builds of the same content give byte-identical output, whatever the clock, time zone or locale."""

from __future__ import annotations

import pytest

from conftest import ROOT, run_build, tree_digest


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    env = {"SOURCE_DATE_EPOCH": "1790000000"}
    one = run_build("--content", str(ROOT / "content"), "--out", str(first), "--cache-dir", str(tmp_path / "c1"),
                    env={**env, "TZ": "Pacific/Kiritimati", "LANG": "C", "LC_ALL": "C"})
    two = run_build("--content", str(ROOT / "content"), "--out", str(second), "--cache-dir", str(tmp_path / "c2"),
                    env={**env, "TZ": "America/Los_Angeles", "LANG": "es_ES.UTF-8", "PYTHONHASHSEED": "123"})
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    a, b = tree_digest(first), tree_digest(second)
    assert any(name.endswith(".pdf") for name in a), "handouts are part of the comparison"
    assert any(name.startswith("pagefind/") for name in a), "so is the search index"
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []


def test_source_date_epoch_is_the_build_date(tmp_path):
    out = tmp_path / "s"
    content = tmp_path / "content"
    import shutil

    shutil.copytree(ROOT / "tests/fixtures/basic", content)
    page = content / "en/symptoms.md"
    page.write_text(page.read_text().replace("reviewed: 2026-01-15", "reviewed: 2020-01-15"))
    # 1790000000 is 2026-09-21: the review from 2020-01-15 is long overdue on that day.
    result = run_build("--content", str(content), "--out", str(out), "--no-handouts", "--no-search",
                       env={"SOURCE_DATE_EPOCH": "1790000000"})
    assert result.returncode == 0, result.stderr
    assert "was due for review on January 15, 2021" in (out / "symptoms/index.html").read_text()
    result = run_build("--content", str(content), "--out", str(out), "--no-handouts", "--no-search",
                       env={"SOURCE_DATE_EPOCH": str(1579046400 + 86400)})  # 2020-01-16
    assert "Next review due January 15, 2021." in (out / "symptoms/index.html").read_text()
