"""The bundled site in a real browser (headless Chromium): accessibility, privacy, CSP, no-JS, search.

axe-core runs on every page at desktop and phone sizes with the WCAG 2.0/2.1/2.2 A and AA rules
and its best practices. Every request to a host other than the local server is recorded and blocked.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, run_build

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


@pytest.mark.parametrize("query, expected", [
    ("broken bone", "symptoms/"),
    ("bone cancer spread", "spread/"),
    ("pathologic fracture", "symptoms/"),
])
def test_search_finds_pages_in_everyday_words(browser, site_url, query, expected):
    base, _ = site_url
    page, context, outside, errors = open_page(browser, base + "search/?q=" + query.replace(" ", "+"), VIEWPORTS["phone"])
    page.wait_for_selector(".search-results li a", timeout=15000)
    hrefs = [a.get_attribute("href") for a in page.locator(".search-results li a").all()]
    status = page.locator(".search-status").inner_text()
    context.close()
    assert any(h.endswith(expected) for h in hrefs), (query, hrefs)
    assert "match" in status
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
