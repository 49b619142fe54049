"""Pages shown early by serve: the same bytes a full build writes, and never for edits that need the full build first."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, edit
from sitegen.serve.early import LastBuild
from sitegen.pipeline import BuildOptions, build


def full_build(content: Path, out: Path):
    result = build(BuildOptions(content, out, ROOT / "templates", base_url="http://127.0.0.1:8000/",
                                preview=True, handouts=False, search=False, cache_dir=None))
    assert result.published and not result.report.errors
    return result


@pytest.fixture
def bundled(tmp_path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


@pytest.mark.parametrize("rel, old, new, shown", [
    # An English page with a review and a Spanish translation: the review notice changes too.
    ("en/help/pain.md", "\n## ", "\nA sentence added in the preview.\n\n## ", "A sentence added in the preview."),
    # A Spanish page: its translation notice and language links must stay right.
    ("es/help/pain.md", "\n## ", "\nUna frase nueva.\n\n## ", "Una frase nueva."),
    # The translation's own record of what it translates: the page now says it is behind.
    ("es/help/pain.md", re.compile(r"translation_of: \w+"), "translation_of: 0123456789ab", "cambió después de hacer"),
    # A new title: other pages' menus change too (the full build's part), but this page is right alone.
    ("en/tests/scans.md", "title: MRI, CT and PET scans", "title: Scans with MRI, CT and PET", "Scans with MRI, CT and PET"),
    # Front matter that only this page shows.
    ("en/tests/scans.md", "key_points:\n", "key_points:\n  - A key point added in the preview.\n", "A key point added"),
])
def test_page_shown_early_is_what_the_full_build_writes(bundled, tmp_path, rel, old, new, shown):
    last = LastBuild(full_build(bundled, tmp_path / "before"), bundled)
    if isinstance(old, re.Pattern):
        old = old.search((bundled / rel).read_text()).group(0)
    edit(bundled / rel, old, new)
    early = last.render_edits([str(bundled / rel)])
    assert early is not None and len(early) == 1
    (out, html), = early.items()
    full_build(bundled, tmp_path / "after")
    assert shown.encode() in html
    assert html == (tmp_path / "after" / out).read_bytes()


def test_temporary_files_of_editors_are_ignored(bundled, tmp_path):
    last = LastBuild(full_build(bundled, tmp_path / "site"), bundled)
    edit(bundled / "en/tests/scans.md", "\n## ", "\nNew words.\n\n## ")
    gone = bundled / "en" / "tests" / "4913"  # vim checks it may write the folder with this file, then deletes it
    early = last.render_edits([str(gone), str(bundled / "en/tests/scans.md"), str(bundled / "en/tests/.scans.md.swp")])
    assert early is not None and list(early) == ["tests/scans/index.html"]


def change_order(content: Path) -> list[Path]:
    edit(content / "en/symptoms.md", "order: 2", "order: 10")  # the menus of the last build are out of order
    return [content / "en/symptoms.md"]


def break_yaml(content: Path) -> list[Path]:
    edit(content / "en/symptoms.md", "title: Signs of a sore knee", "title: [Signs of a sore knee")
    return [content / "en/symptoms.md"]


def add_broken_link(content: Path) -> list[Path]:
    edit(content / "en/symptoms.md", "These are the usual signs.", "These are the [usual signs](nowhere.md).")
    return [content / "en/symptoms.md"]


def remove_linked_heading(content: Path) -> list[Path]:
    edit(content / "en/symptoms.md", "What are the signs", "Which signs")  # index.md links to #what-are-the-signs
    return [content / "en/symptoms.md"]


def add_page(content: Path) -> list[Path]:
    new = content / "en/extra.md"
    shutil.copy(content / "en/living/index.md", new)
    return [new]


def delete_page(content: Path) -> list[Path]:
    (content / "en/living/index.md").unlink()
    return [content / "en/living/index.md"]


def delete_image(content: Path) -> list[Path]:
    (content / "en/images/knee.svg").unlink()
    edit(content / "en/symptoms.md", "These are the usual signs.", "These are the signs.")
    return [content / "en/images/knee.svg", content / "en/symptoms.md"]


def edit_glossary(content: Path) -> list[Path]:
    path = content / "en/glossary.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return [path]


@pytest.mark.parametrize("change", [change_order, break_yaml, add_broken_link, remove_linked_heading,
                                    add_page, delete_page, delete_image, edit_glossary])
def test_edits_other_pages_see_wait_for_the_full_build(tmp_path, change):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    last = LastBuild(full_build(content, tmp_path / "site"), content)
    assert last.render_edits([str(path) for path in change(content)]) is None


def test_an_edit_only_its_own_page_shows_is_shown_early(tmp_path):
    """The control for the test above: the same fixture and page, with a body edit, is shown early."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    last = LastBuild(full_build(content, tmp_path / "site"), content)
    edit(content / "en/symptoms.md", "These are the usual signs.", "These are the signs most people notice.")
    early = last.render_edits([str(content / "en/symptoms.md")])
    assert early and b"signs most people notice" in early["symptoms/index.html"]
