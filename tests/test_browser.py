"""The bundled site in a real browser (headless Chromium): accessibility, privacy, CSP, no-JS, search.

axe-core runs on every page at desktop and phone sizes with the WCAG 2.0/2.1/2.2 A and AA rules
and its best practices. Every request to a host other than the local server is recorded and blocked.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import pytest
import yaml

from conftest import ROOT, page_source, run_build

pytestmark = pytest.mark.slow  # headless Chromium on the bundled site

playwright_api = pytest.importorskip("playwright.sync_api")
import axe_playwright_python  # noqa: E402  (ships axe.min.js; no download)

CHROMIUM = "/usr/bin/chromium"
# axe-core from npm (scripts/setup.sh --test installs it); the copy inside the pip package is older.
AXE_NPM = ROOT / ".cache/axe/node_modules/axe-core/axe.min.js"
AXE_JS = (AXE_NPM if AXE_NPM.is_file() else Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
# Record CSP violations before any page script runs.
CSP_SPY = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
           "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


class Handler(http.server.SimpleHTTPRequestHandler):
    """A plain static host: index.html for folders, 404.html for missing files."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """Build the bundled site (with search, without PDFs) and serve it on localhost."""
    out = tmp_path_factory.mktemp("browser") / "site"
    result = run_build("--content", str(ROOT / "content"), "--out", str(out), "--no-handouts")
    assert result.returncode == 0, result.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/", out
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Chromium is missing: run bash scripts/setup.sh --test"
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--proxy-server=http://127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"])
        yield b
        b.close()


def html_pages(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if "pagefind" not in p.parts)


def open_page(browser, url, viewport, js=True):
    """Open url in a fresh context; return (page, context, third-party requests, console errors)."""
    context = browser.new_context(viewport=viewport, java_script_enabled=js)
    outside, errors = [], []
    local = urlsplit(url).netloc

    def route(r):
        if urlsplit(r.request.url).netloc == local:
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.add_init_script(CSP_SPY)
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="networkidle")
    return page, context, outside, errors


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_every_page_passes_axe_with_one_h1_no_third_party_and_no_csp_violation(browser, site_url, size):
    base, out = site_url
    problems = []
    pages = html_pages(out)
    assert len(pages) >= 10
    for rel in pages:
        page, context, outside, errors = open_page(browser, base + rel, VIEWPORTS[size])
        page.evaluate(AXE_JS)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        for v in result["violations"]:
            problems.append(f"{rel}: axe {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}")
        if page.locator("h1").count() != 1:
            problems.append(f"{rel}: {page.locator('h1').count()} h1 elements")
        problems += [f"{rel}: third-party request {u}" for u in outside]
        problems += [f"{rel}: CSP violation {c}" for c in page.evaluate("window.__csp")]
        problems += [f"{rel}: console error {e}" for e in errors if "404" not in e or rel != "404.html"]
        context.close()
    assert not problems, "\n".join(problems)


def test_main_content_is_there_without_javascript(browser, site_url):
    base, out = site_url
    for rel in html_pages(out):
        page, context, _, _ = open_page(browser, base + rel, VIEWPORTS["phone"], js=False)
        assert page.locator("main").is_visible() and page.locator("h1").is_visible(), rel
        no_js = len(page.locator("main").inner_text())
        context.close()
        page, context, _, _ = open_page(browser, base + rel, VIEWPORTS["phone"])
        with_js = len(page.locator("main").inner_text())
        context.close()
        assert no_js >= 0.8 * with_js, f"{rel}: {no_js} characters without JS, {with_js} with"


def test_pages_reflow_at_320_px_without_sideways_scrolling(browser, site_url):
    base, out = site_url
    for rel in html_pages(out):
        page, context, _, _ = open_page(browser, base + rel, {"width": 320, "height": 640})
        width = page.evaluate("document.documentElement.scrollWidth")
        context.close()
        assert width <= 320, f"{rel} is {width} px wide at a 320 px viewport"


@pytest.mark.parametrize("home", ["", "es/"])
def test_the_home_page_is_one_phone_screen(browser, site_url, home):
    """What the guide is for, the emergency signs with the number to call and the topics, in 390 x 800 px."""
    base, _ = site_url
    page, context, _, _ = open_page(browser, base + home, {"width": 390, "height": 800})
    box = lambda selector: page.locator(selector).first.bounding_box()  # noqa: E731
    assert box(".content > p")["y"] < box(".care-card")["y"] < box(".topics-list")["y"]
    assert page.locator(".care-card .care-signs li").count() >= 4 and page.locator(".care-card a[href^='tel:']").count() >= 2
    tiles = page.locator(".topics-list li a")
    assert tiles.count() == 5
    bottoms = [tiles.nth(i).bounding_box() for i in range(5)]
    assert max(b["y"] + b["height"] for b in bottoms) <= 800, "the last topic is on the first screen"
    assert min(b["height"] for b in bottoms) >= 44 and all(b["width"] >= 44 for b in bottoms), "large tap targets"
    context.close()


def test_the_topics_menu_opens_on_a_phone_without_javascript(browser, site_url):
    base, _ = site_url
    page, context, _, _ = open_page(browser, base + "symptoms/high-calcium/", VIEWPORTS["phone"], js=False)
    assert page.locator(".topic-bar").is_hidden() and page.locator(".help-now").is_visible()
    links = page.locator(".topic-menu nav a")
    assert links.first.is_hidden()
    page.locator(".topic-menu summary").click()
    assert links.count() == 6 and all(links.nth(i).is_visible() for i in range(6))
    assert min(links.nth(i).bounding_box()["height"] for i in range(6)) >= 44
    assert page.locator('.topic-menu nav a[aria-current="true"]').inner_text() == "Symptoms"
    context.close()
    page, context, _, _ = open_page(browser, base + "es/symptoms/", VIEWPORTS["phone"])
    page.locator(".topic-menu summary").click()
    page.evaluate(AXE_JS)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert result["violations"] == [], "axe with the menu open"
    context.close()


@pytest.mark.parametrize("viewport", [{"width": 320, "height": 640}, {"width": 640, "height": 400}],
                         ids=["320px", "1280px-at-200%"])
def test_the_header_is_usable_at_320_px_and_at_200_percent_zoom(browser, site_url, viewport):
    base, _ = site_url
    for path in ("", "es/treatment/medicines/", "search/"):
        page, context, _, _ = open_page(browser, base + path, viewport)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        for selector in (".site-title", ".language-switch a", ".topic-menu summary", ".search-link", ".help-now"):
            box = page.locator(selector).first.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"{path}: {selector} {box}"
        context.close()


def test_wide_screens_show_the_topic_bar_and_the_search_box(browser, site_url):
    base, _ = site_url
    page, context, _, _ = open_page(browser, base + "es/symptoms/", VIEWPORTS["desktop"])
    assert page.locator(".topic-menu").is_hidden() and page.locator(".site-search input").is_visible()
    bar = page.locator(".topic-bar a")
    assert bar.all_inner_texts()[:3] == ["Cómo se extiende", "Síntomas", "Pruebas"]
    tops = {round(bar.nth(i).bounding_box()["y"]) for i in range(bar.count())}
    assert len(tops) == 1, "the Spanish topics fit on one row at 1280 px"
    lang = page.locator(".language-switch a").bounding_box()
    assert lang["y"] < bar.first.bounding_box()["y"], "English stays on the first row"
    context.close()


QUERIES = yaml.safe_load((ROOT / "tests/search_queries.yml").read_text(encoding="utf-8"))
TARGET = 0.9  # the share of lay queries whose page must be in the first three results


@pytest.fixture(scope="module")
def sub_path_url(tmp_path_factory):
    """The bundled site built for https://example.org/bone/ and served from a bone/ folder."""
    root = tmp_path_factory.mktemp("subpath")
    result = run_build("--content", str(ROOT / "content"), "--out", str(root / "bone"), "--no-handouts",
                       "--base-url", "https://example.org/bone/")
    assert result.returncode == 0, result.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/bone/"
    server.shutdown()


def search(page, lang_root: str, query: str, disk: bool) -> list[dict]:
    """Search on the search page as a reader does (the query in its address); return the results."""
    page.goto(lang_root + ("search/index.html" if disk else "search/") + "?q=" + quote_plus(query))
    page.wait_for_function("() => { const s = document.querySelector('.search-status');"
                           " return s && s.textContent && !s.textContent.includes('…'); }", timeout=15000)
    return page.eval_on_selector_all(".search-results li", "items => items.map(li => ({href: li.querySelector('a').href,"
                                     " title: li.querySelector('a').textContent, excerpt: li.querySelector('p').textContent}))")


def words(text: str) -> str:
    """Return text in small letters with its words one space apart and no ellipsis, for comparing."""
    return " ".join(text.replace("…", " ").lower().split())


def hit_rate(browser, base: str, lang: str, disk: bool = False):
    """Run one language's queries; return (share in the top 3, misses, every result link)."""
    lang_root = base if lang == "en" else f"{base}{lang}/"
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    misses, links = [], []
    for query, expected in QUERIES[lang]:
        results = search(page, lang_root, query, disk)
        links += [r["href"] for r in results]
        top = [r["href"].replace("index.html", "") for r in results[:3]]
        if lang_root + expected not in top:
            misses.append(f"{query!r}: {[t[len(lang_root):] for t in top]}")
    context.close()
    return 1 - len(misses) / len(QUERIES[lang]), misses, links


@pytest.mark.parametrize("lang", sorted(QUERIES))
@pytest.mark.parametrize("where", ["root", "sub-path", "disk"])
def test_lay_queries_find_the_right_page_in_the_top_three(browser, site_url, sub_path_url, where, lang, record_property):
    base, out = site_url
    base = {"root": base, "sub-path": sub_path_url, "disk": out.resolve().as_uri() + "/"}[where]
    share, misses, links = hit_rate(browser, base, lang, disk=where == "disk")
    record_property(f"search_{where}_{lang}", f"{share:.0%}")
    print(f"\nsearch {where} {lang}: {share:.0%} of {len(QUERIES[lang])} queries in the top 3")
    assert len(QUERIES[lang]) >= 25
    assert all(link.startswith(base) for link in links), "every result stays inside the site"
    assert share >= TARGET, f"{share:.0%} in the top 3 ({where}, {lang}); missed:\n" + "\n".join(misses)


@pytest.mark.parametrize("disk", [False, True], ids=["served", "disk"])
def test_snippets_are_the_pages_own_text_and_the_query_stays(browser, site_url, disk):
    base, out = site_url
    base = out.resolve().as_uri() + "/" if disk else base
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    for query in ("broken bone", "hypercalcaemia", "zometa", "weak legs"):
        results = search(page, base, query, disk)
        assert page.input_value("#search-q") == query, "the typed query stays in the box"
        for result in results[:3]:
            excerpt = words(result["excerpt"])
            assert "clinician has not yet reviewed" not in excerpt and "key points" not in excerpt
            target = context.new_page()
            target.goto(result["href"])
            text = words(target.locator("article").inner_text())
            description = words(target.locator('meta[name="description"]').get_attribute("content"))
            target.close()
            # Pagefind joins the text of two elements with a full stop: each piece is the page's own
            # text; with no match in the text, the snippet is the page's description.
            pieces = [p.strip() for p in re.split(r"[.?!]", excerpt) if len(p.split()) >= 3]
            assert pieces and (excerpt == description or all(p in text for p in pieces)), \
                f"{query!r}: the snippet of {result['href']} is not its text: {excerpt!r}"
    context.close()


def test_a_search_with_no_results_offers_the_topics_and_the_help_page(browser, site_url):
    base, _ = site_url
    page, context, outside, errors = open_page(browser, base + "es/search/?q=zzxqj", VIEWPORTS["phone"])
    page.wait_for_function("() => document.querySelector('.search-status').textContent.includes('Ninguna')")
    help_link = page.locator(".search-help a")
    assert help_link.is_visible() and help_link.get_attribute("href").endswith("help/index.html")
    topics = page.locator(".all-pages > li > a").all_inner_texts()
    assert topics[1:4] == ["Cómo se extiende", "Síntomas", "Pruebas"], "the topics, in their order"
    context.close()
    assert not outside and not errors


def test_search_page_without_javascript_says_so_and_lists_every_page(browser, site_url):
    base, out = site_url
    page, context, _, _ = open_page(browser, base + "search/?q=pain", VIEWPORTS["phone"], js=False)
    text = page.locator("main").inner_text()
    links = page.locator(".all-pages a").count()
    context.close()
    assert "Search needs JavaScript" in text
    english_pages = [p for p in html_pages(out) if p.split("/")[0] not in ("es", "search", "handouts", "404.html")]
    assert links == len(english_pages)


def test_glossary_definition_is_reachable_by_keyboard(browser, site_url):
    base, _ = site_url
    page, context, _, _ = open_page(browser, base + "symptoms/", VIEWPORTS["desktop"])
    term = page.locator(".term > a").first
    tip = page.locator(".term .term-def").first
    assert not tip.is_visible()
    term.focus()
    assert tip.is_visible(), "the definition shows on keyboard focus"
    described = term.get_attribute("aria-describedby")
    assert page.locator(f"#{described}").inner_text() == tip.inner_text()
    context.close()


def test_a_table_wider_than_a_phone_scrolls_in_a_region_a_keyboard_reaches(browser, tmp_path, basic_content):
    """A wide table scrolls sideways in its own box (WCAG lets data tables do so), so the page still
    reflows; the box must then be reachable and scrollable from the keyboard, and named. A long line
    of code wraps instead."""
    (basic_content / "en/table.md").write_text(page_source("Visits", "Your visits.\n\n| Day | Morning | Noon | Evening | Night | Notes |\n"
        "| --- | --- | --- | --- | --- | --- |\n| Monday | Walk slowly | Rest | Walk | Sleep | Hypercalcemia |\n\n"
        "```\nsitegen build --content content --out site --cache-dir cache --no-search\n```\n\n"
        "| Medicine | When |\n| --- | --- |\n| Pain pill | Morning |\n\n"  # a second region: its own name (landmark-unique)
        "Biopsy\n: A small piece of tissue taken to look at.\n"))  # a word and its meaning: the word in bold
    out = tmp_path / "site"
    assert run_build("--content", str(basic_content), "--out", str(out), "--no-handouts", "--no-search").returncode == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page, context, _, _ = open_page(browser, f"http://127.0.0.1:{server.server_port}/table/", {"width": 320, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the page scrolls sideways"
        region = page.locator(".table-scroll").first
        assert region.evaluate("e => e.scrollWidth > e.clientWidth"), "the table is wider than the phone"
        page.evaluate(AXE_JS)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        assert result["violations"] == [], [v["id"] for v in result["violations"]]
        for _ in range(40):  # Tab through the page to the table's box, then scroll it with the arrow key
            page.keyboard.press("Tab")
            if region.evaluate("e => e === document.activeElement"):
                break
        else:
            pytest.fail("Tab never reached the table's box")
        page.keyboard.press("ArrowRight")
        for _ in range(20):  # the scroll may be smooth: give it a moment
            if region.evaluate("e => e.scrollLeft") > 0:
                break
            page.wait_for_timeout(50)
        assert region.evaluate("e => e.scrollLeft") > 0, "the arrow key scrolls the table"
        assert int(page.locator("main dt").evaluate("e => getComputedStyle(e).fontWeight")) >= 700
        assert [r.get_attribute("aria-label") for r in page.locator(".table-scroll").all()] == [
            "Table 1 of 2 (scroll sideways to see all of it)", "Table 2 of 2 (scroll sideways to see all of it)"]
        context.close()
    finally:
        server.shutdown()
