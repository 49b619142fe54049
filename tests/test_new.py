"""`python build.py new`: start a page with its front matter filled in where it can be."""

from __future__ import annotations

from conftest import run_build


def new(basic_content, *args):
    return run_build("new", *args, "--content", "content", cwd=basic_content.parent)


def test_new_page_has_title_order_and_guidance(basic_content):
    result = new(basic_content, "en/pain.md", "Pain: what helps")
    assert result.returncode == 0, result.stderr
    assert "Created content/en/pain.md." in result.stdout
    assert "index.md" not in result.stdout, "the folder already has its index page"
    text = (basic_content / "en/pain.md").read_text()
    front, body = text.split("\n---\n", 1)
    lines = front.split("\n")
    assert lines[:2] == ["---", 'title: "Pain: what helps"']
    assert "order: 10" in lines, "after the glossary page, the topic's last page (order 9)"
    assert 'description:' in lines and '# TODO: write one sentence after "description:" that says what this page ' \
           "covers." in lines
    assert "key_points:" in lines and "sources:" in lines
    assert any(line.startswith("# TODO: write 3 to 5 short sentences") for line in lines)
    assert any(line.startswith("# TODO: list at least one source") for line in lines)
    assert "!!! signs TODO" in body


def test_new_refuses_to_overwrite(basic_content):
    before = (basic_content / "en/symptoms.md").read_text()
    result = new(basic_content, "en/symptoms.md", "Signs")
    assert result.returncode == 1
    assert "error: content/en/symptoms.md already exists; nothing was changed." in result.stderr
    assert (basic_content / "en/symptoms.md").read_text() == before


def test_new_folder_says_an_index_page_is_needed(basic_content):
    result = new(basic_content, "en/caring/bathing.md", "Bathing safely")
    assert result.returncode == 0, result.stderr
    assert (basic_content / "en/caring/bathing.md").is_file()
    assert "The folder content/en/caring/ has no index.md yet. Every folder needs one, to introduce its topic: " \
           'python build.py new en/caring/index.md "Topic title"' in result.stdout
    assert "order: 1\n" in (basic_content / "en/caring/bathing.md").read_text()


def test_new_index_page_has_no_order(basic_content):
    assert new(basic_content, "en/caring/index.md", "Caring at home").returncode == 0
    assert "order:" not in (basic_content / "en/caring/index.md").read_text()


def test_new_rejects_paths_that_cannot_be_pages(basic_content):
    cases = {
        "en/pain.txt": '"en/pain.txt" is not a page path',
        "../pain.md": '"../pain.md" leads outside the content folder',
        "fr/pain.md": '"fr" is not one of the site\'s languages (en)',
        "en/Pain Relief.md": '"Pain Relief" cannot be part of a web address',
    }
    for path, message in cases.items():
        result = new(basic_content, path, "Pain")
        assert result.returncode == 2, path
        assert message in result.stderr, result.stderr
    assert sorted(p.name for p in (basic_content / "en").glob("*.md")) == ["glossary.md", "help.md", "index.md", "symptoms.md"]


def test_the_build_refuses_a_new_page_and_check_says_what_is_missing(basic_content):
    assert new(basic_content, "en/pain.md", "Pain").returncode == 0
    build = run_build("--content", "content", "--out", "site", "--no-handouts", cwd=basic_content.parent)
    assert build.returncode == 1
    check = run_build("check", "--content", "content", cwd=basic_content.parent)
    assert check.returncode == 1
    out = check.stdout
    assert "content/en/pain.md:5: error[missing.description]: the required field \"description\" is missing" in out
    assert "content/en/pain.md:14: error[missing.sources]: the required field \"sources\" is missing" in out
    assert "content/en/pain.md:20: error[placeholder]: placeholder text is still on the page: TODO: In one or two " \
           "sentences, say who this page is for and what it covers." in out


def test_once_the_required_fields_are_filled_check_asks_for_key_points(basic_content):
    assert new(basic_content, "en/pain.md", "Pain").returncode == 0
    path = basic_content / "en/pain.md"
    text = path.read_text().replace("\ndescription:\n", "\ndescription: How to ease pain.\n").replace(
        "\nsources:\n", "\nsources:\n  - title: Pain\n    publisher: Example Health\n    url: https://example.org/pain\n")
    path.write_text(text)
    check = run_build("check", "--content", "content", cwd=basic_content.parent)
    assert "content/en/pain.md:9: error[pemat.summary]: the page has no key points: readers need a summary first" \
           in check.stdout
    assert "error[missing." not in check.stdout
    assert check.stdout.count("error[placeholder]") == 6, "each TODO line is still listed"
    assert 'content/en/pain.md:36: error[card.sign]: there is no warning sign, group or level "todo"' in check.stdout
