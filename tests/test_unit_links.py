"""links.py: .md links and files rewritten to their outputs, and #anchors checked once pages are rendered."""

from __future__ import annotations

import pytest

from sitegen.links import LinkResolver, as_read
from sitegen.markdown import PageInput

from conftest import edit
from unitsite import copy_basic, load, two_languages


@pytest.fixture(scope="module")
def site():
    site, _, report = load()
    assert site is not None, [d.format() for d in report.items]
    return site


def rewrite(site, rel: str, href: str, kind: str = "link"):
    """Return (published address, page input with its problems and links) for href on the page rel."""
    page = site.by_rel[rel]
    page_input = PageInput(page.source.shown, f"Some text\nand [a link]({href}) here.", 10, None, None, {}, rel=rel)
    return LinkResolver(site).rewrite(page, page_input, href, kind), page_input


@pytest.mark.parametrize("rel, href, published", [
    ("en/index.md", "symptoms.md", "symptoms/index.html"),
    ("en/index.md", "living/index.md", "living/index.html"),
    ("en/index.md", "index.md", "index.html"),
    ("en/living/index.md", "../symptoms.md", "../symptoms/index.html"),
    ("en/living/index.md", "../index.md", "../index.html"),
    ("en/symptoms.md", "living/index.md", "../living/index.html"),
    ("en/index.md", "symptoms.md#what-are-the-signs", "symptoms/index.html#what-are-the-signs"),
    ("en/index.md", "images/knee.svg", "images/knee.svg"),
    ("en/living/index.md", "../images/knee.svg", "../images/knee.svg"),
    ("en/symptoms.md", "images/knee.svg", "../images/knee.svg"),
    ("en/index.md", "sympt%6Fms.md", "symptoms/index.html"),  # as a browser reads it
])
def test_md_links_and_files_go_to_their_outputs(site, rel, href, published):
    result, page_input = rewrite(site, rel, href)
    assert result == published and page_input.problems == []


def test_a_page_link_is_kept_for_its_anchor_check(site):
    _, page_input = rewrite(site, "en/living/index.md", "../symptoms.md#what-are-the-signs")
    [link] = page_input.links
    assert (link.target, link.fragment, link.line) == ("en/symptoms.md", "what-are-the-signs", 11)


def test_an_anchor_on_the_same_page(site):
    result, page_input = rewrite(site, "en/index.md", "#what-can-i-do-today")
    assert result == "#what-can-i-do-today"
    assert [(link.target, link.fragment) for link in page_input.links] == [("en/index.md", "what-can-i-do-today")]


@pytest.mark.parametrize("href", ["https://health.example.org/knee", "mailto:a@example.org", "tel:+15550111",
                                  "HTTPS://EXAMPLE.ORG/"])
def test_addresses_elsewhere_are_kept(site, href):
    result, page_input = rewrite(site, "en/index.md", href)
    assert result == href and page_input.problems == [] and page_input.links == []


@pytest.mark.parametrize("href", ["javascript:alert(1)", "&#106;avascript:alert(1)", "java\tscript:alert(1)",
                                  "data:text/html,hi", " javascript:x"])
def test_unsafe_schemes_are_left_out(site, href):
    result, page_input = rewrite(site, "en/index.md", href)
    assert result is None
    assert [p.code for p in page_input.problems] == ["link.scheme"]


@pytest.mark.parametrize("href", ["https://cdn.example.org/knee.png", "http://example.org/k.jpg", "//example.org/k.svg"])
def test_a_picture_from_another_website_is_refused(site, href):
    result, page_input = rewrite(site, "en/index.md", href, kind="image")
    assert result is None
    [problem] = page_input.problems
    assert problem.code == "image.external" and problem.line == 11 and "content folder" in problem.hint


def test_a_link_starting_with_two_slashes_says_what_to_write(site):
    result, page_input = rewrite(site, "en/index.md", "//example.org/knee")
    [problem] = page_input.problems
    assert result is None and problem.code == "link.scheme" and problem.hint == "Write the whole address: https://example.org/knee"


def test_an_invalid_address_is_left_out(site):
    result, page_input = rewrite(site, "en/index.md", "http://[bad")
    assert result is None and [p.code for p in page_input.problems] == ["link.invalid"]


def test_a_missing_page_gets_a_did_you_mean_at_its_line(site):
    result, page_input = rewrite(site, "en/index.md", "symptom.md")
    assert result == "symptom.md"
    [problem] = page_input.problems
    assert problem.code == "link.missing" and problem.line == 11
    assert problem.message == 'the link "symptom.md" goes nowhere: there is no such page'
    assert problem.hint == 'Did you mean "symptoms.md"?'


def test_a_missing_page_from_a_sub_folder_suggests_the_path_from_there(site):
    _, page_input = rewrite(site, "en/living/index.md", "../symptom.md")
    assert page_input.problems[0].hint == 'Did you mean "../symptoms.md"?'


def test_a_missing_image(site):
    _, page_input = rewrite(site, "en/index.md", "images/kne.svg", kind="image")
    [problem] = page_input.problems
    assert problem.code == "image.missing" and problem.hint == 'Did you mean "images/knee.svg"?'


@pytest.mark.parametrize("href", ["/symptoms.md", "../../outside.md", "../en2/symptoms.md", "../site.yml"])
def test_links_outside_the_language_folder(site, href):
    _, page_input = rewrite(site, "en/index.md", href)
    [problem] = page_input.problems
    assert problem.code == "link.missing" and "outside this language's content folder" in problem.message


def test_a_link_to_a_page_that_failed_to_load_is_not_reported_twice(site):
    site.failed.add("en/broken.md")
    try:
        result, page_input = rewrite(site, "en/index.md", "broken.md")
    finally:
        site.failed.discard("en/broken.md")
    assert result == "broken.md" and page_input.problems == []


def test_as_read():
    assert as_read("&#106;ava\tscript:x") == "javascript:x"
    assert as_read("\x00 https://a.example/ \n") == "https://a.example/"


def test_an_untranslated_page_links_to_the_default_language_page(tmp_path):
    site, _, report = load(two_languages(tmp_path))
    assert site is not None, [d.format() for d in report.sorted()]
    result, page_input = rewrite(site, "es/index.md", "symptoms.md")
    assert result == "../symptoms/index.html" and page_input.problems == []


def test_anchors_are_checked_with_a_did_you_mean(tmp_path):
    content = copy_basic(tmp_path)
    edit(content / "en/index.md", "symptoms.md#what-are-the-signs", "symptoms.md#what-are-the-sign")
    site, _, report = load(content)
    assert site is None
    [problem] = report.errors
    assert problem.code == "link.anchor" and problem.where == f"{content}/en/index.md:17"
    assert "en/symptoms.md does not have" in problem.message
    assert problem.hint == 'Did you mean "what-are-the-signs"?'


def test_an_anchor_through_a_link_from_a_sub_folder_is_checked(tmp_path):
    content = copy_basic(tmp_path)
    edit(content / "en/living/index.md", "(../symptoms.md)", "(../symptoms.md#nowhere)")
    site, _, report = load(content)
    assert [p.code for p in report.errors] == ["link.anchor"]
