"""keys.py: each cache key changes when one of its inputs changes, and not otherwise.

A key that misses an input serves a stale page; one that takes in too much renders for nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil

import pytest

from sitegen import keys
from sitegen.render import Renderer
from sitegen.review import ReviewState

from conftest import ROOT
from unitsite import load


@pytest.fixture
def loaded():
    site, ctx, report = load()
    assert site is not None, [d.format() for d in report.items]
    return site, ctx


def retitle(page, title: str) -> None:
    page.meta = dataclasses.replace(page.meta, title=title)


def test_digest_separates_its_parts():
    assert keys.digest("ab", "c") != keys.digest("a", "bc")
    assert keys.digest("a") == keys.digest("a") != keys.digest("a", "")


def test_source_key(loaded):
    config = loaded[0].config
    base = keys.source_key("en/a.md", "content/en/a.md", config, "text")
    assert base == keys.source_key("en/a.md", "content/en/a.md", config, "text")
    assert keys.source_key("en/b.md", "content/en/a.md", config, "text") != base
    assert keys.source_key("en/a.md", "other/en/a.md", config, "text") != base  # messages name the file
    assert keys.source_key("en/a.md", "content/en/a.md", config, "text!") != base
    longer = dataclasses.replace(config, review_interval_months=6)  # next_review's default depends on it
    assert keys.source_key("en/a.md", "content/en/a.md", longer, "text") != base
    retitled = dataclasses.replace(config, title="Another title")  # the front matter's check does not
    assert keys.source_key("en/a.md", "content/en/a.md", retitled, "text") == base


def test_markdown_key(loaded):
    site, ctx = loaded
    page = site.by_rel["en/symptoms.md"]
    signature = keys.markdown_signature(site, ctx)
    base = keys.markdown_key(signature, page)
    assert base == page.md_key
    assert keys.markdown_key("other signature", page) != base
    page.body += "\nMore."
    assert keys.markdown_key(signature, page) != base
    page.body = page.body[: -len("\nMore.")]
    page.body_line += 1  # problems are reported at file lines
    assert keys.markdown_key(signature, page) != base
    page.body_line -= 1
    retitle(page, "New title")  # the title is not Markdown
    assert keys.markdown_key(signature, page) == base


def test_markdown_signature(loaded):
    site, ctx = loaded
    base = keys.markdown_signature(site, ctx)
    other = site.by_rel["en/living/index.md"]
    retitle(other, "Renamed")
    other.body += "\nAnother paragraph."
    assert keys.markdown_signature(site, ctx) == base  # another page's title and text are not in my Markdown
    other.meta = dataclasses.replace(other.meta, layout="glossary")  # where glossary links go
    assert keys.markdown_signature(site, ctx) != base
    other.meta = dataclasses.replace(other.meta, layout="page")
    assert keys.markdown_signature(site, ctx) == base
    for change in (lambda: site.failed.add("en/broken.md"),
                   lambda: site.signs_failed.add("en"),  # cards wait for a warning-signs.yml without errors
                   lambda: site.assets.update({"en/images/new.png": "images/new.png"}),
                   lambda: ctx.strings["en"].update(card_signs="Signs!"),
                   lambda: setattr(site, "config", dataclasses.replace(site.config, emergency_number="112")),
                   lambda: site.glossary.update(en=site.glossary["en"][1:])):
        before = keys.markdown_signature(site, ctx)
        change()
        assert keys.markdown_signature(site, ctx) != before


def test_template_signature(loaded):
    site, ctx = loaded
    renderer = Renderer(ROOT / "templates", site.config)
    base = keys.template_signature(site, ctx, renderer)
    ctx.today = dt.date(2026, 3, 2)  # review notices and printed dates
    assert keys.template_signature(site, ctx, renderer) != base
    ctx.today = dt.date(2026, 3, 1)
    assert keys.template_signature(site, ctx, renderer) == base
    ctx.handouts = False
    assert keys.template_signature(site, ctx, renderer) != base
    ctx.handouts = True
    site.config = dataclasses.replace(site.config, title="Another title")
    assert keys.template_signature(site, ctx, renderer) != base


def test_template_signature_reads_the_templates(loaded, tmp_path):
    site, ctx = loaded
    templates = shutil.copytree(ROOT / "templates", tmp_path / "templates")
    base = keys.template_signature(site, ctx, Renderer(templates, site.config))
    assert keys.template_signature(site, ctx, Renderer(ROOT / "templates", site.config)) == base  # by text, not place
    (templates / "page.html").write_text((templates / "page.html").read_text() + "\n", encoding="utf-8")
    assert keys.template_signature(site, ctx, Renderer(templates, site.config)) != base


def test_site_shape_takes_menu_fields_states_and_links_of_every_page(loaded):
    site, _ = loaded
    other = site.by_rel["en/living/index.md"]
    base = keys.site_shape(site)
    other.body += "\nAnother paragraph."
    other.meta = dataclasses.replace(other.meta, key_points=("New.",))
    assert keys.site_shape(site) == base  # what only the page itself shows
    for name, value in [("title", "Renamed"), ("menu_title", "Short"), ("description", "Other."), ("order", 5),
                        ("handout", False), ("layout", "glossary")]:
        before = other.meta
        other.meta = dataclasses.replace(other.meta, **{name: value})
        assert keys.site_shape(site) != base, name
        other.meta = before
    assert keys.site_shape(site) == base
    other.review = ReviewState("changed")
    assert keys.site_shape(site) != base
    other.review = ReviewState("unreviewed")
    other.translation = "behind"
    assert keys.site_shape(site) != base


def test_page_key_ignores_another_page_s_body_but_not_its_title(loaded):
    site, ctx = loaded
    page, other = site.by_rel["en/symptoms.md"], site.by_rel["en/living/index.md"]
    signature = "templates and settings"
    base = keys.page_key(signature, keys.site_shape(site), page)
    other.body += "\nAnother paragraph."
    other.source_key, other.md_key = "edited", "edited"
    assert keys.page_key(signature, keys.site_shape(site), page) == base
    retitle(other, "Renamed")  # shown in this page's menu
    assert keys.page_key(signature, keys.site_shape(site), page) != base


def test_page_key_takes_the_page_s_own_parts(loaded):
    site, _ = loaded
    page = site.by_rel["en/symptoms.md"]
    shape = keys.site_shape(site)
    base = keys.page_key("sig", shape, page)
    assert keys.page_key("other sig", shape, page) != base
    assert keys.page_key("sig", "other shape", page) != base
    for name, value in [("source_key", "x"), ("md_key", "y"), ("translation", "behind"),
                        ("review", dataclasses.replace(page.review, days_left=page.review.days_left - 1))]:
        before = getattr(page, name)
        setattr(page, name, value)
        assert keys.page_key("sig", shape, page) != base, name
        setattr(page, name, before)
    assert keys.page_key("sig", shape, page) == base


def test_lists_and_search_index_keys():
    assert keys.lists_key("a", "b") != keys.lists_key("a", "c") != keys.lists_key("z", "c")
    assert keys.search_index_key("1.0", ["a", "b"]) == keys.search_index_key("1.0", ["a", "b"])
    assert keys.search_index_key("1.0", ["a", "b"]) != keys.search_index_key("1.1", ["a", "b"])
    assert keys.search_index_key("1.0", ["a", "b"]) != keys.search_index_key("1.0", ["a", "c"])


def test_handout_key(tmp_path):
    image = tmp_path / "knee.svg"
    image.write_bytes(b"<svg/>")
    base = keys.handout_key(["weasyprint 1"], {"large": False}, "<html>", [image])
    assert keys.handout_key(["weasyprint 2"], {"large": False}, "<html>", [image]) != base
    assert keys.handout_key(["weasyprint 1"], {"large": True}, "<html>", [image]) != base
    assert keys.handout_key(["weasyprint 1"], {"large": False}, "<html> ", [image]) != base
    image.write_bytes(b"<svg></svg>")
    assert keys.handout_key(["weasyprint 1"], {"large": False}, "<html>", [image]) != base
    image.unlink()
    assert keys.handout_key(["weasyprint 1"], {"large": False}, "<html>", [image]) != base


def test_engine_signature_is_of_the_code():
    assert len(keys.engine_signature()) == 64 and keys.engine_signature() == keys.engine_signature()
