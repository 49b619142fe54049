"""`import SOURCE DIR` brings a folder of MkDocs pages (`# Title` pages, a nav) into a new site that builds."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from conftest import FIXTURES, run_build, tree_digest, write_tree

MKDOCS = FIXTURES / "mkdocs"
FAST = ("--no-handouts", "--no-search")


def bring_in(source: Path, target: Path, *options: str) -> subprocess.CompletedProcess:
    return run_build("import", str(source), str(target), *options, cwd=target.parent, stdin=subprocess.DEVNULL, timeout=60)


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_an_mkdocs_project_comes_in_and_builds(tmp_path):
    source = shutil.copytree(MKDOCS, tmp_path / "mkdocs-project")
    before = tree_digest(source)
    site = tmp_path / "lymph"
    result = bring_in(source, site)
    assert result.returncode == 0, result.stderr
    assert tree_digest(source) == before  # the source is only read
    en = site / "content/en"
    pages = sorted(p.relative_to(en).as_posix() for p in en.rglob("*.md"))
    assert pages == ["about.md", "faq.md", "glossary.md", "help.md", "index.md", "living-with/exercise.md",
                     "living-with/index.md", "living-with/skin-care.md"]
    assert (en / "img/arm.svg").is_file() and not list(en.rglob("*.css"))
    # What could be inferred: titles from the # Title (or the nav), the order from the nav, mkdocs.yml's name and address
    assert front(en / "index.md")["title"] == "Lymphedema guide"
    assert front(en / "about.md")["title"] == "What is lymphedema?" and front(en / "about.md")["order"] == 2
    assert front(en / "living-with/skin-care.md")["title"] == "Skin care"
    assert front(en / "living-with/exercise.md")["title"] == "Moving more"  # no heading: its nav title
    assert front(en / "living-with/index.md")["title"] == "Living with it"  # the nav section's
    settings = yaml.safe_load((site / "content/site.yml").read_text(encoding="utf-8"))
    assert settings["title"] == "Lymphedema Guide" and settings["base_url"] == "https://lymph.example.org/guide/"
    # What could not: marked TODO, printed, and listed by check
    about = front(en / "about.md")
    assert about["description"] == ("TODO: check this description, the page's first sentence: "
                                    "Lymphedema is swelling that happens when lymph fluid builds up.")
    assert about["sources"][0]["title"].startswith("TODO") and "tags" not in about and "hide" not in about
    assert "en/about.md: front matter MkDocs uses, left out: hide, tags" in result.stdout
    assert "Left out, as files a page cannot hold or show: stylesheets/extra.css" in result.stdout
    assert "content/en/faq.md:6: - {title: \"TODO: a source" in result.stdout
    # Links follow the new names; a link to a folder goes to its index page
    home = (en / "index.md").read_text(encoding="utf-8")
    assert "](living-with/skin-care.md)" in home and "](living-with/index.md)" in home
    assert "](faq.md#do-i-need-to-wear-a-sleeve)" in home
    built = run_build("build", *FAST, cwd=site)
    assert built.returncode == 0, built.stderr
    html = (site / "site/about/index.html").read_text(encoding="utf-8")
    assert html.count("<h1") == 1 and "<h1>What is lymphedema?</h1>" in html and 'src="../img/arm.svg"' in html
    check = run_build("check", cwd=site)
    assert check.returncode == 1
    assert "content/en/about.md:3: error[placeholder]" in check.stdout and "content/en/about.md:6: error[placeholder]" in check.stdout


def test_a_docs_folder_without_mkdocs_yml_comes_in_too(tmp_path):
    docs = write_tree(tmp_path / "docs", {"index.md": "# Wound care\n\nThis guide explains how to look after a wound.\n",
                                          "dressing.md": "# Changing a dressing\n\nWash your hands first.\n"})
    result = bring_in(docs, tmp_path / "site", "--title", "Wound care")
    assert result.returncode == 0, result.stderr
    assert "order" not in front(tmp_path / "site/content/en/dressing.md")  # no nav: no order
    assert run_build("build", *FAST, cwd=tmp_path / "site").returncode == 0


def test_a_second_top_level_heading_is_named_before_the_build_stops_at_it(tmp_path):
    docs = write_tree(tmp_path / "docs", {"index.md": "# Guide\n\nText here for you.\n\n```\n# a comment\n```\n\n# Part two\n\nMore.\n"})
    result = bring_in(docs, tmp_path / "site")
    assert "en/index.md:15: a second top-level heading: make it ##" in result.stdout
    built = run_build("build", *FAST, cwd=tmp_path / "site")
    assert built.returncode == 1 and "content/en/index.md:15: error[heading.h1]" in built.stderr


def test_import_refuses_a_target_that_is_not_empty_and_a_source_it_cannot_read(tmp_path):
    target = write_tree(tmp_path / "site", {"keep.txt": "mine"})
    result = bring_in(MKDOCS, target)
    assert result.returncode == 2 and "site/ is not empty" in result.stderr and "Nothing was written." in result.stderr
    assert tree_digest(target) == tree_digest(write_tree(tmp_path / "expected", {"keep.txt": "mine"}))
    broken = write_tree(tmp_path / "broken", {"mkdocs.yml": "site_name: X\nnav:\n  - [unclosed\n", "docs/index.md": "# X\n"})
    result = bring_in(broken, tmp_path / "new")
    assert result.returncode == 2 and "mkdocs.yml:4: mkdocs.yml cannot be read" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "new").exists()
    empty = write_tree(tmp_path / "nothing", {"notes.txt": "x"})
    result = bring_in(empty, tmp_path / "new")
    assert result.returncode == 2 and "holds no Markdown pages" in result.stderr and not (tmp_path / "new").exists()


def test_material_tabs_and_icons_that_the_site_cannot_show_are_named_at_their_lines(tmp_path):
    """Pages from Material for MkDocs may use content tabs, icons, snippets and Mermaid diagrams: here
    their markup would show as typed (each tab's text, and the diagram, as code), so the build says
    where, and how to write it instead."""
    page = ("# Skin care\n\nWash every day. :material-water:\n\n=== \"Morning\"\n\n    Wash with mild soap.\n\n"
            "=== \"Evening\"\n\n    Put on lotion.\n\nAt 10:30: call us. See https://e.example.org/a:b: too.\n\n"
            "```\n=== \"not a tab\" :smile:\n```\n\n--8<-- \"includes/note.md\"\n\n```mermaid\ngraph TD; A-->B\n```\n")
    docs = write_tree(tmp_path / "docs", {"index.md": page})
    assert bring_in(docs, tmp_path / "site").returncode == 0
    built = run_build("build", *FAST, cwd=tmp_path / "site")
    assert built.returncode == 0, built.stderr
    found = [line.split(": ", 2)[:2] for line in built.stderr.splitlines() if "warning[markup." in line]
    start = (tmp_path / "site/content/en/index.md").read_text(encoding="utf-8").split("\n").index("# Skin care") + 1
    assert found == [[f"content/en/index.md:{start + 2}", "warning[markup.icon]"],
                     [f"content/en/index.md:{start + 4}", "warning[markup.tabs]"],
                     [f"content/en/index.md:{start + 8}", "warning[markup.tabs]"],
                     [f"content/en/index.md:{start + 18}", "warning[markup.snippet]"],
                     [f"content/en/index.md:{start + 20}", "warning[markup.diagram]"]], built.stderr
    assert "### and its title" in built.stderr
