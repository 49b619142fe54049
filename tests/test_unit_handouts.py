"""Unit tests of how handouts are handed to the PDF workers: in batches that share a QR code, with
what a page prints worked out once (handouts.batches, handouts.PageParts)."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitegen import handouts, printpdf
from sitegen.outputs import Writing
from sitegen.pagecontext import Contexts
from sitegen.render import Renderer

from conftest import ROOT
from unitsite import load


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    site, ctx, _ = load(ROOT / "content")
    staging = SimpleNamespace(root=tmp_path_factory.mktemp("site"))
    w = Writing(site, ctx, Renderer(ctx.templates_dir, site.config), Contexts(site, ctx), staging, "", "")
    return w, [handouts.Job(h) for h in handouts.plan(site)]


def test_batches_hold_every_handout_once_each_with_one_qr_code(bundled):
    w, jobs = bundled
    batches = handouts.batches(jobs)
    assert sorted(i for batch in batches for i in batch) == list(range(len(jobs)))
    for batch in batches:
        urls = {w.site.config.base_url + jobs[i].handout.source.url for i in batch}
        assert len(urls) == 1, [jobs[i].handout.rel for i in batch]
    # every page's two editions together, and each topic's packets with its index page's handouts
    assert len(batches) == len({job.handout.source.rel for job in jobs})
    assert max(len(batch) for batch in batches) == 4


def test_a_topic_s_packets_are_made_before_its_pages(bundled):
    _, jobs = bundled
    order = [jobs[i].handout for batch in handouts.batches(jobs) for i in batch]
    for n, handout in enumerate(order):
        if handout.topic is not None:
            later_pages = [h for h in order[:n] if h.topic is None and h.source.topic == handout.source.topic
                           and h.source is not handout.source]
            assert not later_pages, f"{handout.rel} comes after {later_pages[0].rel}"
    topics = [h.source.topic for h in order]
    assert topics == sorted(topics, key=topics.index), "a topic's handouts are not all together"


def test_what_a_page_prints_is_the_same_worked_out_once_or_each_time(bundled):
    w, jobs = bundled
    parts = handouts.PageParts(w)
    pictures = 0
    for job in jobs:
        shared_files: list[Path] = []
        own_files: list[Path] = []
        shared = handouts.print_doc(job.handout, w, shared_files, parts)
        alone = handouts.print_doc(job.handout, w, own_files)
        assert shared == alone, job.handout.rel
        assert shared_files == own_files, job.handout.rel  # the pictures it reads are part of its cache key
        pictures += len(own_files)
    assert pictures, "no bundled handout reads a picture: the files list is not tested"


def test_qr_svg_draws_each_run_of_dark_modules_as_one_rectangle_inside_the_quiet_zone():
    from sitegen.printdoc import QR_BORDER, qr_svg

    dark, light = 0, 255
    svg = qr_svg(bytes([dark, dark, light,
                        light, light, light,
                        light, dark, dark]), 3)
    b = QR_BORDER
    assert f'viewBox="0 0 {3 + 2 * b} {3 + 2 * b}"' in svg
    assert f'd="M{b} {b}h2v1h-2zM{b + 1} {b + 2}h2v1h-2z"' in svg  # a row's run stops at its end


def test_every_module_that_writes_the_typst_source_is_in_the_pdf_cache_key():
    """A PDF is cached by what it is given, not by what is written from it: a change to the code that
    writes it must change the key, or a new version would publish PDFs made by the old one."""
    folder, found, todo = Path(printpdf.__file__).parent, set(), ["printpdf.py"]
    while todo:
        name = todo.pop()
        found.add(name)
        tree = ast.parse((folder / name).read_text())
        todo += [f"{node.module}.py" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.level == 1 and node.module and f"{node.module}.py" not in found]
    assert found == set(printpdf.SOURCE_WRITERS)


CARD = ('<div class="care-card care-urgent"><h2>Call your care team today if you have:</h2><ul>'
        + "".join(f"<li>Sign number {n}, which needs a call to the care team today</li>" for n in range(20))
        + '</ul><p class="care-call care-action"><strong>Call today: <a href="tel:555">555</a>.</strong></p></div>')


def test_a_card_that_might_not_fit_is_given_in_parts_only_to_a_design_that_takes_them():
    """A site's own copy of an older design (theme --copy) has a care() without head: and calls:;
    its cards come as one body, as that design expects, or the build would stop at them."""
    from sitegen.printbody import DESIGN_FEATURES, body_markup, design_features

    design = (ROOT / "templates/handout.typ").read_text(encoding="utf-8")
    assert design_features(design) == frozenset(DESIGN_FEATURES)
    whole = body_markup(CARD, True, 2)
    assert "head: [" in whole and "calls: [" in whole
    assert whole.index("Call your care team today") < whole.index("head: [") + 60 < whole.index("Sign number 0")
    older = design.replace(DESIGN_FEATURES["whole_cards"], "")
    one_body = body_markup(CARD, True, 2, features=design_features(older))
    assert "head: [" not in one_body and "Sign number 19" in one_body and "Call today" in one_body
    small = CARD[:CARD.index("<li>Sign number 2,")] + CARD[CARD.index("</ul>"):]
    assert "fits: true" in body_markup(small, True, 2) and "head: [" not in body_markup(small, True, 2), \
        "a card that surely fits a page: one body, as before"
