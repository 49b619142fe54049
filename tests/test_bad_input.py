"""Bad content gets a clear message (file, line, hint), exit status 1 and no change to the published site."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import FIXTURES, run_build, tree_digest

GOOD_HEAD = ("---\ntitle: Signs\ndescription: Signs of a sore knee.\nsources:\n  - title: Knee pain\n"
             "    publisher: Example Health Service\n    url: https://health.example.org/knee-pain\n")

# name -> (file to write, its content, expected "path:line" prefix, words in the message, words in the hint)
CASES = {
    "yaml_does_not_parse": ("en/symptoms.md", GOOD_HEAD + "order: [1, 2\n---\nBody\n",
                            "en/symptoms.md:9", "does not parse", "hint:"),
    "front_matter_never_closes": ("en/symptoms.md", GOOD_HEAD + "Body text\n",
                                  "en/symptoms.md:1", "never closes", "'---'"),
    "missing_required_field": ("en/symptoms.md", GOOD_HEAD.replace("description: Signs of a sore knee.\n", "") + "---\nBody\n",
                               "en/symptoms.md:1", '"description" is missing', "description:"),
    "wrong_type": ("en/symptoms.md", GOOD_HEAD + "order: first\n---\nBody\n",
                   "en/symptoms.md:8", '"order" must be a whole number', "order: 3"),
    "date_that_does_not_exist": ("en/symptoms.md", GOOD_HEAD + "reviewed: 2026-02-30\nreviewers:\n  - name: A\n    credentials: RN\n---\nB\n",
                                 "en/symptoms.md:8", "not valid", "YYYY-MM-DD"),
    "date_as_words": ("en/symptoms.md", GOOD_HEAD + "reviewed: next spring\nreviewers:\n  - name: A\n    credentials: RN\n---\nB\n",
                      "en/symptoms.md:8", '"reviewed" must be a date', "YYYY-MM-DD"),
    "unknown_key": ("en/symptoms.md", GOOD_HEAD + "reviwed: 2026-01-01\n---\nBody\n",
                    "en/symptoms.md:8", 'unknown field "reviwed"', 'Did you mean "reviewed"?'),
    "empty_file": ("en/symptoms.md", "", "en/symptoms.md:1", "the file is empty", "front matter"),
    "not_utf8": ("en/symptoms.md", (GOOD_HEAD + "---\nCaf\xe9 line\n").encode("latin-1"),
                 "en/symptoms.md:9", "not UTF-8", "UTF-8"),
    "link_to_nowhere": ("en/extra.md", GOOD_HEAD + "---\nIntro.\n\nSee [the guide](indx.md).\n",
                        "en/extra.md:11", 'the link "indx.md" goes nowhere', 'Did you mean "index.md"?'),
    "anchor_to_nowhere": ("en/extra.md", GOOD_HEAD + "---\nSee [causes](index.md#what-causes-knee-pains).\n",
                          "en/extra.md:9", '"#what-causes-knee-pains"', 'Did you mean "what-causes-knee-pain"?'),
    "missing_image": ("en/extra.md", GOOD_HEAD + "---\nText.\n\n![A knee](images/kne.svg)\n",
                      "en/extra.md:11", 'the image "images/kne.svg" goes nowhere', 'Did you mean "images/knee.svg"?'),
    "two_files_one_page": ("en/symptoms/index.md", GOOD_HEAD + "---\nBody\n",
                           "en/symptoms", "would both be written to symptoms/index.html", "Rename"),
    "broken_site_yml": ("site.yml", "title: Knee Care\nbase_url: https://k.example.org/\nclinic:\n  name: X\n phone: 1\n",
                        "site.yml:5", "does not parse", "hint:"),
    "site_yml_missing_clinic_phone": ("site.yml", "title: Knee Care\nbase_url: https://k.example.org/\n"
                                      "clinic:\n  name: X\n  address: Y\npublish_unreviewed: true\n",
                                      "site.yml:3", '"phone" is missing', "phone:"),
    "h1_in_body": ("en/extra.md", GOOD_HEAD + "---\n# Signs\n\nText.\n", "en/extra.md:9",
                   "top-level heading", "##"),
    "script_in_markdown_div": ("en/extra.md", GOOD_HEAD + '---\n<div markdown="1">\n\nText.\n\n<script>alert(1)</script>\n\n</div>\n',
                               "en/extra.md:13", "a <script> element", "without scripts"),
    "event_handler_in_attribute_list": ("en/extra.md", GOOD_HEAD + '---\nText.\n{: onclick="go()" }\n',
                                        "en/extra.md:10", 'event-handler attribute "onclick"', "Remove it"),
    "entity_encoded_javascript_link": ("en/extra.md", GOOD_HEAD + '---\nText.\n\n<a href="&#106;avascript:alert(1)">x</a>\n',
                                       "en/extra.md:11", 'a "javascript:" address', "https://"),
    "address_that_does_not_parse": ("en/extra.md", GOOD_HEAD + "---\nSee [it](http://[bad).\n",
                                    "en/extra.md:9", "is not a valid address", "address bar"),
    "emphasis_nested_too_deep": ("en/extra.md", GOOD_HEAD + "---\n" + "*a " * 1000 + "b" + "*" * 1000 + "\n",
                                 "en/extra.md", "too deeply to build", "Close each"),
    "html_nested_too_deep": ("en/extra.md", GOOD_HEAD + "---\nText.\n\n" + "<div>" * 5000 + "x\n",
                             "en/extra.md:11", "more than 100 deep", "Close each"),
    "unsafe_file_name": ("en/Bone Pain.md", GOOD_HEAD + "---\nBody\n", "en/Bone Pain.md",
                         "cannot be part of a web address", '"bone-pain"'),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A site built from the good fixture, to prove failed builds leave it untouched."""
    root = tmp_path_factory.mktemp("published")
    out = root / "site"
    assert run_build("--content", str(FIXTURES / "basic"), "--out", str(out), "--no-handouts").returncode == 0
    return out


def build_broken(tmp_path, published, rel, data):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    out = tmp_path / "site"
    shutil.copytree(published, out)
    before = tree_digest(out)
    result = run_build("--content", str(content), "--out", str(out), "--no-handouts", cwd=tmp_path)
    return result, before, tree_digest(out)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_nothing_is_published(case, tmp_path, published):
    rel, data, where, message, hint = CASES[case]
    result, before, after = build_broken(tmp_path, published, rel, data)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    first = next(line for line in lines if "error[" in line)
    assert first.startswith("content/" + where), first
    assert message in result.stderr
    assert hint in result.stderr
    assert "Nothing was published" in result.stderr
    assert before == after, "the previously published site must stay byte-for-byte the same"


def test_all_errors_are_reported_together(tmp_path, published):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    (content / "en/symptoms.md").write_text(GOOD_HEAD + "order: x\n---\nSee [a](nope.md).\n")
    (content / "en/glossary.md").write_text("no front matter\n")
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/en/symptoms.md:8" in result.stderr and "content/en/glossary.md:1" in result.stderr
    assert "Build failed: 2 errors" in result.stderr


def test_symlink_outside_content_is_refused(tmp_path, published):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    secret = tmp_path / "secret.md"
    secret.write_text(GOOD_HEAD + "---\nPrivate notes\n")
    os.symlink(secret, content / "en/notes.md")
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/en/notes.md: error[symlink.outside]" in result.stderr
    assert not (tmp_path / "s").exists()


def test_missing_content_folder(tmp_path):
    result = run_build("--content", str(tmp_path / "nope"), "--out", str(tmp_path / "s"), cwd=tmp_path)
    assert result.returncode == 1
    assert "nope: error[content.missing]: the content folder does not exist" in result.stderr
    assert "--content" in result.stderr


def test_unreviewed_pages_need_the_setting(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    site = content / "site.yml"
    site.write_text(site.read_text().replace("publish_unreviewed: true", "publish_unreviewed: false"))
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/en/index.md:1: error[review.missing]" in result.stderr
    assert "content/en/symptoms.md" not in result.stderr, "the reviewed page is fine"
    assert "publish_unreviewed: true" in result.stderr


def test_bom_and_windows_line_endings_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    path = content / "en/symptoms.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    out = tmp_path / "s"
    result = run_build("--content", str(content), "--out", str(out), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (out / "symptoms/index.html").read_text()
    assert "<h1>Signs of a sore knee</h1>" in html and "\r" not in html


@pytest.mark.parametrize("raw, line, what", [
    ('Text <span onclick="go()">here</span>.\n', 9, 'an event-handler attribute "onclick"'),
    ("Text.\n\n<script>alert(1)</script>\n", 11, "a <script> element"),
    ('Text.\n\n<a href="javascript:alert(1)">x</a>\n', 11, 'a "javascript:" address'),
])
def test_unsafe_html_is_an_error_with_its_line(tmp_path, raw, line, what):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    (content / "en/extra.md").write_text(GOOD_HEAD + "---\n" + raw)
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 1
    assert f"content/en/extra.md:{line}: error[html.unsafe]: the page contains {what}" in result.stderr


def test_markdown_javascript_link_is_an_error(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    (content / "en/extra.md").write_text(GOOD_HEAD + "---\nSee [this](javascript:alert(1)).\n")
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 1
    assert 'content/en/extra.md:9: error[link.scheme]: the link "javascript:alert(1)" uses "javascript:"' in result.stderr


def test_safe_raw_html_is_kept_and_unknown_elements_are_dropped(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    (content / "en/extra.md").write_text(GOOD_HEAD + "---\n<details><summary>More</summary>Hidden text</details>\n\n"
                                        "<marquee>Old</marquee> and <kbd>Ctrl</kbd>\n")
    out = tmp_path / "s"
    result = run_build("--content", str(content), "--out", str(out), "--no-handouts", "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (out / "extra/index.html").read_text()
    assert "<details><summary>More</summary>Hidden text</details>" in html
    assert "<kbd>Ctrl</kbd>" in html and "<marquee>" not in html and "Old" in html


def test_very_large_page_fails_quickly_and_cleanly(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    (content / "en/huge.md").write_text(GOOD_HEAD + "---\n" + ("Words in a very long page. " * 20 + "\n\n") * 10000)
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 1
    assert "content/en/huge.md: error[page.size]: the page is too large" in result.stderr
