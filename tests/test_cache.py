"""The build cache: a cached build is byte-identical to a clean one, and only what changed is redone."""

from __future__ import annotations

import shutil
from pathlib import Path

import sitegen.outputs
import sitegen.search
from conftest import FIXTURES, ROOT, tree_digest
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

    rendered, indexed = [], []
    real_render, real_pagefind = sitegen.render.Templates.render, sitegen.search.run_pagefind
    monkeypatch.setattr(sitegen.render.Templates, "render",
                        lambda self, name, shown, **c: rendered.append(shown) or real_render(self, name, shown, **c))
    monkeypatch.setattr(sitegen.search, "run_pagefind", lambda d: indexed.append(d) or real_pagefind(d))

    assert build(options(content, out, cache)).published
    assert [r for r in rendered if r.endswith(".md")] == [] and indexed == [], "nothing changed, nothing redone"

    page = content / "en/symptoms.md"
    page.write_text(page.read_text().replace("- pain when you walk", "- pain when you walk uphill"))
    assert build(options(content, out, cache)).published
    assert [Path(r).name for r in rendered if r.endswith(".md")] == ["symptoms.md"], "only the changed page"
    assert len(indexed) == 1, "the page text changed, so the search index is built again"
    assert "pain when you walk uphill" in (out / "symptoms/index.html").read_text()
