"""Handouts as paper: one sheet each, nothing split, nothing small, no page for nothing.

Checked on the bundled site (Letter), today and on the date that prints longest (the "Printed on" line
has room for any), and on the site `init` starts for another clinic (printed on A4).
Everything here is read from the PDFs themselves (pdfminer), not from the HTML they were made from.
"""

from __future__ import annotations

import functools
import html
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTCurve, LTTextContainer, LTTextLine

from conftest import ROOT, edit, page_source, run_build

pytestmark = pytest.mark.slow

FOOTER_PT = 60  # the footer's band at the bottom of a page (title, page number, printed line)
BOTTOM_MM = {False: 15, True: 19}  # the bottom margins of templates/handout.typ: the footer is below it
QUARTER = 0.25
LONGEST_DATE = "1790769600"  # 30 September 2026, 30 de septiembre de 2026: the longest dates printed


@pytest.fixture(scope="module", params=["bundled", "bundled-longest-date", "starter-a4"])
def site(request, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp(request.param)
    out, content = root / "site", ROOT / "content"
    if request.param == "starter-a4":
        made = run_build("init", "clinic", "--languages", "en,es", "--title", "Lymphedema care",
                         "--title", "es=Cuidado del linfedema", "--clinic-name", "Lakeside Clinic",
                         "--phone", "555-0140", "--after-hours-phone", "555-0149", "--emergency-number", "911",
                         cwd=root, stdin=subprocess.DEVNULL)
        assert made.returncode == 0, made.stderr
        content = root / "clinic" / "content"
        edit(content / "site.yml", "paper: letter", "paper: a4")
    env = {"SOURCE_DATE_EPOCH": LONGEST_DATE} if request.param == "bundled-longest-date" else None
    result = run_build("--content", str(content), "--out", str(out), "--no-search", "--cache-dir", str(root / "cache"),
                       env=env)
    assert result.returncode == 0, result.stderr
    assert "warning[handout" not in result.stderr, result.stderr
    return out


def pdfs(site: Path) -> list[Path]:
    return sorted(site.rglob("*.pdf"))


def standard_page_handouts(site: Path) -> list[Path]:
    return [p for p in pdfs(site) if "large-print" not in p.name and "-packet" not in p.name]


@functools.cache
def pages(pdf: Path) -> list[dict]:
    """Return each page's glyph sizes, its text in reading order, and how far down its content goes."""
    found = []
    for layout in extract_pages(str(pdf)):
        sizes, text, glyphs, lowest, bottom = [], [], [], layout.height, layout.height
        for item in layout:
            if isinstance(item, LTTextContainer):
                text.append(item.get_text())
                chars = [c for line in item for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                sizes += [round(c.size, 1) for c in chars]
                glyphs += chars
                bottom = min([bottom] + [c.y0 for c in chars])
            if item.y0 > FOOTER_PT and isinstance(item, (LTTextContainer, LTCurve)):
                lowest = min(lowest, item.y0)
        found.append({"paper": (round(layout.width), round(layout.height)), "sizes": sizes, "text": " ".join(text),
                      "filled": (layout.height - lowest) / layout.height, "overprinted": overprinted(glyphs),
                      "bottom": bottom})
    return found


def overprinted(glyphs: list[LTChar]) -> list[str]:
    """Return the pairs of letters printed over each other (a word wider than its table column runs
    into the next cell), as "ab": glyphs side by side share at most a kerned sliver of their boxes."""
    found, glyphs = [], sorted(glyphs, key=lambda c: c.x0)
    for n, a in enumerate(glyphs):
        for b in glyphs[n + 1:]:
            if b.x0 > a.x1 - 0.25 * min(a.size, b.size):  # kerning ("Te") overlaps a little
                break
            if min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5 * min(a.height, b.height):
                found.append(a.get_text() + b.get_text())
    return found


def words(text: str) -> str:
    return re.sub(r"[\W\d_]+", "", text).lower()


def test_every_handout_is_on_the_sites_paper(site):
    paper = (595, 842) if "starter-a4" in str(site) else (612, 792)
    for pdf in pdfs(site):
        assert {page["paper"] for page in pages(pdf)} == {paper}, pdf.relative_to(site)


def test_every_page_handout_fits_one_sheet(site):
    assert len(standard_page_handouts(site)) >= 4
    for pdf in standard_page_handouts(site):
        assert len(pages(pdf)) <= 2, f"{pdf.relative_to(site)} is {len(pages(pdf))} pages"


def test_no_handout_ends_on_a_page_less_than_a_quarter_full(site):
    for pdf in pdfs(site):
        last = pages(pdf)[-1]
        assert last["filled"] >= QUARTER, f"{pdf.relative_to(site)}: its last page is {last['filled']:.0%} full"


def test_nothing_prints_smaller_than_12_pt_or_18_pt_in_large_print(site):
    for pdf in pdfs(site):
        floor = 18 if "large-print" in pdf.name else 12
        small = {size for page in pages(pdf) for size in page["sizes"] if size < floor - 0.05}
        assert not small, f"{pdf.relative_to(site)} has text at {sorted(small)} pt"


def test_no_letter_prints_over_another(site):
    for pdf in pdfs(site):
        for number, page in enumerate(pages(pdf), 1):
            assert not page["overprinted"], f"{pdf.relative_to(site)} page {number}: {page['overprinted'][:10]}"


def test_no_text_runs_off_the_bottom_of_a_page(site):
    for pdf in pdfs(site):
        assert min(page["bottom"] for page in pages(pdf)) >= 0, pdf.relative_to(site)


def test_a_title_too_long_for_the_footer_is_cut_there_after_a_word(tmp_path, basic_content):
    """In large print a long title took three lines of the footer, and the last ran off the page."""
    title = "What to do at home after your first radiation treatment for pain in the bones of your back"
    (basic_content / "en/home-care.md").write_text(page_source(title, "Rest at home.\n"))
    result = run_build("--content", str(basic_content), "--out", str(tmp_path / "site"), "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for pdf in (tmp_path / "site/home-care/home-care.pdf", tmp_path / "site/home-care/home-care-large-print.pdf"):
        assert min(page["bottom"] for page in pages(pdf)) >= 0, pdf.name
        footer = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        lines = [line.strip() for line in footer.splitlines() if re.search(r"Page \d+ of \d+$", line)]
        assert lines and all(re.fullmatch(r"What to do at home after( \w+)+ … +Page \d+ of \d+", line) for line in lines), lines


def test_no_sentence_ends_in_two_full_stops(site):
    """A publisher's name ends in one ("... de los EE. UU."): the line it ends must not add another."""
    for pdf in pdfs(site):
        for page in pages(pdf):
            # A packet's contents list leads each title to its page number with dots: two, for a long title.
            doubled = re.search(r"\S*(?<!\.)\.\.(?![.\d]| \d)", page["text"])
            assert doubled is None, f"{pdf.relative_to(site)}: {doubled.group(0)!r}"


def test_nothing_runs_past_the_bottom_margin_into_the_footer(site):
    """A block taller than the room left must move or break, never run on over the footer (or off the page)."""
    for pdf in pdfs(site):
        bottom = BOTTOM_MM["large-print" in pdf.name] * 72 / 25.4
        for n, layout in enumerate(extract_pages(str(pdf)), 1):
            lines = [line for box in layout if isinstance(box, LTTextContainer) for line in box
                     if isinstance(line, LTTextLine)]
            across = [line.get_text().strip() for line in lines if line.y0 < bottom - 2 and line.y1 > bottom + 2]
            assert not across, f"{pdf.relative_to(site)}, page {n}: {across[0]!r} runs into the footer"


def test_no_care_card_or_numbered_list_is_split_across_pages(site):
    for pdf in pdfs(site):
        texts = [words(page["text"]) for page in pages(pdf)]
        for first, last in blocks_of(site, pdf):
            start = next((i for i, t in enumerate(texts) if words(first) in t), None)
            assert start is not None, f"{pdf.relative_to(site)}: cannot find {first!r}"
            assert words(last) in texts[start], f"{pdf.relative_to(site)}: split after {first!r}"


def blocks_of(site: Path, pdf: Path) -> list[tuple[str, str]]:
    """Return (first words, last words) of each care card and numbered list on the PDF's web page."""
    page = pdf.parent / "index.html"
    if not page.is_file() or "-packet" in pdf.name:
        return []
    body = page.read_text(encoding="utf-8")
    body = body[body.index('<div class="content">'):body.index('<section class="page-sources"')]
    body = re.sub(r'<span class="term-def".*?</span>|<span class="visually-hidden">.*?</span>', "", body, flags=re.S)
    found = []
    for match in re.finditer(r'<div class="care-card[^"]*">(.*?)</div>|<ol>(.*?)</ol>', body, re.S):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1) or match.group(2))).split())
        found.append((" ".join(text.split()[:6]), " ".join(text.split()[-4:])))  # with the level: unique
    return found


def test_the_checks_can_fail(tmp_path):
    """The same checks on a page too long for one sheet, with a list near a page break, find it."""
    body = "\n\n".join(f"## Question {n}?\n\n" + "Rest the knee and keep it raised for a while. " * 14
                       for n in range(9))
    content = tmp_path / "content"
    import shutil
    shutil.copytree(ROOT / "tests/fixtures/basic", content)
    page = content / "en/long.md"
    page.write_text("---\ntitle: Long\ndescription: A long page.\nsources:\n  - title: K\n    publisher: E\n"
                    "    url: https://e.example.org/k\n---\nA long page.\n\n" + body
                    + "\n\n1. First step to take.\n2. Second step to take.\n3. Third step to take.\n")
    out = tmp_path / "site"
    result = run_build("--content", str(content), "--out", str(out), "--no-search", cwd=tmp_path)
    assert "warning[handout.length]" in result.stderr
    assert len(pages(out / "long/long.pdf")) > 2


def visible_body_text(pdf: Path) -> str:
    """The text printed on the pages above the footer: a PDF also holds what runs off its page."""
    bottom = BOTTOM_MM["large-print" in pdf.name] * 72 / 25.4
    return " ".join(line.get_text().strip() for layout in extract_pages(str(pdf)) for box in layout
                    if isinstance(box, LTTextContainer) for line in box
                    if isinstance(line, LTTextLine) and line.y0 >= bottom - 2 and line.y1 <= layout.height)


def test_a_table_or_list_taller_than_a_page_breaks_and_loses_nothing(tmp_path):
    """Kept together where it fits, but a block taller than a whole page must break: never be cut off."""
    import shutil
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests/fixtures/basic", content)
    rows = "\n".join(f"| Scan {n} | About an hour, lying still on a table while it runs |" for n in range(60))
    steps = "\n".join(f"{n}. Step number {n} of the long list." for n in range(1, 46))
    (content / "en/long.md").write_text(
        "---\ntitle: Long\ndescription: A long page.\nsources:\n  - title: K\n    publisher: E\n"
        "    url: https://e.example.org/k\n---\nA long page.\n\n| Scan | How long |\n| --- | --- |\n" + rows
        + "\n\nThen:\n\n" + steps + "\n")
    out = tmp_path / "site"
    result = run_build("--content", str(content), "--out", str(out), "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for pdf in (out / "long/long.pdf", out / "long/long-large-print.pdf"):
        text = visible_body_text(pdf)
        missing = [n for n in range(60) if not re.search(rf"\bScan {n}\b", text)]
        assert not missing, f"{pdf.name} lost rows {missing}"
        missing = [n for n in range(1, 46) if f"Step number {n} of the long list." not in text]
        assert not missing, f"{pdf.name} lost steps {missing}"


def test_a_card_or_numbered_list_taller_than_a_page_prints_whole_and_is_named_at_its_line(tmp_path):
    """Neither may be split, so one that cannot fit a page is printed across two and the editor told,
    at the line that asks for it (the card: its `!!! signs` line, not the page's first)."""
    import shutil
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests/fixtures/basic", content)
    signs = "".join(f"      - id: long-{n}\n        level: urgent\n        says: Sign number {n} that needs a call\n"
                    for n in range(30))
    edit(content / "en/warning-signs.yml", "    signs:\n", "    signs:\n" + signs)
    head = "---\ntitle: {0}\ndescription: A long {0}.\nsources:\n  - title: K\n    publisher: E\n    url: https://e.example.org/k\n---\n"
    (content / "en/card.md").write_text(head.format("Card") + "A long card.\n\n!!! signs bent-knee\n\nThen:\n\n!!! signs "
                                        + " ".join(f"long-{n}" for n in range(30)) + "\n")
    steps = ['Take the "blue" pill from C:\\temp, then wait.'] + [f"Step number {n} of the long list." for n in range(2, 46)]
    (content / "en/steps.md").write_text(head.format("Steps") + "A long list.\n\n"
                                         + "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1)) + "\n\nAnd then:\n\n"
                                         + "\n".join(f"{n}. Step {n} of the second list." for n in range(1, 46)) + "\n")
    out = tmp_path / "site"
    result = run_build("--content", str(content), "--out", str(out), "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("content/en/card.md:15: warning[handout.split]: in card/card-large-print.pdf, the care card "
            '"Call your care team today if you have:" is taller than a page, so it is printed across two pages') in result.stderr
    assert ("content/en/steps.md:11: warning[handout.split]: in steps/steps-large-print.pdf, the numbered list that "
            'starts "Take the "blue" pill from C:\\temp, then wait." is taller than a page') in result.stderr
    assert ("content/en/steps.md:59: warning[handout.split]: in steps/steps-large-print.pdf, the numbered list that "
            'starts "Step 1 of the second list." is taller than a page') in result.stderr  # each is named
    assert "warning[handout.split]: in card/card.pdf" not in result.stderr  # 12 pt: it fits a page, and is kept on one
    assert "-packet" not in "".join(line for line in result.stderr.splitlines() if "handout.split" in line)
    text = visible_body_text(out / "card/card-large-print.pdf")
    assert all(f"Sign number {n} that needs a call" in text for n in range(30)), "nothing is lost"
    assert len(pages(out / "card/card-large-print.pdf")) >= 2
    # Printed whole on each page it takes: no page lists signs without the card's heading and what to do.
    split = [" ".join(page["text"].split()) for page in pages(out / "card/card-large-print.pdf")
             if "that needs a call" in page["text"]]
    assert len(split) >= 2
    for n, text in enumerate(split, 1):
        assert "Call your care team today if you have:" in text and "Call your care team today: 555-0122." in text, (n, text)


def test_a_sites_own_design_from_before_cards_were_named_still_prints_them(tmp_path):
    """A handout.typ copied (theme --copy) before keep() took what: is not given it."""
    import shutil
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests/fixtures/basic", content)
    (tmp_path / "templates").mkdir()
    design = (ROOT / "templates/handout.typ").read_text(encoding="utf-8")
    (tmp_path / "templates/handout.typ").write_text(design.replace("what", "named"), encoding="utf-8")
    (content / "en/steps.md").write_text("---\ntitle: Steps\ndescription: A long list.\nsources:\n  - title: K\n"
                                         "    publisher: E\n    url: https://e.example.org/k\n---\nA long list.\n\n"
                                         + "\n".join(f"{n}. Step number {n} of the long list." for n in range(1, 46)) + "\n")
    result = run_build("--content", str(content), "--out", str(tmp_path / "site"), "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Step number 45 of the long list." in visible_body_text(tmp_path / "site/steps/steps-large-print.pdf")


def test_a_photo_taller_than_a_page_stays_on_the_page(tmp_path):
    """A photo's height is known only once Typst lays it out: it is measured, never left to run off."""
    import shutil
    from pdfminer.layout import LTFigure, LTImage
    from PIL import Image

    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests/fixtures/basic", content)
    Image.new("RGB", (200, 2400), "gray").save(content / "en/images/tall.png")  # 12 times as tall as wide
    (content / "en/photo.md").write_text(
        "---\ntitle: Photo\ndescription: A tall photo.\nsources:\n  - title: K\n    publisher: E\n"
        "    url: https://e.example.org/k\n---\nA tall photo.\n\n![A tall grey strip](images/tall.png)\n")
    result = run_build("--content", str(content), "--out", str(tmp_path / "site"), "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for pdf in (tmp_path / "site/photo/photo.pdf", tmp_path / "site/photo/photo-large-print.pdf"):
        bottom = BOTTOM_MM["large-print" in pdf.name] * 72 / 25.4
        images = [item for layout in extract_pages(str(pdf)) for box in layout if isinstance(box, LTFigure)
                  for item in box if isinstance(item, LTImage)] or \
                 [box for layout in extract_pages(str(pdf)) for box in layout if isinstance(box, (LTFigure, LTImage))]
        assert images, pdf.name
        assert all(image.y0 >= bottom - 2 for image in images), f"{pdf.name}: the photo runs into the footer"


def test_code_superscripts_and_footnotes_print_at_body_size_and_without_screen_links(tmp_path, basic_content):
    """Typst sets code at 0.8 em and super- and subscripts smaller still: 9.6 and 8.4 pt, where a
    handout promises 12 (18 in large print). A footnote's ↩ back to the text is a link paper cannot follow."""
    (basic_content / "en/small.md").write_text(page_source("Small", "Water is H<sub>2</sub>O and a square is x<sup>2</sup>. "
                                                           "Type `ice` in the box.[^1]\n\n```\nrest 20 minutes\n```\n\n"
                                                           "[^1]: Ice for the knee.\n"))
    result = run_build("--content", str(basic_content), "--out", str(tmp_path / "site"), "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for pdf in (tmp_path / "site/small/small.pdf", tmp_path / "site/small/small-large-print.pdf"):
        floor = 18 if "large-print" in pdf.name else 12
        small = {size for page in pages(pdf) for size in page["sizes"] if size < floor - 0.05}
        assert not small, f"{pdf.name} has text at {sorted(small)} pt"
        text = " ".join(page["text"] for page in pages(pdf))
        assert all(words in text for words in ("ice", "rest 20 minutes", "Ice for the knee.")), text
        assert "↩" not in text


def test_a_table_with_long_words_or_many_columns_breaks_its_words_rather_than_print_them_over_the_next_cell(
        tmp_path, basic_content):
    (basic_content / "en/tables.md").write_text(page_source("Tables",
        "Two tables.\n\n| Medicine | What it does | How often | Side effects |\n| --- | --- | --- | --- |\n"
        "| Bisphosphonates | Strengthens bones | Every four weeks | Tiredness |\n\n"
        "| Test | Hypercalcemia | Radiofrequency | Electrocardiogram | Immunohistochemistry |\n"
        "| --- | --- | --- | --- | --- |\n| A | B | C | D | E |\n"))
    result = run_build("--content", str(basic_content), "--out", str(tmp_path / "site"), "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for pdf in (tmp_path / "site/tables/tables.pdf", tmp_path / "site/tables/tables-large-print.pdf"):
        assert [page["overprinted"] for page in pages(pdf)] == [[]] * len(pages(pdf)), pdf.name
        # A word broken at a hyphen is read back in pieces, maybe between other cells': count its letters.
        printed = Counter(words(" ".join(page["text"] for page in pages(pdf))))
        assert not Counter(words("Bisphosphonates Immunohistochemistry Electrocardiogram")) - printed, pdf.name
