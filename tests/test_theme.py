"""A site's own templates/ folder overrides the default theme file by file; the rest comes from the default."""

from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, ROOT, run_build, write_tree
from sitegen.context import load_strings
from sitegen.diagnostics import ContentError
from sitegen.theme import Theme, default_theme_dir, site_theme

FAST = ("--no-handouts", "--no-search")


def site(tmp_path, files: dict[str, str] | None = None):
    """A site folder as a clinic has it: content/ and, beside it, its own templates/ files."""
    shutil.copytree(FIXTURES / "basic", tmp_path / "content")
    write_tree(tmp_path / "templates", files or {})
    return tmp_path


def test_the_default_theme_is_this_repositorys_templates_folder():
    assert default_theme_dir() == ROOT / "templates"  # run from the source tree: its one copy


def test_a_sites_own_template_replaces_only_that_file(tmp_path):
    page = (ROOT / "templates/page.html").read_text(encoding="utf-8")
    project = site(tmp_path, {"page.html": page.replace("<h1>", "<p>Our own page layout</p>\n<h1>", 1)})
    result = run_build("build", *FAST, cwd=project)  # no --templates: templates/ beside content/ is found
    assert result.returncode == 0, result.stderr
    symptoms = (project / "site/symptoms/index.html").read_text(encoding="utf-8")
    assert "Our own page layout" in symptoms
    assert 'class="skip-link"' in symptoms  # base.html, which the site did not copy, is the default theme's
    not_found = (project / "site/404.html").read_text(encoding="utf-8")
    assert "Our own page layout" not in not_found


def test_a_sites_own_strings_and_static_files_replace_those_files(tmp_path):
    strings = (ROOT / "templates/strings/en.yml").read_text(encoding="utf-8")
    project = site(tmp_path, {"strings/en.yml": strings.replace("get_help_now: Get help now", "get_help_now: Help, now"),
                              "static/site.css": "body { color: black; }\n",
                              "static/clinic-logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n'})
    result = run_build("build", *FAST, cwd=project)
    assert result.returncode == 0, result.stderr
    out = project / "site"
    assert ">Help, now</a>" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "assets/site.css").read_text() == "body { color: black; }\n"
    assert (out / "assets/clinic-logo.svg").is_file()  # a file the default theme does not have is added
    assert (out / "assets/search.js").read_bytes() == (ROOT / "templates/static/search.js").read_bytes()


def test_a_sites_strings_file_without_a_line_takes_that_line_from_the_default_theme(tmp_path):
    strings = (ROOT / "templates/strings/en.yml").read_text(encoding="utf-8").splitlines()
    kept = [line for line in strings if not line.startswith("get_help_now:")]  # copied from an older version
    kept = [line.replace("search_label: Search this site", "search_label: Find a page") if line.startswith("search_label:") else line
            for line in kept]
    assert len(kept) == len(strings) - 1
    project = site(tmp_path, {"strings/en.yml": "\n".join(kept) + "\n"})
    result = run_build("build", "--no-search", cwd=project)  # the handouts print strings the pages do not
    assert result.returncode == 0, result.stderr
    home = (project / "site/index.html").read_text(encoding="utf-8")
    assert ">Get help now</a>" in home  # the default theme's line
    assert "Find a page" in home  # the site's own lines still win


def test_a_language_the_default_theme_lacks_must_have_every_line(tmp_path):
    write_tree(tmp_path, {"strings/xx.yml": "get_help_now: Help now\n"})
    with pytest.raises(ContentError) as caught:
        load_strings(tmp_path, "xx")
    problem = caught.value.diagnostic
    assert problem.code == "strings.incomplete" and problem.path.endswith("strings/xx.yml")
    assert "the interface strings have no line for " in problem.message and "get_help_now" not in problem.message
    assert "strings/en.yml" in problem.hint


def test_a_placeholder_mistyped_in_a_sites_strings_is_named_at_its_line(tmp_path):
    strings = (ROOT / "templates/strings/en.yml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(strings, 1) if text.startswith("printed_from:"))
    strings[line - 1] = 'printed_from: "Printed from {website} on {date}."'  # a translator's guess
    project = site(tmp_path, {"strings/en.yml": "\n".join(strings) + "\n"})
    result = run_build("build", *FAST, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert (f'templates/strings/en.yml:{line}: error[strings.placeholder]: "printed_from" uses {{website}}, '
            "which the build does not fill in") in result.stderr
    assert "{date}, {site}" in result.stderr  # the hint gives the placeholders to keep
    assert not (project / "site").exists()


def test_a_mistake_in_an_overriding_template_names_the_sites_file(tmp_path):
    project = site(tmp_path, {"glossary.html": "{% extends 'page.html' %}{% block after_body %}{{ nothing_here }}{% endblock %}"})
    result = run_build("build", *FAST, cwd=project)
    assert result.returncode == 1
    assert "templates/glossary.html" in result.stderr and "Traceback" not in result.stderr


def test_a_mistake_in_the_sites_own_handout_design_names_its_file_and_line(tmp_path):
    design = (ROOT / "templates/handout.typ").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(design, 1) if text.startswith("#let rule = "))
    design[line - 1] += " +"  # an expression left unfinished
    project = site(tmp_path, {"handout.typ": "\n".join(design) + "\n"})
    result = run_build("build", "--no-search", cwd=project)
    assert result.returncode == 1
    assert f"templates/handout.typ:{line}: error[handout.design]" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (project / "site").exists()


def test_a_sites_own_handout_design_older_than_the_build_is_named_with_how_to_update_it(tmp_path):
    design = (ROOT / "templates/handout.typ").read_text(encoding="utf-8")
    project = site(tmp_path, {"handout.typ": design.replace("fits", "fits-old")})  # as before keep() took fits:
    result = run_build("build", "--no-search", cwd=project)
    assert result.returncode == 1
    assert ("templates/handout.typ: error[handout.design]: the handout design is older than this version of "
            "sitegen: unexpected argument: fits") in result.stderr, result.stderr
    assert "`sitegen theme --copy handout.typ`" in result.stderr and "report this to the developers" not in result.stderr
    assert "Traceback" not in result.stderr and not (project / "site").exists()
    (project / "templates").rename(project / "look")  # a design given with --templates: copied there
    result = run_build("build", "--no-search", "--templates", "look", cwd=project)
    assert "look/handout.typ: error[handout.design]" in result.stderr, result.stderr
    assert "`sitegen theme --templates look --copy handout.typ`" in result.stderr


def test_templates_option_names_the_override_folder_and_a_missing_one_is_refused(tmp_path):
    project = site(tmp_path)
    not_found = (ROOT / "templates/404.html").read_text(encoding="utf-8")
    write_tree(project / "look", {"404.html": not_found.replace("{% block main %}", "{% block main %}Lost?", 1)})
    result = run_build("build", "--templates", "look", *FAST, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Lost?" in (project / "site/404.html").read_text(encoding="utf-8")
    result = run_build("build", "--templates", "nowhere", *FAST, cwd=project)
    assert result.returncode == 2 and "the templates folder nowhere does not exist" in result.stderr
    assert "Traceback" not in result.stderr and not (project / "nowhere").exists()


def test_theme_lookup_takes_each_file_from_the_first_folder_that_has_it(tmp_path):
    own = write_tree(tmp_path / "own", {"page.html": "mine", "static/extra.js": "1"})
    theme = site_theme(own, tmp_path / "content")
    assert theme == Theme((own, default_theme_dir()))
    assert theme / "page.html" == own / "page.html"
    assert theme / "base.html" == default_theme_dir() / "base.html"
    assert theme / "strings/xx.yml" == own / "strings/xx.yml"  # missing everywhere: where the site would add it
    files = theme.files("static")
    assert files["extra.js"] == own / "static/extra.js" and files["site.css"] == default_theme_dir() / "static/site.css"
    assert site_theme(None, tmp_path / "content").dirs == (default_theme_dir(),)  # no templates/ beside content/


def test_theme_copy_makes_the_sites_own_copy_and_never_writes_over_one(tmp_path):
    project = site(tmp_path)
    result = run_build("theme", "--copy", "page.html", "strings/en.yml", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "templates/page.html").read_bytes() == (ROOT / "templates/page.html").read_bytes()
    assert (project / "templates/strings/en.yml").is_file()
    listing = run_build("theme", cwd=project).stdout
    assert "page.html  (the site's own copy)" in listing and "  base.html\n" in listing
    (project / "templates/page.html").write_text("mine")
    for names, message in ((["page.html"], "templates/page.html is already there"),
                           (["../pyproject.toml"], 'the default theme has no file "../pyproject.toml"'),
                           (["base.html", "nothing.html"], 'the default theme has no file "nothing.html"')):
        result = run_build("theme", "--copy", *names, cwd=project)
        assert result.returncode == 2 and message in result.stderr and "Nothing was copied." in result.stderr
    assert (project / "templates/page.html").read_text() == "mine" and not (project / "templates/base.html").exists()
