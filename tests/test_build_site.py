"""The fixture site built end to end: what a visitor sees."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import FIXTURES, page_source, run_build


class PageParser(HTMLParser):
    """Collect what tests look at: links, ids, headings, meta tags, JSON-LD."""

    def __init__(self):
        super().__init__()
        self.links, self.ids, self.h1, self.meta, self.scripts = [], set(), [], {}, []
        self.lang = None
        self._in = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("a", "link") and a.get("href"):
            self.links.append((tag, a["href"], a.get("rel")))
        if tag in ("img", "script") and a.get("src"):
            self.links.append((tag, a["src"], None))
        if tag == "meta":
            self.meta[a.get("name") or a.get("property") or a.get("http-equiv")] = a.get("content")
        if tag == "h1":
            self._in = "h1"
            self.h1.append("")
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in = "jsonld"
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag in ("h1", "script"):
            self._in = None

    def handle_data(self, data):
        if self._in == "h1":
            self.h1[-1] += data
        elif self._in == "jsonld":
            self.scripts[-1] += data


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_is_written_with_pretty_urls(basic_built):
    files = {p.relative_to(basic_built).as_posix() for p in basic_built.rglob("*.html")}
    assert {"index.html", "symptoms/index.html", "glossary/index.html", "living/index.html", "404.html"} <= files
    assert (basic_built / "images/knee.svg").is_file()
    assert (basic_built / "assets/site.css").is_file()


def test_every_local_link_and_anchor_resolves(basic_built):
    pages = {p: parse(p) for p in basic_built.rglob("*.html") if p.name != "404.html"}
    checked = 0
    for path, page in pages.items():
        for tag, href, _rel in page.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("#") and not parts.fragment:
                continue
            target = (path.parent / parts.path).resolve() if parts.path else path
            assert target.is_file(), f"{path}: {href} -> {target}"
            assert not parts.path.startswith("/"), "links must be relative so the site works from any folder"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parse(target).ids, f"{path}: {href}"
            checked += 1
    assert checked > 20


def test_md_links_are_rewritten_to_page_urls(basic_built):
    html = (basic_built / "index.html").read_text()
    assert 'href="symptoms/index.html#what-are-the-signs"' in html
    assert ".md" not in re.sub(r"https?://\S+", "", html)
    assert 'href="../symptoms/index.html"' in (basic_built / "living/index.html").read_text()


def test_one_h1_title_description_canonical_and_lang(basic_built):
    titles = set()
    for path in basic_built.rglob("index.html"):
        if path.parent.name == "search":
            continue
        page = parse(path)
        assert len(page.h1) == 1, path
        assert page.lang == "en"
        title = re.search(r"<title>(.*?)</title>", path.read_text()).group(1)
        titles.add(title)
        assert page.meta["description"]
        assert page.meta["og:title"] and page.meta["og:url"].startswith("https://knees.example.org/guides/")
        assert "script-src 'self'" in page.meta["Content-Security-Policy"]
    assert len(titles) == len(list((FIXTURES / "basic").rglob("*.md"))), "every page has its own <title>"
    canonical = [h for t, h, r in parse(basic_built / "symptoms/index.html").links if t == "link" and r == "canonical"]
    assert canonical == ["https://knees.example.org/guides/symptoms/"]


def test_pages_have_breadcrumbs_and_a_pager_within_their_topic_and_no_list_of_every_page(basic_built):
    html = (basic_built / "symptoms/index.html").read_text()
    assert 'aria-label="You are here"' in html and '<a href="../index.html">Home</a>' in html
    assert 'class="pager-prev" href="../index.html"' in html
    assert 'class="pager-next" href="../glossary/index.html"' in html
    assert 'guide-menu' not in html and "Pages in this guide" not in html
    home = (basic_built / "index.html").read_text()
    assert "Topics in this guide" in home and "Living with knee pain" in home


def test_review_line_and_unreviewed_notice(basic_built):
    reviewed = (basic_built / "symptoms/index.html").read_text()
    assert "Reviewed on January 15, 2026 by Test Reviewer, RN." in reviewed
    assert "Next review due January 15, 2027." in reviewed
    unreviewed = (basic_built / "index.html").read_text()
    assert "A clinician has not yet reviewed this page." in unreviewed
    assert "Reviewed on" not in unreviewed


def test_key_points_sources_and_care_cards(basic_built):
    html = (basic_built / "index.html").read_text()
    assert html.index('class="key-points"') < html.index('class="content"'), "the summary comes first"
    assert ('<a class="external" href="https://health.example.org/knee-pain">Knee pain'
            '<span class="visually-hidden"> (another website)</span></a>, Example Health Service') in html
    card = html[html.index('class="care-card care-emergency'):]
    card = card[: card.index("</div>")]
    assert '<span class="care-level">Emergency: </span>Get help now if you have:' in card
    assert "<li>A knee that looks bent the wrong way</li>" in card
    # One first action with its number, then the fallback: never the other way round.
    assert card.index("Call your care team now:") < card.index('href="tel:5550122"') < card.index('href="tel:911"')
    assert 'class="care-call care-fallback" data-pagefind-ignore="">If you cannot reach them, call' in card
    symptoms = (basic_built / "symptoms/index.html").read_text()
    assert 'care-card care-urgent' in symptoms and 'care-card care-non-urgent' in symptoms
    assert 'href="tel:5550111"' in symptoms


def test_json_ld_is_a_medical_web_page(basic_built):
    page = parse(basic_built / "symptoms/index.html")
    data = json.loads(page.scripts[0])
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2026-01-15"
    assert data["reviewedBy"][0]["name"] == "Test Reviewer"
    assert data["about"]["name"] == "Sore knees"
    assert data["audience"]["audienceType"] == "Patient"
    assert "lastReviewed" not in json.loads(parse(basic_built / "index.html").scripts[0])


def test_glossary_page_lists_terms(basic_built):
    html = (basic_built / "glossary/index.html").read_text()
    assert '<dt id="term-strain">Strain</dt>' in html
    assert "A stretched or torn muscle or tendon." in html


def test_sitemap_robots_and_404(basic_built):
    sitemap = (basic_built / "sitemap.xml").read_text()
    assert sitemap.count("<url>") == len(list((FIXTURES / "basic").rglob("*.md")))
    # lastmod: when the page's text last changed (here in the project's git history; see test_dates.py)
    changed = re.search(r"Last changed on (\w+ \d+, \d{4})", (basic_built / "symptoms/index.html").read_text()).group(1)
    day = dt.datetime.strptime(changed, "%B %d, %Y").date().isoformat()
    assert f"<loc>https://knees.example.org/guides/symptoms/</loc><lastmod>{day}</lastmod>" in sitemap
    assert "Sitemap: https://knees.example.org/guides/sitemap.xml" in (basic_built / "robots.txt").read_text()
    not_found = (basic_built / "404.html").read_text()
    assert 'href="/guides/symptoms/"' in not_found, "404 links work from any address on the host"
    assert 'href="/guides/assets/site.css"' in not_found


def test_summary_line_and_exit_status(tmp_path):
    result = run_build("build", "--content", str(FIXTURES / "basic"), "--out", str(tmp_path / "s"), "--no-handouts")
    assert result.returncode == 0
    pages = len(list((FIXTURES / "basic").rglob("*.md")))
    assert re.search(rf"Built {pages} pages in 1 language \(en\), 0 warnings, in \d+\.\d\d s", result.stdout)


def test_base_url_option_overrides_site_yml(tmp_path):
    out = tmp_path / "s"
    result = run_build("--content", str(FIXTURES / "basic"), "--out", str(out), "--no-handouts",
                       "--base-url", "https://clinic.example.com/info")
    assert result.returncode == 0, result.stderr
    assert 'href="https://clinic.example.com/info/symptoms/"' in (out / "symptoms/index.html").read_text()


@pytest.mark.parametrize("args", [["--bogus"], ["frobnicate"], ["build", "--out"]])
def test_wrong_usage_exits_2(args):
    result = run_build(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_another_topic_builds_too(tmp_path):
    """Nothing about the bundled medical topic is built into the engine."""
    from conftest import write_tree

    page = ("---\ntitle: {t}\ndescription: About {t}.\nsources:\n  - title: T\n    publisher: P\n"
            "    url: https://example.org/\n---\nText about {t}.\n")
    content = write_tree(tmp_path / "c", {
        "site.yml": "title: Asthma help\nbase_url: https://a.example.org/\nlanguages: [en]\n"
                    "clinic: {name: Lung Clinic, phone: '555-0100', address: 2 Road}\npublish_unreviewed: true\n",
        "en/index.md": page.format(t="Asthma"),
        "en/inhalers.md": page.format(t="Inhalers"),
    })
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts")
    assert result.returncode == 0, result.stderr
    assert "Inhalers" in (tmp_path / "s/inhalers/index.html").read_text()


def test_each_table_region_has_a_name_of_its_own(basic_content, tmp_path):
    """A table's scrolling region is a landmark: alone on its page it is "Table", and two on a page
    are numbered, so a screen reader's list of landmarks tells them apart (axe: landmark-unique)."""
    table = "| Day | Visit |\n| --- | --- |\n| Monday | Nurse |\n"
    (basic_content / "en/one.md").write_text(page_source("One table", "Visits.\n\n" + table))
    (basic_content / "en/two.md").write_text(page_source("Two tables", f"Visits.\n\n{table}\nMore.\n\n{table}"))
    out = tmp_path / "site"
    assert run_build("--content", str(basic_content), "--out", str(out), "--no-handouts", "--no-search").returncode == 0
    labels = {name: re.findall(r'class="table-scroll" role="region" tabindex="0" aria-label="([^"]*)"',
                               (out / name / "index.html").read_text()) for name in ("one", "two")}
    assert labels == {"one": ["Table (scroll sideways to see all of it)"],
                      "two": ["Table 1 of 2 (scroll sideways to see all of it)", "Table 2 of 2 (scroll sideways to see all of it)"]}
