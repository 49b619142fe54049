"""Dates that tell the truth: when a page's text last changed (history.py), its review, and where its notices point."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from conftest import FIXTURES, run_build, tree_digest

EPOCH = "1796601600"  # 2026-12-07, the build's date in these tests
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo, *args, when="2026-03-01T12:00:00+00:00"):
    env = {**os.environ, "GIT_AUTHOR_NAME": "Ed", "GIT_AUTHOR_EMAIL": "ed@example.org", "GIT_COMMITTER_NAME": "Ed",
           "GIT_COMMITTER_EMAIL": "ed@example.org", "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def commit(repo, when, message="edit"):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


@pytest.fixture
def repo(tmp_path):
    """The fixture site as a git repository with one commit on 1 March 2026."""
    content = tmp_path / "repo" / "content"
    shutil.copytree(FIXTURES / "basic", content)
    git(content.parent, "init", "-q")
    commit(content.parent, "2026-03-01T12:00:00+00:00", "first")
    return content


def build(content, out, *extra):
    result = run_build("--content", str(content), "--out", str(out), "--no-handouts", "--no-search", *extra,
                       env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr
    return out


def shown(out, rel="living/index.html") -> str:
    found = re.search(r'class="page-dates"[^>]*>\s*(.*?)\s*</p>', (out / rel).read_text(), re.S)
    return found.group(1) if found else ""


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_committed_page_shows_the_date_its_text_last_changed(repo, tmp_path):
    page = repo / "en/living/index.md"
    assert shown(build(repo, tmp_path / "a")) == "Last changed on March 1, 2026."
    edit(page, "title: Living with knee pain", "title: Living with knee pain\norder: 4\nmenu_title: Living")
    commit(repo.parent, "2026-04-01T12:00:00+00:00", "menu only")
    assert shown(build(repo, tmp_path / "b")) == "Last changed on March 1, 2026.", "no text changed in April"
    edit(page, "Small changes help.", "Small changes help a lot.")
    commit(repo.parent, "2026-05-02T12:00:00+00:00", "text")
    assert shown(build(repo, tmp_path / "c")) == "Last changed on May 2, 2026."
    git(repo.parent, "mv", "content/en/living", "content/en/daily")
    edit(repo / "en/index.md", "living/index.md", "daily/index.md")
    commit(repo.parent, "2026-06-03T12:00:00+00:00", "rename")
    assert shown(build(repo, tmp_path / "d"), "daily/index.html") == "Last changed on May 2, 2026.", \
        "a moved page keeps its date"


def test_an_uncommitted_edit_shows_the_build_date_and_a_front_matter_edit_does_not(repo, tmp_path):
    page = repo / "en/living/index.md"
    edit(page, "title: Living with knee pain", "title: Living with knee pain\nmenu_title: Living")
    assert shown(build(repo, tmp_path / "a")) == "Last changed on March 1, 2026."
    edit(page, "Small changes help.", "Small changes help a lot.")
    assert shown(build(repo, tmp_path / "b")) == "Last changed on December 7, 2026."
    (repo / "en/living/new.md").write_text(page.read_text().replace("Living with knee pain", "A new page"))
    assert shown(build(repo, tmp_path / "c"), "living/new/index.html") == "Last changed on December 7, 2026."


def test_the_same_repository_builds_byte_identical_sites(repo, tmp_path):
    first = build(repo, tmp_path / "one", "--cache-dir", str(tmp_path / "c1"))
    second = build(repo, tmp_path / "two", "--cache-dir", str(tmp_path / "c2"))
    assert tree_digest(first) == tree_digest(second)
    assert '"dateModified": "2026-03-01"' in (first / "living/index.html").read_text()
    assert "<lastmod>2026-03-01</lastmod>" in (first / "sitemap.xml").read_text()


def test_outside_git_the_date_is_updated_else_the_review_else_none(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    edit(content / "en/living/index.md", "title: Living with knee pain", "title: Living with knee pain\nupdated: 2026-02-10")
    out = build(content, tmp_path / "out")
    assert shown(out) == "Last changed on February 10, 2026."
    assert shown(out, "symptoms/index.html") == ("Last changed on January 15, 2026. "
                                                  "Reviewed by a clinician on January 15, 2026.")
    assert shown(out, "help/index.html") == "", "an unreviewed page outside git has no date to show"
    check = run_build("check", "--content", str(content), cwd=tmp_path)
    undated = re.search(r'No "Last changed" date to show \(keep the content in git, or add updated:\): (.*)', check.stdout)
    assert undated and undated.group(1).split(", ") == ["en/index.md", "en/glossary.md", "en/help.md"]


def test_the_not_reviewed_notice_says_where_the_sources_are(tmp_path):
    out = build(FIXTURES / "basic", tmp_path / "out")
    html = (out / "index.html").read_text()
    sources = html.index('class="page-sources"')
    assert html.index("wrote it from the sources listed below") < sources, "at the top, before the sources"
    assert html.index("wrote it from the sources listed above") > sources, "after the sources"
