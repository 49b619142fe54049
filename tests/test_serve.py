"""The live preview server, driven as an editor drives it: a real `build.py serve` process, checked with urllib.

Deleted pages: the preview shows the content as it is, so a page deleted from content/ is gone
(404) once the site builds again. If other pages still link to it, the build fails instead, and the
preview keeps the last good build, with the page, under an error banner naming the broken links.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, edit

from sitegen.diagnostics import Diagnostic
from sitegen.serve.http import banner, decorate, locate
from sitegen.serve.state import Snapshot

CHROMIUM = "/usr/bin/chromium"
WAIT = 20.0  # seconds; a rebuild of the fixture site takes well under one
BANNER = 'class="sitegen-errors" role="alert"'


class Server:
    """A running `build.py serve` and the ways to talk to it."""

    def __init__(self, proc: subprocess.Popen, cwd: Path):
        self.proc = proc
        self.cwd = cwd
        self.url = ""

    def log(self) -> str:
        return (self.cwd / "serve.out").read_text(encoding="utf-8")

    def errors(self) -> str:
        return (self.cwd / "serve.err").read_text(encoding="utf-8")

    def get(self, path: str) -> tuple[int, str]:
        """Return (status, body) of one request; the server must still be running."""
        assert self.proc.poll() is None, f"the server stopped:\n{self.log()}\n{self.errors()}"
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def wait_for(self, path: str, test, what: str) -> tuple[int, str]:
        """Request path until test(status, body) holds; fail after WAIT seconds."""
        deadline = time.monotonic() + WAIT
        while True:
            status, body = self.get(path)
            if test(status, body):
                return status, body
            if time.monotonic() > deadline:
                pytest.fail(f"{path} never showed {what}; last answer {status}:\n{body[:3000]}\n"
                            f"log:\n{self.log()}\n{self.errors()}")
            time.sleep(0.05)

    def wait_for_log(self, pattern: str) -> re.Match:
        """Wait until the log has a line matching pattern; fail after WAIT seconds."""
        deadline = time.monotonic() + WAIT
        while not (match := re.search(pattern, self.log())):
            if time.monotonic() > deadline:
                pytest.fail(f"the log never said {pattern!r}:\n{self.log()}\n{self.errors()}")
            time.sleep(0.05)
        return match

    def stop(self, sig=signal.SIGINT) -> int:
        """Stop the server as an editor would and return its exit status."""
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGUSR1)  # the server prints every thread's stack
            time.sleep(1)
            self.proc.kill()
            pytest.fail(f"the server did not stop within {WAIT} s:\n{self.log()}\n{self.errors()[-6000:]}")


class Events:
    """Read the server's reload events in the background, as the page's script does."""

    def __init__(self, url: str):
        self.lines: list[str] = []
        self.response = urllib.request.urlopen(url, timeout=WAIT)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self) -> None:
        try:
            for raw in self.response:
                self.lines.append(raw.decode("utf-8").rstrip("\n"))
        except OSError:
            pass

    def news(self) -> list[dict]:
        """Return the reload events received so far: {"build": n, "files": [...] or None for every page}."""
        lines = list(self.lines)
        return [json.loads(lines[i + 1][len("data: "):]) for i, line in enumerate(lines[:-1]) if line == "event: reload"]

    def reloads(self) -> list[int]:
        """Return the build numbers of the reload events received so far."""
        return [news["build"] for news in self.news()]

    def wait_for_reload(self, after: int) -> int:
        deadline = time.monotonic() + WAIT
        while not any(n > after for n in self.reloads()):
            assert time.monotonic() < deadline, f"no reload event after build {after}: {self.lines}"
            time.sleep(0.05)
        return max(self.reloads())

    def close(self) -> None:
        self.response.close()


def build_number(page: str) -> int:
    """Return the build a served page came from, read from its livereload script tag."""
    match = re.search(r'<script src="/__livereload.js" data-build="(\d+)" data-file="[^"]*" defer></script>', page)
    assert match, "the page has no livereload script"
    return int(match.group(1))


@pytest.fixture
def project(tmp_path) -> Path:
    """A project folder with its own copy of the fixture content and of the templates."""
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")  # the server also watches these
    (tmp_path / "tmp").mkdir()
    return tmp_path


def start(project: Path, *extra: str) -> Server:
    """Start `build.py serve` on a free port in project/ and wait until it serves."""
    out = open(project / "serve.out", "w")
    err = open(project / "serve.err", "w")
    env = {**os.environ, "TMPDIR": str(project / "tmp")}  # to look at its work folder
    env.pop("SITEGEN_DEBUG", None)
    if "--handouts" not in extra:
        extra = ("--no-handouts", *extra)  # most tests are about pages: no need to wait for PDFs
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--content", "content",
                             "--templates", "templates", *extra], cwd=project, stdout=out, stderr=err, env=env)
    out.close()
    err.close()
    server = Server(proc, project)
    deadline = time.monotonic() + 60  # the first start imports everything
    while not (match := re.search(r"Preview at (http://\S+/).*\nbuilt in ", server.log())):  # first build done
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the server did not start:\n{server.log()}\n{server.errors()}")
        time.sleep(0.05)
    server.url = match.group(1)
    return server


@pytest.fixture
def serve(project):
    """Start servers in project/ and always kill them afterwards."""
    started: list[Server] = []

    def run(*extra: str) -> Server:
        started.append(start(project, *extra))
        return started[-1]

    yield run
    for server in started:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(timeout=WAIT)


def has_banner(status: int, body: str) -> bool:
    return BANNER in body


def no_banner(status: int, body: str) -> bool:
    return BANNER not in body


@pytest.mark.slow
def test_preview_survives_an_editing_session(project, serve):
    server = serve()
    en = project / "content" / "en"
    symptoms = en / "symptoms.md"

    # The first page is served, with the reload script and its stylesheet, and no error banner.
    status, page = server.get("/")
    assert status == 200
    assert "<title>Sore knees | Knee Care Guide</title>" in page
    assert '<link rel="stylesheet" href="/__livereload.css">' in page
    assert BANNER not in page
    first = build_number(page)
    assert server.get("/__livereload.js")[1].count("EventSource") == 1
    assert ".sitegen-errors" in server.get("/__livereload.css")[1]
    # Only served pages get the script: the built files on disk do not.
    built = list((project / "tmp").glob("sitegen-preview-*/site/symptoms/index.html"))
    assert built and "__livereload" not in built[0].read_text(encoding="utf-8")
    assert server.get("/symptoms")[0] == 200  # redirected to /symptoms/
    status, missing = server.get("/no-such-page/")
    assert status == 404 and "__livereload.js" in missing

    # An edit shows up, and open pages are told to reload.
    events = Events(server.url + f"__reload?since={first}")
    edit(symptoms, "These are the usual signs.", "These are the signs most people notice.")
    status, page = server.wait_for("/symptoms/", lambda s, b: "signs most people notice" in b, "the edit")
    assert status == 200 and BANNER not in page
    events.wait_for_reload(first)
    # Only the page's own text changed: it is rendered alone and shown before the full rebuild,
    # which then finds nothing else to show, so open pages reload once, not twice.
    server.wait_for_log(r"rebuilt in \d+\.\d\d s after change to content/en/symptoms\.md: ok "
                        r"\(reload sent \d+ ms after the save, the page rendered alone before the rebuild\)")
    time.sleep(0.5)  # time for a second reload to arrive, were one sent
    assert events.news() == [{"build": first + 1, "files": ["symptoms/index.html"]}]
    assert build_number(server.get("/symptoms/")[1]) == first + 1

    # Broken YAML: the last good page stays, under a banner naming the file and the line.
    good = build_number(page)
    edit(symptoms, "title: Signs of a sore knee", "title: [Signs of a sore knee")
    status, page = server.wait_for("/symptoms/", has_banner, "the error banner")
    assert status == 200
    assert "signs most people notice" in page  # the last good content
    assert re.search(r"<code>content/en/symptoms\.md:\d+</code>", page)
    assert "YAML" in page
    assert BANNER in server.get("/")[1]  # on every page, not only the broken one
    events.wait_for_reload(good)
    assert re.search(r"after change to content/en/symptoms\.md: 1 error", server.log())
    assert re.search(r"content/en/symptoms\.md:\d+: error\[yaml\]", server.errors())

    # Fixing it clears the banner.
    edit(symptoms, "title: [Signs of a sore knee", "title: Signs of a sore knee")
    status, page = server.wait_for("/symptoms/", no_banner, "the banner cleared")
    assert status == 200 and "signs most people notice" in page

    # A new page appears; deleted, it is gone (404) and the server goes on.
    (en / "extra.md").write_text((FIXTURES / "basic/en/living/index.md").read_text(encoding="utf-8")
                                 .replace("Living with knee pain", "An extra page").replace("../symptoms.md", "symptoms.md"),
                                 encoding="utf-8")
    server.wait_for("/extra/", lambda s, b: s == 200 and "An extra page" in b, "the new page")
    (en / "extra.md").unlink()
    status, page = server.wait_for("/extra/", lambda s, b: s == 404, "404 for the deleted page")
    assert BANNER not in page and "An extra page" not in page

    # A page other pages link to is deleted: the build fails, so the last good build, page included, stays.
    saved = symptoms.read_text(encoding="utf-8")
    symptoms.unlink()
    status, page = server.wait_for("/symptoms/", has_banner, "the broken-link banner")
    assert status == 200 and "signs most people notice" in page
    assert re.search(r"<code>content/en/index\.md:\d+</code>", page)
    symptoms.write_text(saved, encoding="utf-8")  # deleted and re-created
    server.wait_for("/symptoms/", lambda s, b: s == 200 and BANNER not in b, "the re-created page")

    # A folder is renamed: the link to it breaks until index.md follows the rename.
    (en / "living").rename(en / "daily-life")
    status, page = server.wait_for("/", has_banner, "the broken-link banner")
    assert status == 200 and re.search(r"<code>content/en/index\.md:\d+</code>", page)
    edit(en / "index.md", "(living/index.md)", "(daily-life/index.md)")
    server.wait_for("/daily-life/", lambda s, b: s == 200 and BANNER not in b, "the renamed folder")
    assert server.get("/living/")[0] == 404

    # Twenty saves in a row: the server stays up and shows the last one.
    for n in range(20):
        symptoms.write_text(saved.replace("These are the signs most people notice.", f"Save number {n}."),
                            encoding="utf-8")
    status, page = server.wait_for("/symptoms/", lambda s, b: "Save number 19." in b, "the last save")
    assert status == 200 and BANNER not in page

    # An editor saving in two steps: the half file gets a banner, the whole file clears it.
    half, rest = saved.split("reviewed:", 1)
    symptoms.write_text(half, encoding="utf-8")  # the front matter is not closed yet
    status, page = server.wait_for("/symptoms/", has_banner, "the half-file banner")
    assert status == 200 and "Save number 19." in page
    with symptoms.open("a", encoding="utf-8") as f:
        f.write("reviewed:" + rest)
    status, page = server.wait_for("/symptoms/", no_banner, "the completed file")
    assert status == 200 and "signs most people notice" in page

    # Ctrl-C stops it cleanly and removes its work folder.
    events.close()
    assert server.stop(signal.SIGINT) == 0
    assert "Stopped." in server.log()
    assert "Traceback" not in server.errors()
    assert not list((project / "tmp").glob("sitegen-preview-*"))


@pytest.mark.slow
def test_open_pages_reload_only_when_the_file_they_show_changed(project, serve):
    """In Chromium, three open pages: a text edit reloads only its own page; a new title reloads its
    page and the pages whose menu lists it (after the full build)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    assert Path(CHROMIUM).exists(), "Chromium is missing: run bash scripts/setup.sh --test"
    server = serve()
    symptoms = project / "content/en/symptoms.md"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        paths = {"edited": "symptoms/", "menu": "", "elsewhere": "living/"}  # the home page's menu lists symptoms
        tabs, loads = {}, dict.fromkeys(paths, 0)
        for name, path in paths.items():
            tabs[name] = browser.new_page()
            tabs[name].goto(server.url + path)
            tabs[name].on("load", lambda _, name=name: loads.__setitem__(name, loads[name] + 1))

        edit(symptoms, "These are the usual signs.", "These are the signs most people notice.")
        shows(tabs["edited"], "most people notice")
        server.wait_for_log(r"after change to content/en/symptoms\.md: ok \(reload sent \d+ ms")
        tabs["edited"].wait_for_timeout(1000)  # time for other reloads, were any sent (Playwright reports events meanwhile)
        assert loads == {"edited": 1, "menu": 0, "elsewhere": 0}

        edit(symptoms, "title: Signs of a sore knee", "title: Signs of a stiff knee")
        shows(tabs["edited"], "<title>Signs of a stiff knee")
        shows(tabs["menu"], "Signs of a stiff knee")
        tabs["edited"].wait_for_timeout(1000)
        assert loads["edited"] == 2 and loads["menu"] == 1
        browser.close()


def shows(tab, text: str) -> None:
    """Wait until the browser tab's page holds text (read from Python: the site's CSP forbids eval)."""
    deadline = time.monotonic() + WAIT
    while True:
        try:
            if text in tab.content():
                return
        except Exception:  # the tab is reloading right now
            pass
        assert time.monotonic() < deadline, f"the tab never showed {text!r}"
        time.sleep(0.05)


@pytest.mark.slow
def test_content_folder_replaced_while_serving(project, serve):
    server = serve()
    content = project / "content"
    content.rename(project / "content-old")
    status, page = server.wait_for("/", has_banner, "the missing-folder banner")
    assert status == 200 and "the content folder does not exist" in page
    (project / "content-old").rename(content)
    server.wait_for("/", no_banner, "the banner cleared")
    # The watch follows the folder that came back: a later edit still shows.
    edit(content / "en" / "index.md", "A sore knee is common.", "A sore knee is very common.")
    server.wait_for("/", lambda s, b: "very common" in b, "an edit after the folder came back")


@pytest.mark.slow
def test_first_build_failing_then_fixed_and_template_errors(project, serve):
    index = project / "content" / "en" / "index.md"
    edit(index, "order: 1", "order: [1")
    server = serve()
    status, page = server.get("/")
    assert status == 503 and BANNER in page and "no good version" in page
    assert re.search(r"<code>content/en/index\.md:\d+</code>", page)
    edit(index, "order: [1", "order: 1")
    status, page = server.wait_for("/", lambda s, b: s == 200 and BANNER not in b, "the fixed site")
    assert "Sore knees" in page

    # Templates are watched too; a template error names the template.
    template = project / "templates" / "base.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good + "\n{% if %}\n", encoding="utf-8")
    status, page = server.wait_for("/", has_banner, "the template error")
    assert status == 200 and "templates/base.html" in page
    template.write_text(good.replace("</main>", "</main><!-- preview-marker -->", 1), encoding="utf-8")
    server.wait_for("/", lambda s, b: "preview-marker" in b and BANNER not in b, "the fixed template")


@pytest.mark.slow
def test_save_right_after_start_is_not_missed(project, serve):
    server = serve()  # the first build is done; the watch may not have started yet
    edit(project / "content" / "en" / "index.md", "A sore knee is common.", "A sore knee is quite common.")
    server.wait_for("/", lambda s, b: "quite common" in b, "a save made while the server was starting")


def pdf_text(server: Server, path: str) -> str:
    """Return the text of a PDF the server sends (empty when it sends none)."""
    from io import BytesIO

    from pdfminer.high_level import extract_text
    try:
        with urllib.request.urlopen(server.url + path.lstrip("/"), timeout=10) as response:
            data = response.read()
    except urllib.error.HTTPError:
        return ""
    return " ".join(extract_text(BytesIO(data)).split()) if data.startswith(b"%PDF") else ""


@pytest.mark.slow
def test_handout_links_in_the_preview_open_the_handout_as_saved(project, serve):
    server = serve("--handouts")  # the default; the other tests here turn it off
    status, page = server.get("/symptoms/")
    link = re.search(r'<a href="([^"]+\.pdf)" type="application/pdf">', page)
    assert status == 200 and link, page[:2000]
    assert "sore knee" in pdf_text(server, "/symptoms/" + link.group(1)).lower()
    edit(project / "content" / "en" / "symptoms.md", "## ", "A new line for the handout.\n\n## ")
    deadline = time.monotonic() + WAIT
    while "new line for the handout" not in pdf_text(server, "/symptoms/" + link.group(1)):
        assert time.monotonic() < deadline, f"the handout never showed the save:\n{server.log()}\n{server.errors()}"
        time.sleep(0.1)


@pytest.mark.slow
def test_without_handouts_the_preview_shows_no_link_to_them(project, serve):
    server = serve()  # --no-handouts
    status, page = server.get("/symptoms/")
    assert status == 200 and "Signs of a sore knee" in page
    assert 'type="application/pdf"' not in page


@pytest.mark.slow
def test_search_index_comes_after_the_page(project, serve):
    pytest.importorskip("pagefind")
    server = serve()
    server.wait_for("/pagefind/pagefind.js", lambda s, b: s == 200, "the search index")
    assert "search index not built" not in server.errors()


@pytest.mark.slow
def test_port_in_use_is_a_clear_error(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
                                 "--content", "content"], cwd=project, capture_output=True, text=True,
                                timeout=60)
    assert result.returncode == 1
    assert f"port {port} is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_content_folder_is_a_clear_error(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--content", "nowhere"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "the content folder nowhere does not exist" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_sigterm_stops_cleanly(project, serve):
    server = serve()
    assert server.get("/")[0] == 200
    assert server.stop(signal.SIGTERM) == 0
    assert "Traceback" not in server.errors()


# --- The pieces, without a server ---

def test_locate_stays_inside_the_build(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("a")
    (tmp_path / "secret.txt").write_text("s")
    root = tmp_path / "a"
    assert locate(tmp_path, "/a/") == (root / "index.html", None)
    assert locate(tmp_path, "/a") == (None, "/a/")
    assert locate(root, "/../secret.txt") == (None, None)
    assert locate(root, "/%2e%2e/secret.txt".replace("%2e", ".")) == (None, None)
    assert locate(root, "/nothing.html") == (None, None)


def test_banner_escapes_messages_and_keeps_the_page():
    problem = Diagnostic("content/en/a.md", 4, "yaml", "bad <script>alert(1)</script>", "fix & save")
    page = "<html><head><title>t</title></head><body class=x><p>old</p></body></html>"
    shown = decorate(page, Snapshot(Path("."), (problem,), 7))
    assert "<script>alert" not in shown
    assert "bad &lt;script&gt;" in shown and "fix &amp; save" in shown
    assert shown.index('<script src="/__livereload.js" data-build="7"') < shown.index("</head>")
    assert shown.index("<body class=x>") < shown.index(BANNER) < shown.index("<p>old</p>")
    assert "<code>content/en/a.md:4</code>" in banner(Snapshot(Path("."), (problem,), 7))
    assert BANNER not in decorate(page, Snapshot(Path("."), (), 8))
