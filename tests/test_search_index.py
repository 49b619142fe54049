"""What the search index is given: the words patients use, only the pages' own text, and the
small index for a site opened from disk (searchwords.py, searchdata.py). The browser tests
search the bundled site with lay queries; these check what those searches stand on."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import FIXTURES, ROOT, run_build


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    out = tmp_path_factory.mktemp("search") / "site"
    result = run_build("--content", str(ROOT / "content"), "--out", str(out), "--no-handouts", "--no-search")
    assert result.returncode == 0, result.stderr
    return out


def meta(html: str, name: str) -> list[str]:
    found = re.search(rf'<meta name="{name}" content="([^"]*)" data-pagefind-meta="\w+\[content\]">', html)
    return found.group(1).split(", ") if found else []


def fallback(out, lang_root="") -> dict:
    text = (out / lang_root / "search/pages.js").read_text()
    assert text.startswith("window.sitegenSearch=") and text.endswith(";\n")
    return json.loads(text[len("window.sitegenSearch="):-2])


def test_a_page_is_about_the_terms_its_title_names_and_the_signs_it_explains(bundled):
    html = (bundled / "symptoms/high-calcium/index.html").read_text()
    about, more = meta(html, "subject"), meta(html, "keywords")
    assert {"Hypercalcemia", "hypercalcaemia", "high blood calcium"} <= set(about), "its title is 'High blood calcium'"
    assert {"confusion", "thirsty", "constipation"} <= set(about), "the everyday words of the signs it explains"
    assert "Bisphosphonate" in more and "zoledronic acid" in more and "Zometa" in more, "terms it only uses"
    other = (bundled / "symptoms/other-symptoms/index.html").read_text()
    words = meta(other, "subject") + meta(other, "keywords")
    assert "hypercalcaemia" in words and "thirsty" not in words, "it names high calcium but explains none of its signs"


def test_the_review_notice_lists_and_card_boilerplate_are_not_indexed(bundled):
    html = (bundled / "symptoms/index.html").read_text()
    body = html[html.index("<article data-pagefind-body>"):]
    for marker in ('class="review-notice"', 'class="page-sources"', 'class="pager"', 'class="contents"',
                   'class="admonition-title"', 'class="care-call care-action"', 'class="term-def"'):
        tag = body[body.rindex("<", 0, body.index(marker)): body.index(">", body.index(marker))]
        assert "data-pagefind-ignore" in tag, marker
    assert "data-pagefind-body" not in (bundled / "index.html").read_text(), "the doorway is not a search result"
    glossary = (bundled / "glossary/index.html").read_text()
    assert meta(glossary, "keywords") == [] and meta(glossary, "subject") == [], "the pages explain the terms"


def test_the_index_for_disk_holds_each_pages_own_text_in_menu_order(bundled):
    data = fallback(bundled)
    urls = [page["u"] for page in data["pages"]]
    assert urls[:3] == ["../spread/index.html", "../spread/weak-bones/index.html", "../symptoms/index.html"]
    assert "../index.html" not in urls and len(urls) == 21
    assert [page["o"] for page in data["pages"]] == sorted(page["o"] for page in data["pages"])
    page = next(p for p in data["pages"] if p["u"] == "../symptoms/spinal-cord-compression/index.html")
    assert page["t"] == "Pressure on the spinal cord" and "weak legs" in page["a"]
    assert "Numbness or tingling" in page["s"] and "Numbness or tingling" in page["b"]
    assert "Get help now if you have" not in page["b"] and "24-hour number" not in page["s"], "card headings and calls"
    assert "It passes signals between your brain and the rest of your body" not in page["b"], "a term's tooltip"
    assert "clinician has not yet reviewed" not in json.dumps(data)
    glossary = next(p for p in data["pages"] if p["u"] == "../glossary/index.html")
    assert "Denosumab A drug that slows the breakdown of bone" in glossary["b"]
    assert fallback(bundled, "es")["pages"][0]["u"] == "../spread/index.html"


def test_the_index_for_disk_cannot_end_its_script_early(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    page = content / "en/living/index.md"
    page.write_text(page.read_text().replace("Small changes help.", "Small changes help. `</script><b>`"))
    out = tmp_path / "out"
    assert run_build("--content", str(content), "--out", str(out), "--no-handouts", "--no-search").returncode == 0
    text = (out / "search/pages.js").read_text()
    assert "</script" not in text and r"<\/script>" in text
    living = next(p for p in fallback(out)["pages"] if p["u"] == "../living/index.html")
    assert living["b"].count("</script><b>") == 1


def test_the_search_example_comes_from_site_yml_and_never_from_the_bundled_topic(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    out = tmp_path / "out"
    assert run_build("--content", str(content), "--out", str(out), "--no-handouts", "--no-search").returncode == 0
    assert "placeholder" not in (out / "search/index.html").read_text(), "no example unless the site gives one"
    for path in out.rglob("*"):
        if path.suffix in (".html", ".js", ".xml", ".txt"):
            assert not re.search(r"bone|hueso", path.read_text(), re.I), f"{path}: the bundled topic's words"
    site = content / "site.yml"
    site.write_text(site.read_text() + "search_example: sore knee\n")
    assert run_build("--content", str(content), "--out", str(out), "--no-handouts", "--no-search").returncode == 0
    assert 'placeholder="For example, sore knee"' in (out / "search/index.html").read_text()
