"""stages.py: the per-page stages shared by the build, the preview's early page and `check`."""

from __future__ import annotations

import dataclasses

import pytest

from sitegen import stages
from sitegen.buildcache import BuildCache
from sitegen.diagnostics import Report

from conftest import edit
from unitsite import TODAY, copy_basic, load, two_languages


@pytest.fixture
def one():
    site, ctx, report = load()
    assert site is not None, [d.format() for d in report.sorted()]
    return site, ctx


def judged(site, rel: str, **meta) -> tuple:
    page = site.by_rel[rel]
    page.meta = dataclasses.replace(page.meta, **meta)
    report = Report()
    stages.judge_page(site, page, TODAY, report)
    return page, [(d.code, d.severity.value) for d in report.items]


def test_judge_page_sets_the_review_state(one):
    site, _ = one
    page, found = judged(site, "en/symptoms.md")
    assert (page.review.state, page.translation, found) == ("reviewed", None, [])
    page, found = judged(site, "en/symptoms.md", review_fingerprint=page.fingerprint)
    assert (page.review.state, found) == ("reviewed", [])
    page, found = judged(site, "en/living/index.md")
    assert (page.review.state, found) == ("unreviewed", [])


def test_judge_page_warns_when_the_text_changed_after_its_review(one):
    site, _ = one
    page, found = judged(site, "en/symptoms.md", review_fingerprint="000000000000")
    assert page.review.state == "changed" and found == [("review.changed", "warning")]


def test_judge_page_sets_the_translation_state(tmp_path):
    site, _, report = load(two_languages(tmp_path, ("index.md", "symptoms.md")))
    assert site is not None, [d.format() for d in report.sorted()]
    original = site.by_rel["en/symptoms.md"]
    page, found = judged(site, "es/symptoms.md")
    assert (page.translation, found) == ("untracked", [("translation.untracked", "warning")])
    page, found = judged(site, "es/symptoms.md", translation_of=original.fingerprint)
    assert (page.translation, found) == ("current", [])
    page, found = judged(site, "es/symptoms.md", translation_of="000000000000")
    assert (page.translation, found) == ("behind", [("translation.behind", "warning")])
    assert judged(site, "en/symptoms.md")[0].translation is None


def test_render_markdown_renders_each_page_once_then_from_the_cache(one, tmp_path, monkeypatch):
    site, ctx = one
    first = {page.rel: page.rendered.html for page in site.pages}
    rendered = []
    real = stages.map_pages
    monkeypatch.setattr(stages, "map_pages", lambda task, todo, workers: rendered.extend(todo) or real(task, todo, 1))
    ctx.cache = BuildCache(tmp_path)
    stages.render_markdown(site, ctx, Report())
    assert sorted(rendered) == list(range(len(site.pages)))
    ctx.cache.save()
    rendered.clear()
    ctx.cache = BuildCache(tmp_path)
    stages.render_markdown(site, ctx, Report())
    assert rendered == []
    assert {page.rel: page.rendered.html for page in site.pages} == first
    site.by_rel["en/living/index.md"].body += "\nOne more line."
    ctx.cache = BuildCache(tmp_path)
    stages.render_markdown(site, ctx, Report())
    assert rendered == [site.pages.index(site.by_rel["en/living/index.md"])]
    assert "One more line." in site.by_rel["en/living/index.md"].rendered.html


def test_a_page_that_ran_out_of_time_is_not_cached(one, tmp_path, monkeypatch):
    site, ctx = one
    real_task = stages.markdown_task

    def slow_machine(site, ctx):
        task = real_task(site, ctx)
        return lambda index: dataclasses.replace(task(index), cacheable=False)

    monkeypatch.setattr(stages, "markdown_task", slow_machine)
    ctx.cache = BuildCache(tmp_path)
    stages.render_markdown(site, ctx, Report())
    assert ctx.cache.used == {}


def test_render_markdown_reports_every_page_s_problems(tmp_path):
    content = copy_basic(tmp_path)
    edit(content / "en/living/index.md", "(../symptoms.md)", "(../symptom.md)")
    edit(content / "en/symptoms.md", "(index.md)", "(inde.md)")
    _, _, report = load(content)
    assert sorted((d.path.rsplit("content/", 1)[1], d.code) for d in report.errors) == [
        ("en/living/index.md", "link.missing"), ("en/symptoms.md", "link.missing")]


def test_a_cached_build_finds_the_card_errors_a_clean_one_finds(tmp_path):
    """A warning-signs.yml that broke, then was deleted: the pages' cards have no signs, cache or not."""
    content = copy_basic(tmp_path)
    (content / "en/help.md").unlink()  # (the help page would report the missing signs by itself)
    signs = content / "en/warning-signs.yml"
    signs.write_text(signs.read_text(encoding="utf-8") + "\n  - broken: [\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert [d.code for d in load(content, cache_dir=cache)[2].errors] == ["yaml"]
    signs.unlink()
    _, _, clean = load(content)
    _, _, cached = load(content, cache_dir=cache)
    assert sorted(d.format() for d in cached.errors) == sorted(d.format() for d in clean.errors)
    assert [d.code for d in clean.errors] == ["card.signs", "card.signs"]


def test_glossary_links_go_to_the_glossary_page_but_not_on_it(one):
    site, _ = one
    parts = stages.glossary_parts(site, "en")
    pattern, definitions, page = parts
    assert page is site.by_rel["en/glossary.md"]
    assert definitions["strained"] == ("term-strain", "A stretched or torn muscle or tendon.")
    assert pattern.search("a Strained knee")
    assert stages.glossary_links(site.by_rel["en/glossary.md"], parts) is None
    assert stages.glossary_links(site.by_rel["en/living/index.md"], parts).href == "../glossary/index.html"
    assert stages.glossary_parts(site, "es") is None  # a language without a glossary page
