"""pagecontext.py: what the templates are given: links relative to each page, languages, review, JSON-LD."""

from __future__ import annotations

import dataclasses

import pytest

from sitegen import review
from sitegen.pagecontext import Alternate, Contexts, Link, ReviewLine
from sitegen.searchwords import PageWords

from unitsite import load, two_languages


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    site, ctx, report = load(two_languages(tmp_path_factory.mktemp("two"), ("index.md", "symptoms.md")))
    assert site is not None, [d.format() for d in report.sorted()]
    return site, ctx


@pytest.fixture
def one():
    site, ctx, report = load()
    assert site is not None, [d.format() for d in report.sorted()]
    return site, ctx


@pytest.mark.parametrize("out, root, home, search, css, help_href", [
    ("index.html", "./", "index.html", "search/index.html", "assets/site.css", "help/index.html"),
    ("symptoms/index.html", "../", "../index.html", "../search/index.html", "../assets/site.css", "../help/index.html"),
    ("living/diet/index.html", "../../", "../../index.html", "../../search/index.html", "../../assets/site.css",
     "../../help/index.html"),
    ("404.html", "./", "index.html", "search/index.html", "assets/site.css", "help/index.html"),
])
def test_base_context_links_are_relative_to_the_file(one, out, root, home, search, css, help_href):
    base = Contexts(*one).base_context(out, "en")
    assert (base["root"], base["home"], base["search_href"], base["asset"]("assets/site.css"), base["help_href"]) == \
        (root, home, search, css, help_href)
    assert base["lang"] == "en" and base["t"]["language_name"] == "English" and base["languages"] == []


def test_base_context_of_another_language(two):
    base = Contexts(*two).base_context("es/search/index.html", "es")
    assert (base["root"], base["home"], base["search_href"]) == ("../../", "../index.html", "index.html")
    assert base["help_href"] == "../../help/index.html"  # Spanish has no help page yet: the English one
    assert base["languages"] == [Alternate("en", "English", "../../index.html", "https://knees.example.org/guides/",
                                           False)]


def test_a_translated_page_links_to_its_translation(two):
    contexts = Contexts(*two)
    assert contexts.languages(two[0].by_rel["en/symptoms.md"]) == [
        Alternate("es", "Español", "../es/symptoms/index.html", "https://knees.example.org/guides/es/symptoms/", True)]
    assert contexts.languages(two[0].by_rel["es/symptoms.md"]) == [
        Alternate("en", "English", "../../symptoms/index.html", "https://knees.example.org/guides/symptoms/", True)]


def test_an_untranslated_page_falls_back_to_the_other_language_s_home(two):
    assert Contexts(*two).languages(two[0].by_rel["en/living/index.md"]) == [
        Alternate("es", "Español", "../es/index.html", "https://knees.example.org/guides/es/", False)]


def test_a_translation_links_to_its_original(two):
    contexts = Contexts(*two)
    assert contexts.original(two[0].by_rel["es/symptoms.md"]) == Link("Signs of a sore knee", "../../symptoms/index.html")
    assert contexts.original(two[0].by_rel["en/symptoms.md"]) is None


def test_page_context_menus_and_breadcrumbs(one):
    site, ctx = one
    context = Contexts(site, ctx).page_context(site.by_rel["en/symptoms.md"])
    assert [(link.title, link.href, link.current) for link in context["topics"]] == [
        ("Signs of a sore knee", "index.html", True), ("Words we use", "../glossary/index.html", False),
        ("Living with knee pain", "../living/index.html", False), ("When to get help", "../help/index.html", False)]
    assert context["prev"].title == "Sore knees" and context["next"].title == "Words we use"
    assert context["breadcrumbs"] == [Link("Home", "../index.html")]
    assert context["canonical"] == "https://knees.example.org/guides/symptoms/"
    assert [h.id for h in context["toc"]] == ["what-are-the-signs"]
    assert context["handout"] == {"pdf": "symptoms.pdf", "large": "symptoms-large-print.pdf"}
    assert context["handouts_index"] == "../handouts/index.html"
    living = Contexts(site, ctx).page_context(site.by_rel["en/living/index.md"])
    assert living["breadcrumbs"] == [Link("Home", "../index.html")]
    assert living["topics"][2].current and living["listing"] == []  # a topic of one page lists nothing
    home = Contexts(site, ctx).page_context(site.by_rel["en/index.md"])
    assert home["breadcrumbs"] == [] and home["prev"] is None
    assert not any(link.current for link in home["topics"])
    assert [(link.title, link.href, link.description) for link in home["listing"]][2] == (
        "Living with knee pain", "living/index.html", "Everyday tips for a sore knee.")
    assert home["handout"] == {"pdf": "overview.pdf", "large": "overview-large-print.pdf"}


def test_no_handout_links_without_handouts(one):
    site, ctx = one
    assert Contexts(site, ctx).page_context(site.by_rel["en/glossary.md"])["handout"] is None  # handout: false
    ctx.handouts = False  # --no-handouts
    context = Contexts(site, ctx).page_context(site.by_rel["en/symptoms.md"])
    assert context["handout"] is None and context["handouts_index"] is None


def test_the_review_line_in_the_reader_s_language(one):
    site, ctx = one
    contexts = Contexts(site, ctx)
    state = site.by_rel["en/symptoms.md"].review
    assert contexts.review_line(state, "en") == ReviewLine("reviewed", "January 15, 2026", "Test Reviewer, RN",
                                                           "January 15, 2027")
    assert contexts.review_line(state, "es").reviewed == "15 de enero de 2026"
    assert contexts.review_line(review.ReviewState(review.UNREVIEWED), "en") == ReviewLine("unreviewed")


@pytest.mark.parametrize("state, claims", [(review.REVIEWED, True), (review.DUE_SOON, True), (review.OVERDUE, True),
                                           (review.CHANGED, False)])
def test_json_ld_claims_a_review_only_when_it_covers_the_text(one, state, claims):
    site, ctx = one
    page = site.by_rel["en/symptoms.md"]
    page.review = dataclasses.replace(page.review, state=state)
    data = Contexts(site, ctx).page_context(page)["jsonld"]
    assert ("lastReviewed" in data) is claims and ("reviewedBy" in data) is claims
    if claims:
        assert data["lastReviewed"] == "2026-01-15"
        assert data["reviewedBy"] == [{"@type": "Person", "name": "Test Reviewer", "honorificSuffix": "RN"}]


def test_json_ld_of_an_unreviewed_page(one):
    site, ctx = one
    data = Contexts(site, ctx).page_context(site.by_rel["en/living/index.md"])["jsonld"]
    assert "lastReviewed" not in data
    assert (data["@type"], data["name"], data["inLanguage"], data["url"]) == (
        "MedicalWebPage", "Living with knee pain", "en", "https://knees.example.org/guides/living/")
    assert data["about"] == {"@type": "MedicalCondition", "name": "Living with knee pain"}  # its topic's index
    assert data["publisher"]["name"] == "Test Joint Clinic"
    assert data["citation"][0]["url"] == "https://health.example.org/knee-pain"


def test_search_words_are_the_forms_of_the_terms_used_and_the_words_of_the_signs_explained(one):
    site, ctx = one
    contexts = Contexts(site, ctx)
    assert contexts.search_words(site.by_rel["en/index.md"]) == PageWords(  # it uses "strain", not in a heading
        [], ["Strain", "strains", "strained", "pulled muscle"])
    symptoms = contexts.search_words(site.by_rel["en/symptoms.md"])
    assert symptoms.about == ["hot knee"]  # the everyday words of the signs it explains
    assert symptoms.more == ["Swelling", "A knee that looks bent the wrong way", "A hot, red knee",
                             "Pain that lasts more than a week"]  # the term it uses, what its signs say
    assert contexts.search_words(site.by_rel["en/living/index.md"]) == PageWords([], [])
    assert contexts.search_words(site.by_rel["en/glossary.md"]) == PageWords([], [])  # its text has every term
