"""The build cache: a cached build is byte-identical to a clean one, and only what changed is redone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import sitegen.outputs
import sitegen.search
from conftest import FIXTURES, ROOT, edit, tree_digest
from sitegen.diagnostics import OutputError
from sitegen.pipeline import BuildOptions, build


def options(content: Path, out: Path, cache: Path) -> BuildOptions:
    return BuildOptions(content, out, ROOT / "templates", handouts=False, cache_dir=cache)


def test_cached_build_is_byte_identical_to_a_clean_one(tmp_path):
    cache = tmp_path / "cache"
    assert build(options(FIXTURES / "basic", tmp_path / "one", cache)).published
    assert build(options(FIXTURES / "basic", tmp_path / "two", cache)).published  # from the cache
    assert build(options(FIXTURES / "basic", tmp_path / "three", None)).published  # no cache at all
    one, two, three = (tree_digest(tmp_path / name) for name in ("one", "two", "three"))
    assert one == two == three


def test_only_what_changed_is_rendered_again(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    cache, out = tmp_path / "cache", tmp_path / "out"
    assert build(options(content, out, cache)).published
    assert build(options(content, out, cache)).published  # the first rebuild fills the spare folder

    rendered, indexed = [], []
    real_render, real_pagefind = sitegen.render.Renderer.render, sitegen.search.Pagefind
    monkeypatch.setattr(sitegen.render.Renderer, "render",
                        lambda self, name, shown, **c: rendered.append(shown) or real_render(self, name, shown, **c))
    monkeypatch.setattr(sitegen.search, "Pagefind", lambda d, *a: indexed.append(d) or real_pagefind(d, *a))

    assert build(options(content, out, cache)).published
    assert [r for r in rendered if r.endswith(".md")] == [] and indexed == [], "nothing changed, nothing redone"

    page = content / "en/symptoms.md"
    page.write_text(page.read_text().replace("- pain when you walk", "- pain when you walk uphill"))
    assert build(options(content, out, cache)).published
    assert [Path(r).name for r in rendered if r.endswith(".md")] == ["symptoms.md"], "only the changed page"
    assert len(indexed) == 1, "the page text changed, so the search index is built again"
    assert "pain when you walk uphill" in (out / "symptoms/index.html").read_text()


def test_rebuilds_after_each_kind_of_change_match_clean_builds(tmp_path):
    """The spare folder and the page keys: a rebuild publishes what a clean build would, change after change."""
    content, out, cache = tmp_path / "content", tmp_path / "site", tmp_path / "cache"
    shutil.copytree(ROOT / "content", content)
    scans, new_page = content / "en/tests/scans.md", content / "en/new-page.md"

    def build_and_compare(step: str) -> None:
        assert build(options(content, out, cache)).published, step
        clean = tmp_path / f"clean-{step}"
        assert build(options(content, clean, None)).published, step
        assert tree_digest(out) == tree_digest(clean), f"after {step}, the rebuilt site differs from a clean build"

    build_and_compare("first build")
    build_and_compare("no change")  # the spare folder is used for the first time
    edit(scans, "\n## ", "\nA new sentence about scans.\n\n## ")  # the Spanish page now lags behind
    build_and_compare("body changed")
    edit(scans, "title: ", "title: Renamed ")  # every page's navigation shows the new title
    build_and_compare("title changed")
    new_page.write_text(scans.read_text(encoding="utf-8").replace("title: Renamed ", "title: Another "),
                        encoding="utf-8")
    build_and_compare("page added")
    new_page.unlink()
    build_and_compare("page deleted")

    (out / "added-by-hand.txt").write_text("not part of the site")
    with pytest.raises(OutputError, match=r"did not make \(added-by-hand.txt\)"):  # a build would delete it
        build(options(content, out, cache))
    assert (out / "added-by-hand.txt").read_text() == "not part of the site"
    (out / "added-by-hand.txt").unlink()
    (out / "symptoms/index.html").write_text("edited by hand")  # a file the build wrote: replaced
    edit(scans, "A new sentence", "A changed sentence")
    build_and_compare("hand edits in the site, then a change")
    edit(scans, "A changed sentence", "A third sentence")
    build_and_compare("and another change")  # the hand-edited folder was the spare this time
    assert build(options(content, out, cache)).published
    assert not (tmp_path / ".site.sitegen/spare/added-by-hand.txt").exists()

    before = tree_digest(out)
    edit(scans, "title: ", "title: [unclosed ")
    assert not build(options(content, out, cache)).published
    assert tree_digest(out) == before, "a failed build leaves the published site as it was"
    edit(scans, "title: [unclosed ", "title: ")
    build_and_compare("fixed again")
