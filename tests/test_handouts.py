"""The PDF handouts: built from the fixture site, then opened and read like a reader would."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from sitegen import handouts
from sitegen.pipeline import BuildOptions, build

from conftest import FIXTURES, ROOT, write_tree

TODAY = dt.date(2026, 3, 1)
BASE = "https://knees.example.org/guides/"
LETTER, A4 = (612, 792), (595, 842)
SINGLE = ["overview.pdf", "symptoms/symptoms.pdf", "help/help.pdf", "living/living.pdf"]
LARGE = [p.replace(".pdf", "-large-print.pdf") for p in SINGLE]
PACKETS = ["overview-packet.pdf", "living/living-packet.pdf"]
ALL = SINGLE + LARGE + PACKETS + [p.replace(".pdf", "-large-print.pdf") for p in PACKETS]


def run(content: Path, out: Path, cache: Path | None, **options):
    """Build in-process (so the build's stats can be read) and return the result."""
    result = build(BuildOptions(content, out, ROOT / "templates", today=TODAY, cache_dir=cache, **options))
    assert result.published, [d.format() for d in result.report.items]
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture site with its handouts, built once with a fresh cache."""
    root = tmp_path_factory.mktemp("handouts")
    start = time.perf_counter()
    result = run(FIXTURES / "basic", root / "site", root / "cache")
    return {"out": root / "site", "cache": root / "cache", "result": result,
            "stats": dict(result.ctx.stats), "seconds": time.perf_counter() - start}


def text_of(pdf: Path) -> str:
    from pdfminer.high_level import extract_text
    return re.sub(r"\s+", " ", extract_text(str(pdf)))


def font_sizes(pdf: Path) -> set[float]:
    """Return the size of every glyph on every page, in points."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    sizes = set()
    for page in extract_pages(str(pdf)):
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    sizes.update(round(c.size, 1) for c in line if isinstance(c, LTChar))
    return sizes


@pytest.mark.slow
def test_every_handout_and_packet_is_written_beside_its_page(built):
    out = built["out"]
    for rel in ALL:
        assert (out / rel).read_bytes().startswith(b"%PDF-"), rel
    assert not (out / "glossary" / "glossary.pdf").exists()  # handout: false
    assert built["stats"]["pdfs_rendered"] == len(ALL)


@pytest.mark.slow
def test_single_handouts_fit_on_two_letter_pages(built):
    for rel in SINGLE:
        reader = PdfReader(built["out"] / rel)
        assert 1 <= len(reader.pages) <= 2, rel
        for page in reader.pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == LETTER
    assert not [d for d in built["result"].report.warnings if d.code == "handout.length"]


@pytest.mark.slow
def test_handout_shows_title_clinic_review_and_print_date(built):
    symptoms = text_of(built["out"] / "symptoms/symptoms.pdf")
    assert "Signs of a sore knee" in symptoms
    assert "Test Joint Clinic" in symptoms and "555-0111" in symptoms and "555-0122" in symptoms
    assert "1 Test Road, Testville" in symptoms
    assert "Reviewed on January 15, 2026 by Test Reviewer, RN." in symptoms
    assert "Printed from knees.example.org on March 1, 2026." in symptoms
    assert "Questions for my care team" in symptoms
    assert "Page 1 of" in symptoms
    assert "Knee pain, Example Health Service (health.example.org)" in symptoms  # sources by their website
    assert "health.example.org/knee-pain" not in symptoms  # the page online links to each in full
    assert "knees.example.org/guides/symptoms/" in symptoms  # the short URL beside the QR code
    assert "Urgent" in symptoms and "Non-urgent" in symptoms  # care cards say how urgent in words
    overview = text_of(built["out"] / "overview.pdf")
    assert "A clinician has not yet reviewed this page." in overview
    assert "Reviewed on" not in overview
    assert "What the words mean" in overview and "A stretched or torn muscle or tendon." in overview


@pytest.mark.slow
def test_pdf_is_tagged_with_title_language_and_embedded_fonts(built):
    reader = PdfReader(built["out"] / "symptoms/symptoms.pdf")
    root = reader.trailer["/Root"]
    assert reader.metadata.title == "Signs of a sore knee"
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata["/CreationDate"].startswith("D:20260301")
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[font["/BaseFont"]] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVu" in name for name in fonts)


@pytest.mark.slow
def test_smallest_text_is_12_pt_and_18_pt_in_large_print(built):
    # Every glyph counts, the footer's "Page 1 of 2" too.
    for rel in SINGLE + PACKETS:
        assert min(font_sizes(built["out"] / rel)) >= 12, rel
    for rel in LARGE:
        assert min(font_sizes(built["out"] / rel)) >= 18, rel


@pytest.mark.slow
def test_qr_code_encodes_the_page_url_and_is_at_least_2_cm(built, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is needed to rasterise the PDF")
    dpi = 150
    for rel, url in [("symptoms/symptoms.pdf", BASE + "symptoms/"), ("overview-large-print.pdf", BASE),
                     ("living/living-packet.pdf", BASE + "living/")]:
        prefix = tmp_path / rel.replace("/", "-")
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", built["out"] / rel, prefix], check=True)
        image = Image.open(next(tmp_path.glob(prefix.name + "*.png")))
        codes = zxingcpp.read_barcodes(image, try_invert=False, try_rotate=False)  # dark on light, upright, as printed
        assert [c.text for c in codes] == [url], rel
        corners = codes[0].position
        width_cm = (corners.top_right.x - corners.top_left.x) / dpi * 2.54
        assert width_cm >= 2.0, (rel, width_cm)


@pytest.mark.slow
def test_web_pages_link_to_their_handouts_and_the_handouts_page(built):
    out = built["out"]
    page = (out / "symptoms/index.html").read_text()
    assert 'href="symptoms.pdf"' in page and "Print handout (PDF)" in page
    assert 'href="symptoms-large-print.pdf"' in page and "Large print (PDF)" in page
    assert 'href="../handouts/index.html"' in page
    assert "symptoms.pdf" not in (out / "glossary/index.html").read_text()  # handout: false
    listing = (out / "handouts/index.html").read_text()
    for rel in ALL:
        assert f'href="../{rel}"' in listing, rel
    size = round((out / "symptoms/symptoms.pdf").stat().st_size / 1024)
    pages = len(PdfReader(out / "symptoms/symptoms.pdf").pages)
    assert f"PDF, {pages}\u00a0page{'s' * (pages != 1)}, {size}\u00a0KB" in listing


@pytest.mark.slow
def test_same_content_gives_the_same_bytes_and_a_rebuild_renders_nothing(built, tmp_path, monkeypatch):
    # A fresh render, without the cache, in another time zone, a little later: same bytes.
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        run(FIXTURES / "basic", tmp_path / "fresh", None)
    finally:
        monkeypatch.undo()
        time.tzset()
    for rel in ALL:
        assert (tmp_path / "fresh" / rel).read_bytes() == (built["out"] / rel).read_bytes(), rel
    # The cache of the first build: nothing is rendered, and the bytes are the same again.
    start = time.perf_counter()
    stats = run(FIXTURES / "basic", tmp_path / "cached", built["cache"]).ctx.stats
    cached_seconds = time.perf_counter() - start
    assert stats["pdfs_rendered"] == 0 and stats["pdfs_cached"] == len(ALL)
    for rel in ALL:
        assert (tmp_path / "cached" / rel).read_bytes() == (built["out"] / rel).read_bytes(), rel
    assert cached_seconds < built["seconds"]


@pytest.mark.slow
def test_a_changed_page_renders_only_its_own_pdfs(built, basic_content, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(built["cache"], cache)
    symptoms = basic_content / "en" / "symptoms.md"
    symptoms.write_text(symptoms.read_text().replace("These are the usual signs.", "These are the common signs."))
    stats = run(basic_content, tmp_path / "site", cache).ctx.stats
    # Its handout, its large print and the two editions of the packet that holds it.
    assert stats["pdfs_rendered"] == 4
    assert "These are the common signs." in text_of(tmp_path / "site/symptoms/symptoms.pdf")


@pytest.mark.slow
def test_a4_paper_and_a_warning_for_a_long_handout(basic_content, tmp_path):
    site_yml = basic_content / "site.yml"
    site_yml.write_text(site_yml.read_text() + "paper: a4\n")
    body = "\n\n".join(f"## Question {n}?\n\n" + "Rest the knee and keep it raised for a while. " * 12 for n in range(12))
    write_tree(basic_content, {"en/long.md": "---\ntitle: A long page\ndescription: Too long to print on one sheet.\n"
                               "sources:\n  - title: Knee pain\n    publisher: Example Health Service\n"
                               "    url: https://health.example.org/knee-pain\n---\n" + body + "\n"})
    result = run(basic_content, tmp_path / "site", tmp_path / "cache")
    page = PdfReader(tmp_path / "site/symptoms/symptoms.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4
    warnings = [d for d in result.report.warnings if d.code == "handout.length"]
    assert [Path(d.path).as_posix().endswith("en/long.md") for d in warnings] == [True]  # names the source file
    assert warnings[0].severity == "warning" and "long/long.pdf" in warnings[0].message
    assert "Paper size: A4" in (tmp_path / "site/handouts/index.html").read_text()


def test_no_handouts_option_writes_no_pdf_and_no_links(tmp_path):
    run(FIXTURES / "basic", tmp_path / "site", tmp_path / "cache", handouts=False)
    assert not list((tmp_path / "site").rglob("*.pdf"))
    assert not (tmp_path / "site/handouts").exists()
    page = (tmp_path / "site/symptoms/index.html").read_text()
    assert ".pdf" not in page and "handouts/" not in page


def test_cache_forgets_pdfs_no_build_used_for_a_month(tmp_path):
    import os

    cache = handouts.PdfCache(tmp_path)
    cache.put("old", b"%PDF-old", 1, [])
    cache.put("new", b"%PDF-new", 2, ["a warning"])
    month_ago = time.time() - 31 * 86400
    os.utime(tmp_path / "old.json", (month_ago, month_ago))
    cache.prune()
    assert cache.get("old") is None and not (tmp_path / "old.pdf").exists()
    assert cache.get("new") == (b"%PDF-new", 2, ["a warning"])


WITH_THREADS_AND_TYPST = """
import sys, threading, time, typst
from pathlib import Path
from sitegen.pipeline import BuildOptions, build
typst.compile(b"= Hello", format="pdf")  # Typst used in this process: its threads do not survive a fork
threading.Thread(target=time.sleep, args=(600,), daemon=True).start()  # as serve's server threads
content, out, templates = map(Path, sys.argv[1:])
result = build(BuildOptions(content, out, templates, cache_dir=out.parent / "cache"))
print("published" if result.published else "failed")
"""


@pytest.mark.slow
def test_handouts_print_from_a_process_with_threads_that_has_used_typst(tmp_path):
    """A forked worker hung for ever there (CI stopped at this file): the workers are spawned then."""
    out = tmp_path / "site"
    done = subprocess.run([sys.executable, "-c", WITH_THREADS_AND_TYPST, str(FIXTURES / "basic"), str(out),
                           str(ROOT / "templates")], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.stdout.strip() == "published", done.stderr
    assert (out / "overview.pdf").read_bytes().startswith(b"%PDF-")


def indexed_urls(out: Path) -> set[str]:
    """Return the URL of every page in the Pagefind index (its fragments: gzip, a header, then JSON)."""
    import gzip
    import json

    urls = set()
    for fragment in (out / "pagefind/fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[data.index(b"{"):])["url"])
    return urls


@pytest.mark.slow
def test_pagefind_beside_the_pdfs_indexes_only_this_builds_pages_and_keeps_unchanged_pdfs(
        built, basic_content, tmp_path, monkeypatch):
    """Pagefind reads the staging folder while the PDFs are made: the last build's pages that this one
    did not write must be gone by then, and its PDFs that this one will write again must stay."""
    from conftest import tree_digest
    from sitegen.write import Staging

    out, cache = tmp_path / "site", tmp_path / "cache"
    shutil.copytree(built["cache"], cache)
    for _ in range(2):  # the second build fills the spare folder, which the third keeps from
        run(basic_content, out, cache)
    written = []
    real_write = Staging.write_file
    monkeypatch.setattr(Staging, "write_file", lambda self, rel, data: written.append(rel) or real_write(self, rel, data))
    run(basic_content, out, cache)
    assert [rel for rel in written if rel.endswith((".pdf", ".html"))] == [], "nothing changed, nothing written"

    extra = basic_content / "en/extra.md"
    extra.write_text((basic_content / "en/symptoms.md").read_text().replace("title: Signs of a sore knee",
                                                                             "title: Another sore knee"))
    for _ in range(2):
        run(basic_content, out, cache)  # the page is in both folders: the site and the spare
    assert "/extra/" in indexed_urls(out)
    extra.unlink()
    run(basic_content, out, cache)  # the spare still holds the page when Pagefind runs
    assert "/extra/" not in indexed_urls(out) and "/symptoms/" in indexed_urls(out), "a deleted page is still found"
    clean = tmp_path / "clean"
    run(basic_content, clean, cache)
    assert tree_digest(out) == tree_digest(clean)


def test_pagefind_runs_beside_the_pdfs_only_on_a_small_site(tmp_path, monkeypatch):
    """Beside the PDF workers, Pagefind's memory adds to theirs: on a big site it is done before they start."""
    import sitegen.outputs
    import sitegen.search
    from conftest import tree_digest
    from sitegen.paths import SEARCH_INDEX

    started, seen = [], []
    real_pagefind, real_make = sitegen.search.Pagefind, handouts.make_pdfs

    def pagefind(*args):
        started.append(real_pagefind(*args))
        return started[-1]

    def make_pdfs(jobs, design, w):  # what the handouts find when they start
        seen.append((SEARCH_INDEX in w.beside, started[-1].process.poll() is not None))
        return real_make(jobs, design, w)

    monkeypatch.setattr(sitegen.search, "Pagefind", pagefind)
    monkeypatch.setattr(handouts, "make_pdfs", make_pdfs)
    sites = []
    for most in (sitegen.outputs.BESIDE_PDFS_PAGES, 0):  # the fixture's few pages: a small site, then a "big" one
        monkeypatch.setattr(sitegen.outputs, "BESIDE_PDFS_PAGES", most)
        sites.append(tmp_path / f"site-{most}")
        result = build(BuildOptions(FIXTURES / "basic", sites[-1], ROOT / "templates", today=TODAY,
                                    cache_dir=tmp_path / f"cache-{most}"))
        assert result.published, result.report.errors
    assert seen[0][0] is True, "on a small site Pagefind runs while the PDFs are made"
    assert seen[1] == (False, True), "on a big site Pagefind is done before the PDFs start"
    assert tree_digest(sites[0]) == tree_digest(sites[1])  # the same site either way


def test_a_failed_handout_stops_pagefind_and_leaves_the_site_as_it_was(basic_built, tmp_path, monkeypatch):
    import sitegen.search
    from sitegen.diagnostics import ContentError, Diagnostic
    from conftest import tree_digest

    out = tmp_path / "site"
    shutil.copytree(basic_built, out)
    before = tree_digest(out)
    started = []
    real_pagefind = sitegen.search.Pagefind

    def pagefind(*args):
        started.append(real_pagefind(*args))
        return started[-1]

    def fail(jobs, design, w):
        raise ContentError(Diagnostic("en/symptoms.md", None, "handout.render", "the handout could not be made", "hint"))

    monkeypatch.setattr(sitegen.search, "Pagefind", pagefind)
    monkeypatch.setattr(handouts, "make_pdfs", fail)
    result = build(BuildOptions(FIXTURES / "basic", out, ROOT / "templates", today=TODAY, cache_dir=tmp_path / "cache"))
    assert not result.published and [d.code for d in result.report.errors] == ["handout.render"]
    assert len(started) == 1 and started[0].process.poll() is not None, "Pagefind is left running"
    assert tree_digest(out) == before


def test_a_character_the_handout_font_lacks_is_named_at_its_line(tmp_path):
    """An emoji shows on the web page, but the handouts' font has none: the editor is told where it is."""
    from conftest import run_build

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    page = content / "en/symptoms.md"
    lines = page.read_text().splitlines()
    lines.insert(len(lines) - 1, "Bring your \N{PILL} list.")  # in the body, before its last line
    page.write_text("\n".join(lines) + "\n")
    result = run_build("--content", str(content), "--out", str(tmp_path / "site"), "--no-search", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (f'content/en/symptoms.md:{len(lines) - 1}: error[handout.glyph]: the handouts cannot print "\N{PILL}" '
            "(U+1F48A PILL): their font, DejaVu Sans, does not have it") in result.stderr
    assert "--no-handouts" in result.stderr and "report this to the developers" not in result.stderr
    assert not (tmp_path / "site").exists()
