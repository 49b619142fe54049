"""Property-based tests: arbitrary names, front matter and text either build or give a content error.

They run the command line in-process: exit status 0 or 1, never 3 (a bug), and nothing is written
outside the output folder.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from sitegen.cli import main

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
                         st.dates())
yaml_values = st.recursive(yaml_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=3), max_leaves=8)
front_matter = st.dictionaries(st.sampled_from(["title", "description", "sources", "reviewed", "reviewers",
                                                "order", "key_points", "handout", "layout", "next_review"])
                               | st.text(max_size=12), yaml_values, max_size=8)
markdown_bits = st.sampled_from(["# ", "## ", "[a](", "](", ".md", "#", ")", "![x](", "!!! ", "emergency ",
                                 '"t"\n    ', "- [ ] ", "<", ">", "script", "javascript:", "../", "\n", "\n\n",
                                 "*[A]: b\n", "|a|b|\n|-|-|\n", "`", "{#id}", "\t", "\x00", "é", "index.md",
                                 "symptoms.md#what-are-the-signs", "../../../etc/passwd", "%2e%2e/"])
bodies = st.lists(st.one_of(markdown_bits, st.text(max_size=20)), max_size=30).map("".join)
names = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00"), min_size=1,
                max_size=20)


def build_in(tmp: Path, name: str, text: str | bytes) -> int:
    content = tmp / "content"
    shutil.copytree(FIXTURES / "basic", content)
    path = content / "en" / name
    try:
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    except OSError:
        return 0  # the file system refused the name; nothing to build
    # The output folder and, beside it, its spare (.out.sitegen, the next build's staging folder).
    ours = {"out", ".out.sitegen"}
    before = {p for p in tmp.rglob("*") if not ours & set(p.relative_to(tmp).parts)}
    status = main(["build", "--content", str(content), "--out", str(tmp / "out"), "--no-handouts", "--no-search"])
    after = {p for p in tmp.rglob("*") if not ours & set(p.relative_to(tmp).parts)}
    assert after == before, f"written outside the output folder: {after - before}"
    return status


@SETTINGS
@given(meta=front_matter, body=bodies)
def test_any_front_matter_and_body_build_or_report(meta, body):
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    with tempfile.TemporaryDirectory() as tmp:
        assert build_in(Path(tmp), "page.md", text) in (0, 1)


@SETTINGS
@given(raw=st.binary(max_size=300))
def test_any_bytes_build_or_report(raw):
    with tempfile.TemporaryDirectory() as tmp:
        assert build_in(Path(tmp), "page.md", raw) in (0, 1)


@SETTINGS
@given(name=names, body=bodies)
def test_any_file_name_and_links_build_or_report(name, body):
    head = ("---\ntitle: T\ndescription: D.\nsources:\n  - title: S\n    publisher: P\n"
            "    url: https://example.org/\n---\n")
    with tempfile.TemporaryDirectory() as tmp:
        assert build_in(Path(tmp), name if name.endswith(".md") else name + ".md", head + body) in (0, 1)


inline_bits = st.sampled_from(["`", "``", "\\", "\\\\", "[", "]", "[a]", "[a][b]", "[b]", "\n[b]: /u\n", "\n[B]:\n  /u \"t\"\n",
                               "![i](p.png)", "![i][b]", "[^1]", "\n[^1]: note\n", "<", ">", "<span>", "<http://x.org>",
                               "<a@b.org>", "&amp;", "&", "&#32;", "  \n", " \t\n", "\t", "*", "**", "_", "\n\n",
                               "\n*[HTML]: Hyper\n", "HTML", "- ", "> ", "    ", "!!! note\n    ", "|a|b|\n|-|-|\n",
                               "<div markdown=\"1\">\n", "</div>\n", "```\n", "# ", "{: #x }", "Term\n:   def\n"])
inline_docs = st.lists(st.one_of(inline_bits, st.text(max_size=8)), max_size=40).map("".join)


@SETTINGS
@given(body=inline_docs)
def test_leaving_out_unused_inline_patterns_changes_no_html(body):
    import markdown

    from sitegen.markdown import EXTENSIONS, UnusedPatterns

    every = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    gated = markdown.Markdown(extensions=[*EXTENSIONS, UnusedPatterns()], output_format="html")
    assert gated.convert(body) == every.convert(body)
