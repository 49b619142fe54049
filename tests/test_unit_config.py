"""config.py: site.yml read into a SiteConfig, with its defaults, per-language texts and checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import Clinic, load_config
from sitegen.diagnostics import ContentError, ContentErrors

SMALLEST = """title: Knee Care
base_url: https://knees.example.org/guides
clinic:
  name: Test Clinic
  phone: "555-0111"
  address: 1 Test Road
"""


def site_yml(tmp_path: Path, text: str) -> Path:
    (tmp_path / "site.yml").write_text(text, encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, text: str, base_url: str | None = None) -> list:
    with pytest.raises(ContentErrors) as exc:
        load_config(site_yml(tmp_path, text), base_url)
    return exc.value.problems


def test_defaults(tmp_path):
    config = load_config(site_yml(tmp_path, SMALLEST))
    assert config.title == "Knee Care" and config.description == ""
    assert config.base_url == "https://knees.example.org/guides/"  # always ends in one slash
    assert config.languages == ("en",) and config.default_language == "en"
    assert config.clinic == Clinic("Test Clinic", "555-0111", "1 Test Road")
    assert (config.emergency_number, config.review_interval_months, config.reading_grade) == ("911", 12, 8)
    assert (config.publish_unreviewed, config.paper, config.timezone, config.levels) == (False, "letter", "UTC", ())


def test_values_are_read_as_typed(tmp_path):
    config = load_config(site_yml(tmp_path, SMALLEST + """emergency_number: 000
review_interval_months: 06
reading_grade: 7
publish_unreviewed: yes
paper: A4
timezone: America/New_York
"""))
    assert config.emergency_number == "000"  # not the number 0
    assert (config.review_interval_months, config.reading_grade, config.publish_unreviewed) == (6, 7, True)
    assert (config.paper, config.timezone) == ("a4", "America/New_York")


def test_title_and_description_per_language(tmp_path):
    text = SMALLEST.replace("title: Knee Care", "title:\n  en: Knee Care\n  es: Cuidado de la rodilla")
    config = load_config(site_yml(tmp_path, text + "languages: [en, es]\ndescription: Plain guides.\n"))
    assert config.title == "Knee Care"
    assert config.for_language("es").title == "Cuidado de la rodilla"
    assert config.for_language("en").title == "Knee Care"
    assert config.for_language("es").description == config.for_language("en").description == "Plain guides."
    assert config.for_language("es").clinic == config.clinic  # the rest is shared


def test_a_language_without_its_own_title_shows_the_default_one(tmp_path):
    config = load_config(site_yml(tmp_path, SMALLEST + "languages: [en, es]\n"))
    assert config.for_language("es").title == "Knee Care"


def test_the_default_language_s_title_is_required(tmp_path):
    text = SMALLEST.replace("title: Knee Care", "title:\n  es: Cuidado de la rodilla")
    codes = [p.code for p in problems(tmp_path, text + "languages: [en, es]\n")]
    assert codes == ["missing.en"]


def test_a_title_for_a_language_the_site_does_not_have_is_unknown(tmp_path):
    text = SMALLEST.replace("title: Knee Care", "title:\n  en: Knee Care\n  fr: Genou")
    [problem] = problems(tmp_path, text)
    assert problem.code == "unknown-key" and problem.line == 3  # the fr: line


@pytest.mark.parametrize("url", ["knees.example.org", "ftp://knees.example.org/", "https://"])
def test_a_bad_base_url_in_site_yml(tmp_path, url):
    [problem] = problems(tmp_path, SMALLEST.replace("https://knees.example.org/guides", url))
    assert problem.code == "type.base_url" and problem.line == 2


def test_base_url_from_the_command_line_wins_and_is_checked(tmp_path):
    site_yml(tmp_path, SMALLEST)
    assert load_config(tmp_path, "https://other.example.org").base_url == "https://other.example.org/"
    [problem] = problems(tmp_path, SMALLEST, base_url="www.example.org")
    assert problem.code == "type.base_url" and "--base-url" in problem.message


def test_unknown_keys_and_bad_values_are_reported_together(tmp_path):
    found = problems(tmp_path, SMALLEST + "titel: x\npaper: legal\ntimezone: europe/paris\nlanguages: [en, en]\n")
    by_code = {p.code: p for p in found}
    assert set(by_code) == {"unknown-key", "type.paper", "type.timezone", "languages.duplicate"}
    assert by_code["unknown-key"].hint == 'Did you mean "title"?'
    assert by_code["type.timezone"].hint.startswith('Did you mean "Europe/Paris"?')


@pytest.mark.parametrize("line, code", [
    ("review_interval_months: 0", "type.review_interval_months"),
    ("review_interval_months: 121", "type.review_interval_months"),
    ("reading_grade: 19", "type.reading_grade"),
    ("publish_unreviewed: maybe", "type.publish_unreviewed"),
    ("languages: [english]", "type.languages"),
    ("languages: []", "type.languages"),
])
def test_values_out_of_bounds(tmp_path, line, code):
    assert [p.code for p in problems(tmp_path, SMALLEST + line + "\n")] == [code]


def test_the_clinic_is_required(tmp_path):
    found = problems(tmp_path, SMALLEST.split("clinic:")[0])
    assert "missing.clinic" in [p.code for p in found]
    assert all(p.line is None for p in found)  # no line to point at: the key is not there


def test_a_clinic_needs_its_name_phone_and_address(tmp_path):
    text = SMALLEST.replace('  phone: "555-0111"\n', "")
    [problem] = problems(tmp_path, text)
    assert problem.code == "missing.phone"


def test_a_missing_site_yml(tmp_path):
    with pytest.raises(ContentError) as exc:
        load_config(tmp_path)
    assert exc.value.diagnostic.code == "site.missing"


@pytest.mark.parametrize("url, reason", [
    ("https://example.org/bone/index.html", 'it ends in a file name, "index.html"'),
    ("https://example.org/bone/?lang=en#top", "it has a ? or # part"),
    ("https://example.org/my site/", "it has a space in it"),
])
def test_the_base_url_must_be_a_folder_that_page_addresses_can_follow(tmp_path, url, reason):
    found = problems(tmp_path, SMALLEST.replace("https://knees.example.org/guides", url))
    assert [(p.line, p.code) for p in found] == [(2, "type.base_url")]
    assert found[0].message == f"\"base_url\" must be the address of the site's folder: {reason}"
    assert "without index.html" in found[0].hint


def test_a_base_url_without_its_last_slash_is_a_folder_still(tmp_path):
    assert load_config(site_yml(tmp_path, SMALLEST.replace("guides", "guides/v1"))).base_url == \
        "https://knees.example.org/guides/v1/"
