"""Helpers for the unit tests (tests/test_unit_*.py): the fixture site loaded in-process, front matter checked."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sitegen.diagnostics import Report
from sitegen.fields import FieldCheck
from sitegen.pipeline import BuildOptions, load_site
from sitegen.schema import check_meta
from sitegen.yamltext import parse_mapping

from conftest import FIXTURES, ROOT, add_language, write_tree

TODAY = dt.date(2026, 3, 1)  # a fixed day: the fixture's review (2026-01-15) is current on it


def load(content: Path = FIXTURES / "basic", today: dt.date = TODAY, cache_dir: Path | None = None, **options):
    """Load a site as `build` does (without a cache unless given), writing nothing; return (site, ctx, report)."""
    report = Report()
    build = BuildOptions(content, content.parent / "site", ROOT / "templates", today=today, cache_dir=cache_dir,
                         **options)
    site, ctx = load_site(build, report)
    return site, ctx, report


def copy_basic(tmp_path: Path) -> Path:
    """A copy of the fixture site to edit."""
    return Path(shutil.copytree(FIXTURES / "basic", tmp_path / "content"))


def check_front_matter(text: str, interval: int = 12):
    """Return check_meta's PageMeta for YAML front matter text (raises ContentErrors)."""
    doc = parse_mapping(text, first_line=2)
    return check_meta(FieldCheck("content/en/p.md", doc, default_line=1), doc.data, interval)


REQUIRED = """title: A page
description: What it is about.
sources:
  - title: Knee pain
    publisher: Example Health Service
    url: https://health.example.org/knee-pain
"""


def two_languages(tmp_path: Path, pages: tuple[str, ...] = ("index.md",)) -> Path:
    """A copy of the fixture site with Spanish added and the given pages translated (without cards or images)."""
    content = copy_basic(tmp_path)
    add_language(content, "es")
    for rel in pages:
        text = (content / "en" / rel).read_text(encoding="utf-8")
        for old, new in [("[the signs](symptoms.md#what-are-the-signs)", "[las señales](symptoms.md)"),
                         ("(living/index.md)", "(glossary.md)"), ("!!! signs bent-knee", ""),
                         ("!!! signs hot-knee long-pain", ""), ("![A drawing of a knee joint](images/knee.svg)", "")]:
            text = text.replace(old, new)
        write_tree(content, {f"es/{rel}": text.replace("title: ", "title: ES ", 1)})
    return content
