"""Bad content gets a clear message (file, line, hint), exit status 1 and no change to the published site."""

from __future__ import annotations

import os
import shutil

import pytest
from markupsafe import escape

from conftest import FIXTURES, add_language, run_build, tree_digest

GOOD_HEAD = ("---\ntitle: Signs\ndescription: Signs of a sore knee.\nsources:\n  - title: Knee pain\n"
             "    publisher: Example Health Service\n    url: https://health.example.org/knee-pain\n")

SITE = (FIXTURES / "basic/site.yml").read_text()
NEXT_LINE = SITE.count("\n") + 1  # the first line added after it
NEXT = f"site.yml:{NEXT_LINE}"
GLOSSARY = (FIXTURES / "basic/en/glossary.yml").read_text()  # 6 lines: Strain (also strains, strained), Swelling
REVIEW = "reviewers:\n  - name: A\n    credentials: RN\n"
# "Billion laughs": nine levels of aliases, a few hundred bytes that expand to a billion strings.
LAUGHS = 'lol: &l0 ["lol", "lol"]\n' + "".join(
    f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10))

# name -> (file to write, its content, expected "path:line" prefix, words in the message, words in the hint)
CASES = {
    "yaml_does_not_parse": ("en/symptoms.md", GOOD_HEAD + "order: [1, 2\n---\nBody\n",
                            "en/symptoms.md:9", "does not parse", "hint:"),
    "front_matter_never_closes": ("en/symptoms.md", GOOD_HEAD + "Body text\n",
                                  "en/symptoms.md:1", "never closes", "'---'"),
    "missing_required_field": ("en/symptoms.md", GOOD_HEAD.replace("description: Signs of a sore knee.\n", "") + "---\nBody\n",
                               "en/symptoms.md:1", '"description" is missing', "description:"),
    "source_without_its_url": ("en/symptoms.md", GOOD_HEAD.replace("    url: https://health.example.org/knee-pain\n", "") + "---\nB\n",
                               "en/symptoms.md:5", 'the required field "url" is missing from item 1 of "sources"',
                               'Add a line such as url: ... to item 1 of "sources", lined up with its other lines.'),
    "wrong_type": ("en/symptoms.md", GOOD_HEAD + "order: first\n---\nBody\n",
                   "en/symptoms.md:8", '"order" must be a whole number', "order: 3"),
    "date_that_does_not_exist": ("en/symptoms.md", GOOD_HEAD + "reviewed: 2026-02-30\nreviewers:\n  - name: A\n    credentials: RN\n---\nB\n",
                                 "en/symptoms.md:8", "not valid", "YYYY-MM-DD"),
    "date_as_words": ("en/symptoms.md", GOOD_HEAD + "reviewed: next spring\nreviewers:\n  - name: A\n    credentials: RN\n---\nB\n",
                      "en/symptoms.md:8", '"reviewed" must be a date', "YYYY-MM-DD"),
    "date_with_slashes": ("en/symptoms.md", GOOD_HEAD + "reviewed: 12/05/2026\n" + REVIEW + "---\nB\n",
                          "en/symptoms.md:8", '"reviewed" must be a date', "2026-05-12 or 2026-12-05, whichever you mean"),
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
                                      "site.yml:3", '"phone" is missing from "clinic"', 'phone: ... to "clinic"'),
    # (a first "# Signs" would repeat the title, and is dropped: see test_titles.py)
    "h1_in_body": ("en/extra.md", GOOD_HEAD + "---\n# Other signs\n\nText.\n", "en/extra.md:9",
                   "top-level heading", "##"),
    # YAML: no aliases, anchors or tags; no key twice; no nesting without end
    "billion_laughs_front_matter": ("en/symptoms.md", GOOD_HEAD + LAUGHS + "---\nB\n",
                                    "en/symptoms.md:8", '"&l0" is a YAML anchor', "double quotes"),
    "billion_laughs_site_yml": ("site.yml", SITE + LAUGHS, NEXT, '"&l0" is a YAML anchor', "double quotes"),
    "billion_laughs_glossary": ("en/glossary.yml", GLOSSARY + "- term: Lol\n  also: " + LAUGHS.split(": ", 1)[1]
                                + "  definition: x\n", "en/glossary.yml:8", '"&l0" is a YAML anchor', "double quotes"),
    "recursive_alias": ("en/symptoms.md", GOOD_HEAD + "key_points: &k\n  - *k\n---\nB\n",
                        "en/symptoms.md:8", '"&k" is a YAML anchor', "anchors"),
    "colon_in_a_list_item": ("en/symptoms.md", GOOD_HEAD + "key_points:\n  - Rest it.\n  - Step 2: ice it for 20 minutes.\n---\nB\n",
                             "en/symptoms.md:10", 'item 2 of "key_points" holds ": " after "Step 2"',
                             '- "Step 2: ice it for 20 minutes."'),
    "alias_without_anchor": ("en/symptoms.md", GOOD_HEAD + "key_points:\n  - *Rest* helps\n---\nB\n",
                             "en/symptoms.md:9", "does not parse", 'in double quotes, for example title: "*Important* news"'),
    "quote_left_open": ("en/symptoms.md", GOOD_HEAD.replace("title: Signs", 'title: "Signs') + "---\nB\n",
                        "en/symptoms.md:2", "does not parse", "quotes must close"),
    "quote_swallowing_fields": ("en/symptoms.md", GOOD_HEAD + 'key_points:\n  - "Rest\nhandout: false\n  - Ice"\n---\nB\n',
                                "en/symptoms.md:9", "the quote opened on this line closes only on line 11",
                                "Close the quote"),
    "yaml_tag": ("en/symptoms.md", GOOD_HEAD + "order: !!python/object/apply:os.system [true]\n---\nB\n",
                 "en/symptoms.md:8", '"!!python/object/apply:os.system" is a YAML tag', "double quotes"),
    "duplicate_key": ("en/symptoms.md", GOOD_HEAD + "title: Signs again\n---\nB\n",
                      "en/symptoms.md:8", '"title" is given twice, on lines 2 and 8', 'Keep one "title:" line'),
    "duplicate_key_nested": ("en/symptoms.md", GOOD_HEAD + "    title: Knee pain again\n---\nB\n",
                             "en/symptoms.md:8", '"title" is given twice, on lines 5 and 8', 'Keep one "title:" line'),
    "duplicate_key_site_yml": ("site.yml", SITE + "clinic:\n  name: Other\n", NEXT,
                               f'"clinic" is given twice, on lines 5 and {NEXT_LINE}', 'Keep one "clinic:" line'),
    "nested_300_deep": ("en/symptoms.md", GOOD_HEAD + "key_points: " + "[" * 300 + "]" * 300 + "\n---\nB\n",
                        "en/symptoms.md:8", "nested more than 20 levels deep", "indentation"),
    "nested_deep_site_yml": ("site.yml", SITE + "".join("  " * n + f"k{n}:\n" for n in range(300)),
                             "site.yml:", "nested more than 20 levels deep", "indentation"),
    "second_yaml_document": ("site.yml", SITE + "---\ntitle: Other\n", NEXT, "a second YAML document", "'---'"),
    # glossary terms: each spelling once per language, in any case, and one link id per term
    "duplicate_glossary_term": ("en/glossary.yml", GLOSSARY + "- term: strain\n  definition: Again.\n",
                                "en/glossary.yml:7", '"strain" is already in the glossary, as "Strain" at '
                                "content/en/glossary.yml:1", "Keep each word under one term"),
    "duplicate_glossary_also": ("en/glossary.yml", GLOSSARY + "- term: Sprain\n  also: [Strained]\n  definition: A.\n",
                                "en/glossary.yml:8", '"Strained" is already in the glossary, as "strained" at '
                                "content/en/glossary.yml:2", "Keep each word under one term"),
    "glossary_terms_with_one_id": ("en/glossary.yml", GLOSSARY + "- term: Swelling!\n  definition: Again.\n",
                                   "en/glossary.yml:7", '"Swelling!" would get the same link id as "Swelling" at '
                                   "content/en/glossary.yml:5", "Merge the two terms"),
    # dates and numbers out of range
    "reviewed_year_9999": ("en/symptoms.md", GOOD_HEAD + "reviewed: 9999-12-01\n" + REVIEW + "---\nB\n",
                           "en/symptoms.md:8", '"reviewed" must be a date from 1900-01-01 to 2199-12-31', "year"),
    "reviewed_before_1900": ("en/symptoms.md", GOOD_HEAD + "reviewed: 1850-01-01\n" + REVIEW + "---\nB\n",
                             "en/symptoms.md:8", '"reviewed" must be a date from 1900-01-01', "YYYY-MM-DD"),
    "next_review_year_0001": ("en/symptoms.md", GOOD_HEAD + "next_review: 0001-01-01\n---\nB\n",
                              "en/symptoms.md:8", '"next_review" must be a date from 1900-01-01', "year"),
    "date_with_a_time": ("en/symptoms.md", GOOD_HEAD + "reviewed: 2026-01-15 10:30:00\n" + REVIEW + "---\nB\n",
                         "en/symptoms.md:8", '"reviewed" must be a date', "YYYY-MM-DD"),
    "review_interval_huge": ("site.yml", SITE + "review_interval_months: 99999999999999999999999\n", NEXT,
                             '"review_interval_months" must be a whole number from 1 to 120', "review_interval_months: 3"),
    "reading_grade_googol": ("site.yml", SITE + "reading_grade: 1" + "0" * 100 + "\n", NEXT,
                             '"reading_grade" must be a whole number from 1 to 18', "reading_grade: 3"),
    "order_negative": ("en/symptoms.md", GOOD_HEAD + "order: -3\n---\nB\n", "en/symptoms.md:8",
                       '"order" must be a whole number from 0 to 9999, got \'-3\'', "order: 3"),
    "order_octal_looking_float": ("en/symptoms.md", GOOD_HEAD + "order: 1e3\n---\nB\n", "en/symptoms.md:8",
                                  '"order" must be a whole number', "order: 3"),
    "handout_not_a_boolean": ("en/symptoms.md", GOOD_HEAD + "handout: 0\n---\nB\n", "en/symptoms.md:8",
                              '"handout" must be true or false', "handout: false"),
    # site.yml: languages once each, a real time zone
    "duplicate_language": ("site.yml", SITE.replace("languages: [en]", "languages: [en, es, en]"), "site.yml:4",
                           'the language "en" is listed twice', "languages: [en, es]"),
    "unknown_time_zone": ("site.yml", SITE + "timezone: America/New_Yrok\n", NEXT,
                          '"America/New_Yrok" is not a time zone name', 'Did you mean "America/New_York"?'),
    "time_zone_in_lower_case": ("site.yml", SITE + "timezone: europe/madrid\n", NEXT,
                                '"europe/madrid" is not a time zone name', 'Did you mean "Europe/Madrid"?'),
    "time_zone_of_the_machine": ("site.yml", SITE + "timezone: localtime\n", NEXT,
                                 '"localtime" is not a time zone name', "America/New_York"),
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
    "unsafe_picture_name": ("en/images/My Spine.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
                            "en/images/My Spine.svg", "cannot be part of a web address", '"my-spine.svg"'),
    "web_page_among_the_pictures": ("en/images/x.html", "<script>alert(document.cookie)</script>\n", "en/images/x.html",
                                    'files of the type ".html" cannot be published', "Markdown"),
    "picture_that_is_a_web_page": ("en/images/x.png", "<html><script>alert(1)</script></html>\n", "en/images/x.png",
                                   "the file is named .png but it is not a PNG picture", "real type"),
    "svg_with_a_script": ("en/images/knee.svg", '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>\n',
                          "en/images/knee.svg:2", "<script> is not allowed in a published picture", "plain SVG"),
    "stray_data_file": ("en/images/notes.yml", "a: 1\n", "en/images/notes.yml", 'files of the type ".yml"',
                        "glossary.yml, jargon.yml, warning-signs.yml"),
    "asset_under_pagefind": ("en/pagefind/x.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x00IEND\xaeB`\x82", "en/pagefind/x.png",
                             "where the build writes the search index", "Rename"),
    # " #" starts a YAML comment: the rest of the line would be dropped from the page without a word
    "hash_cuts_a_description": ("en/symptoms.md", GOOD_HEAD.replace("description: Signs of a sore knee.",
                                "description: We are the #1 clinic for knees.") + "---\nB\n", "en/symptoms.md:3",
                                'the text after "#" on this line is a YAML comment, so only "We are the" would show',
                                'put the whole value in double quotes'),
    "hash_cuts_an_address": ("site.yml", SITE.replace("address: 1 Test Road, Testville", "address: 1 Test Road #5, Testville"),
                             "site.yml:9", 'so only "1 Test Road" would show', "double quotes"),
    # invisible control characters: typed as YAML escapes, or in the file itself
    "control_character_escaped_in_a_title": ("en/symptoms.md", GOOD_HEAD.replace("title: Signs", 'title: "Sig\\u0000ns"')
                                             + "---\nB\n", "en/symptoms.md:2", '"title" holds an invisible control '
                                             "character (U+0000)", "retype"),
    "control_character_in_the_body": ("en/symptoms.md", GOOD_HEAD + "---\nA bell\x07 rings.\n", "en/symptoms.md:9",
                                      "the file holds an invisible control character (U+0007)", "retype"),
    "page_over_the_search_page": ("en/search.md", GOOD_HEAD + "---\nBody\n", "en/search.md",
                                  "where the build writes the search page", "Rename"),
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


def test_a_translation_of_a_page_with_errors_is_not_called_an_orphan(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    add_language(content, "es")
    (content / "es").mkdir()
    (content / "es/index.md").write_text(GOOD_HEAD.replace("title: Signs", "title: Signos") + "---\nTexto.\n")
    (content / "en/index.md").write_text(GOOD_HEAD + "order: x\n---\nBody\n")  # the original has an error
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 1 and "content/en/index.md:8: error[type.order]" in result.stderr
    assert "translation.orphan" not in result.stderr, result.stderr


def test_a_quoted_list_item_as_the_hint_says_builds(tmp_path):
    """The hint for "- Step 2: ice it" is the line to type: with it, the page builds and shows the item as typed."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    page = content / "en/extra.md"
    page.write_text(GOOD_HEAD + 'key_points:\n  - Step 2: ice it, "gently".\n---\nB\n')
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    hint = next(line for line in result.stderr.splitlines() if "Put the whole line in double quotes" in line)
    page.write_text(GOOD_HEAD + "key_points:\n  " + hint.split("double quotes: ", 1)[1] + "\n---\nB\n")
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert str(escape('Step 2: ice it, "gently".')) in (tmp_path / "s/extra/index.html").read_text()


def test_a_topic_whose_index_has_errors_is_not_said_to_have_none(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    (content / "en/living/index.md").write_text(GOOD_HEAD + "order: x\n---\nBody\n")
    (content / "en/living/diet.md").write_text(GOOD_HEAD + "---\nEat well.\n")  # the topic has a page that loads
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 1 and "content/en/living/index.md:8: error[type.order]" in result.stderr
    assert "topic.index" not in result.stderr, result.stderr


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
