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
