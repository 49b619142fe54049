"""Finding the way: the topic bar and the phone menu, breadcrumbs, a topic's list of its pages."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import FIXTURES, run_build, write_tree

PAGE = """---
title: {title}
{extra}description: {description}
sources:
  - title: Knee pain
    publisher: Example Health Service
    url: https://health.example.org/knee-pain
---
{body}
"""


def page(title: str, description: str = "A page.", body: str = "Some words about it.", **fields) -> str:
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return PAGE.format(title=title, description=description, body=body, extra=extra)


@pytest.fixture(scope="module")
def topics_site(tmp_path_factory):
    """The fixture site with two topics whose folder names sort the other way round from their order."""
    root = tmp_path_factory.mktemp("nav")
    content = root / "content"
    shutil.copytree(FIXTURES / "basic", content)
    write_tree(content, {
        "en/aaa/index.md": page("Treatment for a sore knee", "How a sore knee is treated.", order=7, menu_title="Treatment"),
        "en/aaa/ice.md": page("Ice and rest", "When ice helps a sore knee.", order=2),
        "en/aaa/braces.md": page("Knee braces", "How a brace supports the knee.", order=1),
        "en/zzz/index.md": page("Tests for a sore knee", "The tests your doctor may do.", order=3, menu_title="Tests"),
    })
    out = root / "site"
    result = run_build("--content", str(content), "--out", str(out), "--no-handouts", "--no-search")
    assert result.returncode == 0, result.stderr
    return out


def bar(html: str) -> list[str]:
    nav = html[html.index('<nav class="topic-bar"'):]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav[: nav.index("</nav>")])


def test_the_topic_bar_lists_topics_by_their_order_with_their_short_names(topics_site):
    html = (topics_site / "index.html").read_text()
    # order 2 (a page), 3 and 7 (topics), 9 (the glossary), then those without an order by title
    assert bar(html) == ["Signs of a sore knee", "Tests", "Treatment", "Words we use", "Living with knee pain",
                         "When to get help"]
    menu = html[html.index('<details class="topic-menu">'): html.index("</details>")]
    assert re.findall(r"<a [^>]*>([^<]+)</a>", menu) == bar(html), "the phone menu lists the same topics"


def test_every_page_marks_its_own_topic_in_the_bar_and_shows_where_it_is(topics_site):
    html = (topics_site / "aaa/ice/index.html").read_text()
    assert '<a href="../index.html" aria-current="true">Treatment</a>' in html
    assert html.count('aria-current="true"') == 2, "in the bar and in the phone menu, nothing else"
    crumbs = html[html.index('class="breadcrumbs'):]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert re.findall(r"<a [^>]*>([^<]+)</a>", crumbs) == ["Home", "Treatment"]
    home = (topics_site / "index.html").read_text()
    assert 'aria-current="true"' not in home and 'class="breadcrumbs' not in home


def test_previous_and_next_follow_the_reading_order_within_the_topic(topics_site):
    braces = (topics_site / "aaa/braces/index.html").read_text()
    assert re.search(r'class="pager-prev" href="../index.html">.*Treatment for a sore knee</a>', braces)
    assert re.search(r'class="pager-next" href="../ice/index.html">.*Ice and rest</a>', braces)
    ice = (topics_site / "aaa/ice/index.html").read_text()
    assert re.search(r'class="pager-next" href="../index.html"><span class="pager-label">Back to the start of this topic:'
                     r"</span> Treatment</a>", ice), "the last page of a topic leads back to its start, not into another"


def test_a_topic_index_lists_its_own_pages_with_their_descriptions(topics_site):
    html = (topics_site / "aaa/index.html").read_text()
    listing = html[html.index('class="topic-pages"'):]
    listing = listing[: listing.index("</nav>")]
    assert "In this part of the guide" in listing
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a> <span class="topic-page-description">([^<]+)</span>', listing) == [
        ("braces/index.html", "Knee braces", "How a brace supports the knee."),
        ("ice/index.html", "Ice and rest", "When ice helps a sore knee."),
    ]
    assert 'class="topic-pages"' not in (topics_site / "aaa/ice/index.html").read_text()


def test_the_page_not_found_page_links_from_the_site_root_and_lists_pages_by_topic(topics_site):
    html = (topics_site / "404.html").read_text()
    assert '<li><a href="/guides/aaa/">Treatment</a></li>' in html[html.index('class="topic-bar"'):]
    assert 'class="help-now" href="/guides/help/"' in html
    every = html[html.index('class="all-pages"'):]
    names = re.findall(r"<a [^>]*>([^<]+)</a>", every)
    assert names.index("Treatment") < names.index("Knee braces") < names.index("Ice and rest") < names.index("Words we use")


def test_a_top_level_too_long_for_the_header_is_listed_on_the_home_page_and_warned_about(tmp_path):
    """Hundreds of topics in every page's header would make each page, and the build, grow with the site's square."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    write_tree(content, {f"en/topic-{n}/index.md": page(f"Topic {n}", f"What topic {n} is about.", order=10 + n)
                         for n in range(6)})  # with the fixture's four entries: ten at the top level
    result = run_build("--content", str(content), "--out", str(tmp_path / "site"), "--no-handouts", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "content/en/index.md: warning[topic.too-many]: content/en/ has 10 topics and pages at its top level" \
        in result.stderr and "Group them into 8 topics or fewer" in result.stderr
    page_html = (tmp_path / "site/topic-3/index.html").read_text()
    assert 'class="topic-bar"' not in page_html and 'class="topic-menu"' not in page_html
    assert re.findall(r"<a [^>]*>([^<]+)</a>", page_html[page_html.index('class="breadcrumbs'):])[0] == "Home"
    home = (tmp_path / "site/index.html").read_text()
    assert all(f">Topic {n}</a>" in home for n in range(6)), "the home page lists every topic"
