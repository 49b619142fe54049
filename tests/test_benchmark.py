"""The benchmark runs end to end on a tiny corpus, and its corpus is deterministic and valid.

These are not timing tests: nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT, run_build, tree_digest

BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))
from hugo_site import hugo_binary, write_hugo_site  # noqa: E402


def write_corpus(out, topics: int = 2) -> subprocess.CompletedProcess:
    """Run the corpus generator as a user would."""
    return subprocess.run([sys.executable, str(BENCH / "corpus.py"), "--topics", str(topics), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)


def test_corpus_is_the_same_bytes_every_time(tmp_path):
    for name in ("a", "b"):
        assert write_corpus(tmp_path / name).returncode == 0
    first, second = tree_digest(tmp_path / "a"), tree_digest(tmp_path / "b")
    assert first == second
    assert {"site.yml", "mkdocs.yml", "en/index.md", "en/topic-0002/living.md"} <= set(first)
    assert len([p for p in first if p.endswith(".md")]) == 3 + 2 * 5  # home, glossary, help, 2 topics


def test_corpus_builds_cleanly_with_our_generator(tmp_path):
    assert write_corpus(tmp_path / "corpus").returncode == 0
    result = run_build("--content", str(tmp_path / "corpus"), "--out", str(tmp_path / "site"), "--no-handouts")
    assert result.returncode == 0, result.stderr
    assert " 0 warnings" in result.stdout, result.stderr  # links, anchors and headings are all sound
    assert (tmp_path / "site" / "topic-0002" / "symptoms" / "index.html").is_file()


def test_corpus_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.md").write_text("stale", encoding="utf-8")
    result = write_corpus(tmp_path)
    assert result.returncode == 2
    assert "not empty" in result.stderr


@pytest.mark.slow
def test_benchmark_runs_end_to_end_on_a_tiny_corpus(tmp_path):
    samples = tmp_path / "samples.json"
    result = subprocess.run([sys.executable, str(BENCH / "bench.py"), "--pages", "10", "--runs", "1",
                             "--skip-handouts-above", "0", "--work", str(tmp_path / "work"), "--json", str(samples)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    bundled, size = json.loads(samples.read_text(encoding="utf-8"))
    assert bundled["pages"] == "bundled" and size["pages"] == 13
    for name in ("bundled: HTML + search", "bundled: full build (handouts too)"):  # cold, with and without PDFs
        assert len(bundled["cases"][name]) == 1 and bundled["cases"][name][0][0] > 0
    assert "full build / the same build without handouts (HTML + search):" in result.stdout
    for name in ("ours: HTML only", "bare loop, 1 process", "bare loop, 2 processes"):
        assert len(size["cases"][name]) == 1
        seconds, peak_mb, cpu_seconds, all_mb, pss_mb = size["cases"][name][0]
        assert seconds > 0 and peak_mb > 0 and cpu_seconds > 0 and all_mb >= peak_mb
        assert 0 < pss_mb <= all_mb  # shared pages split between processes: never more than counted in each
    assert "ours (HTML only) / bare loop on 2 processes" in result.stdout
    assert "### 13 pages" in result.stdout
    if hugo_binary():  # the [compare] extra ships it, so CI measures Hugo too
        assert len(size["cases"]["Hugo (minimal theme)"]) == 1
        assert "ours (HTML only) / Hugo:" in result.stdout


def test_only_bundled_gives_the_handouts_ratio_run_by_run(tmp_path):
    samples = tmp_path / "samples.json"
    result = subprocess.run([sys.executable, str(BENCH / "bench.py"), "--only-bundled", "--runs", "3",
                             "--work", str(tmp_path / "work"), "--json", str(samples)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    (bundled,) = json.loads(samples.read_text(encoding="utf-8"))  # no corpus sizes
    full, without = (bundled["cases"][name] for name in ("bundled: full build (handouts too)", "bundled: HTML + search"))
    ratios = sorted(a[0] / b[0] for a, b in zip(full, without))
    found = re.search(r"the same, run by run: ([\d.]+) to ([\d.]+), median ([\d.]+); (\d+) of 3 runs over 3", result.stdout)
    assert found, result.stdout
    assert [float(found.group(n)) for n in (1, 2, 3)] == [round(r, 2) for r in (ratios[0], ratios[-1], ratios[1])]
    assert int(found.group(4)) == sum(r > 3 for r in ratios)
    assert not re.search(r"### \d+ pages", result.stdout)


def test_hugo_site_has_every_page_of_the_corpus(tmp_path):
    assert write_corpus(tmp_path / "corpus").returncode == 0
    write_hugo_site(tmp_path / "corpus", tmp_path / "hugo")
    pages = sorted(p.relative_to(tmp_path / "hugo" / "content").as_posix() for p in (tmp_path / "hugo").rglob("*.md"))
    assert len(pages) == 3 + 2 * 5 and "_index.md" in pages and "topic-0002/_index.md" in pages
    assert not [p for p in pages if p.endswith("/index.md")]  # Hugo would build only one page of such a folder


@pytest.mark.slow
def test_serve_latency_benchmark_runs_on_a_tiny_corpus():
    result = subprocess.run([sys.executable, str(BENCH / "serve_latency.py"), "--pages", "12", "--saves", "2",
                             "--gap", "0.5"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "### serve at 13 pages" in result.stdout
    # Text and title edits are shown before the full rebuild; a new order in the menu waits for it.
    for kind in ("text edits", "title edits"):
        assert re.search(rf"^- {kind}: reload sent \d+ ms .* shown before the full rebuild in 2 of 2;",
                         result.stdout, re.MULTILINE), result.stdout
    assert re.search(r"^- order edits \(the whole site first\): .* shown before the full rebuild in 0 of 2;",
                     result.stdout, re.MULTILINE), result.stdout
