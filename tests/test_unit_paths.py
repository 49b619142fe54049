"""paths.py: where every page, asset and handout is written, and the links between them."""

from __future__ import annotations

import posixpath

import pytest

from sitegen import paths


@pytest.mark.parametrize("rel, url, out", [
    ("en/index.md", "", "index.html"),
    ("en/symptoms.md", "symptoms/", "symptoms/index.html"),
    ("en/living/index.md", "living/", "living/index.html"),
    ("en/living/diet.md", "living/diet/", "living/diet/index.html"),
    ("es/index.md", "es/", "es/index.html"),
    ("es/symptoms.md", "es/symptoms/", "es/symptoms/index.html"),
    ("es/living/index.md", "es/living/", "es/living/index.html"),
])
def test_page_output(rel, url, out):
    assert paths.page_output(rel, "en") == (url, out)


def test_page_output_follows_the_default_language_not_english():
    assert paths.page_output("es/index.md", "es") == ("", "index.html")
    assert paths.page_output("en/symptoms.md", "es") == ("en/symptoms/", "en/symptoms/index.html")


def test_a_page_called_index_inside_a_folder_name_is_still_a_page():
    # Only the file name "index" makes a topic page; a folder named index is an ordinary folder.
    assert paths.page_output("en/index/pain.md", "en") == ("index/pain/", "index/pain/index.html")


@pytest.mark.parametrize("rel, default, out", [
    ("en/images/knee.svg", "en", "images/knee.svg"),
    ("es/images/knee.svg", "en", "es/images/knee.svg"),
    ("en/living/leaflet.pdf", "en", "living/leaflet.pdf"),
    ("en/images/knee.svg", "es", "en/images/knee.svg"),
])
def test_asset_output(rel, default, out):
    assert paths.asset_output(rel, default) == out


@pytest.mark.parametrize("start, target, link", [
    ("index.html", "symptoms/index.html", "symptoms/index.html"),
    ("symptoms/index.html", "index.html", "../index.html"),
    ("symptoms/index.html", "symptoms/index.html", "index.html"),
    ("living/diet/index.html", "living/index.html", "../index.html"),
    ("living/diet/index.html", "assets/site.css", "../../assets/site.css"),
    ("es/living/index.html", "es/symptoms/index.html", "../symptoms/index.html"),
    ("es/index.html", "index.html", "../index.html"),
    ("a/b/index.html", "a/b", "../b"),  # a target that is a prefix of the start's folder
    ("index.html", "index.html", "index.html"),
])
def test_relative(start, target, link):
    assert paths.relative(start, target) == link


@pytest.mark.parametrize("start, target", [
    ("living/diet/index.html", "living/index.html"),
    ("es/a/b/index.html", "images/x.svg"),
    ("index.html", "es/search/index.html"),
    ("symptoms/index.html", "symptoms/symptoms.pdf"),
])
def test_relative_agrees_with_posixpath(start, target):
    assert paths.relative(start, target) == posixpath.relpath(target, posixpath.dirname(start) or ".")


def test_url_of():
    assert paths.url_of("symptoms/index.html") == "symptoms/"
    assert paths.url_of("index.html") == ""
    assert paths.url_of("sitemap.xml") == "sitemap.xml"


def test_language_roots_and_the_build_s_own_pages():
    assert paths.home_out("en", "en") == "index.html"
    assert paths.home_out("es", "en") == "es/index.html"
    assert paths.search_out("en", "en") == "search/index.html"
    assert paths.search_out("es", "en") == "es/search/index.html"
    assert paths.handouts_index_out("en", "en") == "handouts/index.html"
    assert paths.handouts_index_out("es", "en") == "es/handouts/index.html"
    assert paths.static_out("site.css") == "assets/site.css"


@pytest.mark.parametrize("rel, out, pdf, large", [
    ("en/symptoms.md", "symptoms/index.html", "symptoms/symptoms.pdf", "symptoms/symptoms-large-print.pdf"),
    ("en/living/index.md", "living/index.html", "living/living.pdf", "living/living-large-print.pdf"),
    ("en/living/diet.md", "living/diet/index.html", "living/diet/diet.pdf", "living/diet/diet-large-print.pdf"),
    ("en/index.md", "index.html", "overview.pdf", "overview-large-print.pdf"),
    ("es/index.md", "es/index.html", "es/overview.pdf", "es/overview-large-print.pdf"),
    ("es/symptoms.md", "es/symptoms/index.html", "es/symptoms/symptoms.pdf", "es/symptoms/symptoms-large-print.pdf"),
])
def test_page_handouts(rel, out, pdf, large):
    assert paths.page_pdf(rel, out) == pdf
    assert paths.page_pdf(rel, out, large=True) == large


@pytest.mark.parametrize("rel, out, packet, large", [
    ("en/living/index.md", "living/index.html", "living/living-packet.pdf", "living/living-packet-large-print.pdf"),
    ("en/index.md", "index.html", "overview-packet.pdf", "overview-packet-large-print.pdf"),
    ("es/index.md", "es/index.html", "es/overview-packet.pdf", "es/overview-packet-large-print.pdf"),
])
def test_topic_packets(rel, out, packet, large):
    assert paths.packet_pdf(rel, out) == packet
    assert paths.packet_pdf(rel, out, large=True) == large


def test_handout_stem():
    assert paths.handout_stem("en/index.md") == paths.HOME_NAME == "overview"
    assert paths.handout_stem("en/living/index.md") == "living"
    assert paths.handout_stem("en/living/diet.md") == "diet"
