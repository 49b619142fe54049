"""model.py: pages and assets indexed, one file per output, topics in menu order, safe names."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import Clinic, SiteConfig
from sitegen.diagnostics import Report
from sitegen.model import Asset, Page, assemble, check_names
from sitegen.paths import page_output
from sitegen.schema import PageMeta
from sitegen.sources import SourceFile

CONFIG = SiteConfig("T", "", "https://e.example.org/", ("en", "es"), Clinic("C", "1", "A"))


def source(rel: str) -> SourceFile:
    return SourceFile(Path("/content") / rel, rel, rel.split("/")[0])


def page(rel: str, title: str = "", order=None, **meta) -> Page:
    url, out = page_output(rel, "en")
    return Page(source(rel), PageMeta(title=title or rel, order=order, **meta), "body", 10, url, out,
                rel.rsplit("/", 1)[0])


def test_assemble_indexes_pages_and_assets():
    report = Report()
    pages = [page("en/symptoms.md"), page("en/index.md"), page("es/index.md")]
    site = assemble(CONFIG, pages, [Asset(source("en/images/a.svg"), b"<svg/>")], {}, report)
    assert report.items == []
    assert [p.rel for p in site.pages] == ["en/index.md", "en/symptoms.md", "es/index.md"]  # sorted by file
    assert set(site.by_rel) == {"en/index.md", "en/symptoms.md", "es/index.md"}
    assert site.assets == {"en/images/a.svg": "images/a.svg"}
    assert site.asset_files["en/images/a.svg"].data == b"<svg/>"
    assert [p.rel for p in site.pages_in("es")] == ["es/index.md"]


def test_two_files_for_one_output_are_refused():
    report = Report()
    pages = [page("en/index.md"), page("en/living/index.md"), page("en/living.md")]  # both living/index.html
    assets = [Asset(source("en/images/a.svg"), b""), Asset(source("en/symptoms/index.html"), b"")]
    site = assemble(CONFIG, [*pages, page("en/symptoms.md")], assets, {}, report)
    assert [(d.path, d.code) for d in report.errors] == [
        ("/content/en/living/index.md", "output.duplicate"), ("/content/en/symptoms/index.html", "output.duplicate")]
    assert "/content/en/living.md" in report.errors[0].message and "living/index.html" in report.errors[0].message
    assert "en/living/index.md" not in site.by_rel and "en/living.md" in site.by_rel  # the first in file order wins
    assert set(site.assets) == {"en/images/a.svg"}


def test_topics_list_the_index_first_then_by_order_then_by_title():
    report = Report()
    pages = [page("en/index.md", "Home", order=50), page("en/b.md", "banana"), page("en/a.md", "Apple"),
             page("en/z.md", "Zebra", order=1), page("en/y.md", "Yak", order=2), page("en/x.md", "Ox", order=0)]
    site = assemble(CONFIG, pages, [], {}, report)
    assert [p.meta.title for p in site.topics["en"].pages] == ["Home", "Ox", "Zebra", "Yak", "Apple", "banana"]
    assert site.topics["en"].index.meta.title == "Home"


def test_sub_topics_know_their_parent():
    report = Report()
    pages = [page("en/index.md"), page("en/living/index.md"), page("en/living/diet.md"), page("en/living/sleep/index.md"),
             page("es/index.md")]
    site = assemble(CONFIG, pages, [], {}, report)
    assert report.items == []
    topics = site.topics
    assert set(topics) == {"en", "en/living", "en/living/sleep", "es"}
    assert topics["en/living/sleep"].parent is topics["en/living"] and topics["en/living"].parent is topics["en"]
    assert topics["en"].children == [topics["en/living"]] and topics["en/living"].children == [topics["en/living/sleep"]]
    assert topics["en"].parent is None and topics["es"].parent is None  # languages are not nested
    assert [p.rel for p in topics["en/living"].pages] == ["en/living/index.md", "en/living/diet.md"]


def test_a_folder_without_an_index_is_an_error():
    report = Report()
    site = assemble(CONFIG, [page("en/index.md"), page("en/living/diet.md")], [], {}, report)
    [error] = report.errors
    assert error.code == "topic.index" and error.path == "/content/en/living"
    assert "content/en/living has pages but no index.md" in error.message
    assert site.topics["en/living"].index is None


@pytest.mark.parametrize("rel, bad, suggestion", [
    ("en/Bone Pain.md", "Bone Pain.md", "bone-pain"),
    ("en/My Folder/page.md", "My Folder", "my-folder"),
    ("en/-dash.md", "-dash.md", "dash"),
    ("en/images/a picture.png", "a picture.png", "a-picture.png"),
    ("en/images/.hidden.png", ".hidden.png", "hidden.png"),
    ("en/???.md", "???.md", "page"),
])
def test_unsafe_names_are_reported_with_a_suggestion(rel, bad, suggestion):
    report = Report()
    assert check_names([source(rel)], report) == []
    [error] = report.errors
    assert error.code == "name.unsafe" and f'"{bad}" cannot be part of a web address' == error.message
    assert f'for example "{suggestion}"' in error.hint


def test_a_name_with_accents_is_unsafe():
    # (The suggestion drops the accented letters: señales.md -> "se-ales", where "senales" would read better.)
    report = Report()
    assert check_names([source("es/señales.md")], report) == []
    assert [d.code for d in report.errors] == ["name.unsafe"]


@pytest.mark.parametrize("rel", ["en/index.md", "en/bone-pain.md", "en/living/diet_2.md", "en/images/Knee.Photo-1.JPG",
                                 "en/a/b/c.md", "en/images/x.svg"])
def test_safe_names_pass(rel):
    report = Report()
    assert check_names([source(rel)], report) == [source(rel)] and report.items == []


def test_a_default_language_folder_named_like_another_language_is_refused_once():
    """en/es/ would be published at es/, over the Spanish pages: one error for the folder, its files left out."""
    report = Report()
    sources = [source("en/es/index.md"), source("en/es/pain.md"), source("en/es/images/x.svg"), source("es/index.md"),
               source("en/fr/index.md"), source("es/en/index.md")]
    kept = check_names(sources, report, ("en", "es"))
    assert kept == [source("es/index.md"), source("en/fr/index.md"), source("es/en/index.md")]
    [error] = report.errors
    assert error.code == "name.language" and error.message.startswith('the folder "en/es" has the name of the es language')
