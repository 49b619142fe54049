"""Pages written the MkDocs way, `# Title` on their first line, build; other top-level headings stay errors."""

from __future__ import annotations

import json

import pytest

from conftest import run_build, write_tree
from sitegen.titles import leading_title

FAST = ("--no-handouts", "--no-search")
FIELDS = ("description: Signs of a sore knee.\nsources:\n  - title: Knee pain\n"
          "    publisher: Example Health Service\n    url: https://health.example.org/knee-pain\n")


def build(content, tmp_path):
    return run_build("build", "--content", str(content), "--out", str(tmp_path / "site"), *FAST, cwd=tmp_path)


def h1s(html: str) -> list[str]:
    return [part.split("</h1>")[0] for part in html.split("<h1")[1:]]


def test_a_first_heading_is_the_title_when_the_front_matter_has_none(basic_content, tmp_path):
    write_tree(basic_content, {"en/extra.md": f"---\n{FIELDS}---\n# Knee  braces\n\nA brace holds the knee.\n\n## Who needs one?\n\nAsk your team.\n"})
    result = build(basic_content, tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site/extra/index.html").read_text(encoding="utf-8")
    assert h1s(html) == ['>Knee  braces'] and "<title>Knee  braces | " in html
    assert "heading.h1" not in result.stderr


def test_a_first_heading_that_repeats_the_title_is_dropped(basic_content, tmp_path):
    write_tree(basic_content, {"en/extra.md": f"---\ntitle: Knee braces\n{FIELDS}---\n\n# Knee Braces\n\nA brace holds the knee.\n"})
    result = build(basic_content, tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site/extra/index.html").read_text(encoding="utf-8")
    assert h1s(html) == [">Knee braces"]  # the title's, once


@pytest.mark.parametrize("body, line, heading", [
    ("# Something else\n\nText.\n", 9, "Something else"),  # not the title: a second top heading
    ("# Knee braces\n\nText.\n\n# More\n\nText.\n", 13, "More"),  # the title, then another top heading
])
def test_any_other_top_level_heading_is_an_error_with_its_line(basic_content, tmp_path, body, line, heading):
    write_tree(basic_content, {"en/extra.md": f"---\ntitle: Knee braces\n{FIELDS}---\n{body}"})
    result = build(basic_content, tmp_path)
    assert result.returncode == 1
    assert f'extra.md:{line}: error[heading.h1]: the body has a top-level heading "{heading}"' in result.stderr
    assert "start sections with ##" in result.stderr and "Traceback" not in result.stderr


def test_a_page_with_only_a_title_heading_asks_for_the_required_fields(basic_content, tmp_path):
    write_tree(basic_content, {"en/extra.md": "# Knee braces\n\nA brace holds the knee.\n"})
    result = build(basic_content, tmp_path)
    assert result.returncode == 1
    assert "frontmatter.missing" not in result.stderr
    assert 'extra.md:1: error[missing.description]: the required field "description" is missing' in result.stderr
    assert 'extra.md:1: error[missing.sources]: the required field "sources" is missing' in result.stderr
    assert "missing.title" not in result.stderr


def test_a_page_with_neither_front_matter_nor_title_says_both_ways(basic_content, tmp_path):
    write_tree(basic_content, {"en/extra.md": "A brace holds the knee.\n"})
    result = build(basic_content, tmp_path)
    assert result.returncode == 1
    assert "extra.md:1: error[frontmatter.missing]" in result.stderr and "# Title" in result.stderr


def test_later_lines_keep_their_numbers_and_check_names_the_page_by_its_heading(basic_content, tmp_path):
    write_tree(basic_content, {"en/extra.md": f"---\n{FIELDS}---\nKnee braces\n===========\n\nSee [the guide](indx.md).\n"})
    result = run_build("check", "--content", str(basic_content), "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    page = next(p for p in report["pages"] if p["path"].endswith("extra.md"))
    assert page["title"] == "Knee braces"
    assert any(d["line"] == 11 and "indx.md" in d["message"] for d in page["problems"]), page["problems"]


def test_approve_and_translated_work_on_a_page_titled_by_its_heading(basic_content, tmp_path):
    page = basic_content / "en/extra.md"
    write_tree(basic_content, {"en/extra.md": f"---\n{FIELDS}---\n# Knee braces\n\nA brace holds the knee.\n"})
    result = run_build("approve", "en/extra.md", "--by", "Dana Example, RN", "--content", str(basic_content), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert page.read_text(encoding="utf-8").count("# Knee braces") == 1  # the heading stays, as written
    result = run_build("check", "--content", str(basic_content), "--format", "json", cwd=tmp_path)
    extra = next(p for p in json.loads(result.stdout)["pages"] if p["path"].endswith("extra.md"))
    assert extra["review"]["state"] == "reviewed", extra["review"]


@pytest.mark.parametrize("body, title", [
    ("\n\n# Title here #\ntext", "Title here"),
    ("Title here\n====\n", "Title here"),
    ("    # code, not a heading\n", None),
    ("## A section\n", None),
    ("Text first.\n\n# Title\n", None),
])
def test_leading_title_reads_only_a_top_heading_on_the_first_line(body, title):
    found = leading_title(body)
    assert (found.text if found else None) == title
