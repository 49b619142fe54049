"""YAML is published as the editor typed it, and "today" is the same wherever the build runs.

The bad-input corpus (test_bad_input.py) holds the YAML that must fail; here are the values that
must be kept exactly, the parser's limits, and the site's calendar.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from conftest import FIXTURES, run_build, tree_digest
from sitegen import today
from sitegen.cli import main
from sitegen.context import load_strings
from sitegen.yamltext import NULLS, YamlProblem, parse_yaml
from test_bad_input import LAUGHS

EMERGENCY_PAGE = """\
---
title: 0112
description: 1e3
order: 007
key_points:
  - yes
  - 12:30
  - 2026-02-30
  - 0x1F
sources:
  - title: 2024
    publisher: NO
    url: https://health.example.org/knee-pain
reviewed: 2026-01-15
reviewers:
  - name: 1_000
    credentials: 0o17
---
Body.

!!! signs bent-knee
"""


def test_values_that_look_like_numbers_dates_or_booleans_are_published_as_typed(basic_content, tmp_path):
    site = basic_content / "site.yml"
    site.write_text(site.read_text().replace('"555-0111"', "05550100").replace('"555-0122"', "0112")
                    .replace('"911"', "000"))
    (basic_content / "en/urgent.md").write_text(EMERGENCY_PAGE)
    out = tmp_path / "site"
    result = run_build("--content", str(basic_content), "--out", str(out), "--no-handouts", "--no-search")
    assert result.returncode == 0, result.stderr
    html = (out / "urgent/index.html").read_text()
    assert 'href="tel:000">000</a>' in html, "the emergency number keeps its zeros"
    assert '<a href="tel:05550100">05550100</a>' in html and 'href="tel:0112">0112</a>' in html
    assert "<h1>0112</h1>" in html
    assert '<meta name="description" content="1e3" data-pagefind-meta="description[content]">' in html
    for point in ("yes", "12:30", "2026-02-30", "0x1F"):
        assert f"<li>{point}</li>" in html
    assert "2024" in html and "NO" in html and "1_000, 0o17" in html


def test_whole_numbers_are_decimal_digits_and_leading_zeros_count_for_nothing():
    # order: 007 would be octal 7 in YAML 1.1 and 010 would be 8; here they are 7 and 10.
    from sitegen.fields import whole_number

    assert [whole_number(text) for text in ("007", "010", "+3", " 12 ")] == [7, 10, 3, 12]
    assert [whole_number(text) for text in ("0x10", "1e3", "1_000", "3.0", "", "9" * 25)] == [None] * 6


# Scalars that YAML 1.1 would turn into numbers, booleans, dates, times or nothing, and pieces to join.
TYPED = ["0", "00", "000", "0112", "05550100", "0x1F", "0o17", "0b101", "1e3", "1_000", "+1", "-0", ".5", "1.50",
         ".inf", "-.inf", ".NaN", "yes", "No", "ON", "off", "y", "n", "true", "False", "null", "Null", "~", "",
         "2026-01-15", "2026-1-5", "2026-02-30", "2001-12-14t21:59:43.10-05:00", "12:30", "1:20:30", "190:20:30",
         "=", "<<", "1,000", "555-0100", "(555) 010-0100", "+1 555 0100", "911", "&", "<b>", "'", '"']
typed = st.lists(st.one_of(st.sampled_from(TYPED), st.text(alphabet="0123456789abcxeEoO.:+-_ ~,", max_size=6)),
                 min_size=1, max_size=3).map("".join)


def build_quietly(content: Path, out: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["build", "--content", str(content), "--out", str(out), "--no-handouts", "--no-search"])
    return status, err.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=typed, point=typed, credentials=typed, phone=typed)
@example(title="0112", point="yes", credentials="0o17", phone="000")
@example(title="~", point="12:30", credentials="2026-02-30", phone="0x1F")
def test_any_typed_looking_value_is_published_as_typed_or_refused_at_its_line(title, point, credentials, phone):
    page = ("---\n"
            f"title: {title}\n"                      # line 2
            "description: D.\n"
            f"key_points:\n  - {point}\n"            # line 5
            "sources:\n  - title: S\n    publisher: P\n    url: https://example.org/\n"
            "reviewed: 2026-01-15\n"
            f"reviewers:\n  - name: N\n    credentials: {credentials}\n"  # line 13
            "---\nBody.\n\n!!! signs hot-knee\n")
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(FIXTURES / "basic", content)
        site = content / "site.yml"
        site.write_text(site.read_text().replace('"555-0122"', phone))  # after_hours_phone, line 8
        (content / "en/page.md").write_text(page)
        status, stderr = build_quietly(content, Path(tmp) / "out")
        assert status in (0, 1), stderr
        if status == 1:
            assert "Traceback" not in stderr
            places = {(path, int(line)) for path, line in re.findall(r"/content/(\S+?):(\d+): error\[", stderr)}
            assert places, stderr
            # An empty after-hours number is also an error where a warning level needs it.
            needs_it = {("site.yml", n) for n, line in enumerate(site.read_text().splitlines(), 1)
                        if "{after_hours_phone}" in line}
            assert places <= {("en/page.md", 2), ("en/page.md", 5), ("en/page.md", 13), ("site.yml", 8)} | needs_it, stderr
            return
        html = (Path(tmp) / "out/page/index.html").read_text()
        assert f"<h1>{escape(title.strip())}</h1>" in html
        assert f"<li>{escape(point.strip())}</li>" in html
        assert f"N, {escape(credentials.strip())}" in html
        if phone.strip() not in NULLS:
            assert f">{escape(phone.strip())}</a>" in html


def test_billion_laughs_and_recursive_aliases_are_refused_before_expansion():
    start = time.perf_counter()
    for text in (LAUGHS, LAUGHS + "l10: &l10 [" + ", ".join(["*l9"] * 9) + "]\n", "a: &a [*a]\n"):
        with pytest.raises(YamlProblem, match="is a YAML anchor"):
            parse_yaml(text)
    assert time.perf_counter() - start < 0.5


def test_an_alias_is_refused_even_without_its_anchor():
    with pytest.raises(YamlProblem, match='"\\*x" is a YAML alias') as problem:
        parse_yaml("a: 1\nb: *x\n", first_line=2)
    assert problem.value.line == 3


def test_deep_nesting_is_refused_without_recursion():
    for text in ("a: " + "[" * 100_000 + "]" * 100_000, "- " * 5000 + "x", "{a: " * 5000 + "1" + "}" * 5000):
        with pytest.raises(YamlProblem, match="nest") as problem:  # libyaml or we stop it, whichever first
            parse_yaml(text)
        assert problem.value.line == 1 and "indentation" in problem.value.hint
    nested = parse_yaml("a: " + "[" * 19 + "]" * 19).data  # 20 levels is still fine
    assert nested["a"] is not None


def test_parsed_values_are_strings_or_none_with_the_line_of_each_key():
    doc = parse_yaml("a: 000\nb: 'x'\nc: ~\nd: no\ne:\n  - 0112\n  - null\n  - \"null\"\n", first_line=2)
    assert doc.data == {"a": "000", "b": "x", "c": None, "d": "no", "e": ["0112", None, "null"]}
    assert doc.line_of("a") == 2 and doc.line_of("e", 1) == 8 and doc.line_of("e", 9) == 6


def test_the_glossary_names_both_places_of_a_duplicate_in_spanish_accents(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    glossary = content / "en/glossary.yml"
    glossary.write_text(glossary.read_text() + "- term: Biópsia\n  definition: A.\n- term: biopsia\n  definition: B.\n")
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 1
    assert ('content/en/glossary.yml:9: error[glossary.duplicate]: "biopsia" would get the same link id as '
            '"Biópsia" at content/en/glossary.yml:7') in result.stderr


def test_glossary_terms_in_other_scripts_get_ids_of_their_own(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    glossary = content / "en/glossary.yml"
    glossary.write_text(glossary.read_text() + "- term: Ωμοπλάτη\n  definition: A.\n- term: Жар\n  definition: B.\n")
    out = tmp_path / "s"
    result = run_build("--content", str(content), "--out", str(out), "--no-handouts", "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (out / "glossary/index.html").read_text()
    assert 'id="term-ωμοπλατη"' in html and 'id="term-жар"' in html and 'id="term-swelling"' in html


def test_duplicate_languages_are_one_error(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    site = content / "site.yml"
    site.write_text(site.read_text().replace("languages: [en]", "languages: [en, es, en]"))
    result = run_build("--content", str(content), "--out", str(tmp_path / "s"), "--no-handouts", cwd=tmp_path)
    assert result.returncode == 1
    assert 'content/site.yml:4: error[languages.duplicate]: the language "en" is listed twice' in result.stderr
    assert "Build failed: 1 error," in result.stderr


def test_the_jargon_list_refuses_aliases_at_their_line(basic_content):
    (basic_content / "en/jargon.yml").write_text("- osteolytic\n- &w lesion\n")
    result = run_build("check", "--content", str(basic_content), cwd=basic_content.parent)
    assert result.returncode == 1
    assert 'content/en/jargon.yml:2: error[yaml]: "&w" is a YAML anchor' in result.stdout + result.stderr


def test_interface_strings_are_kept_as_typed(tmp_path):
    strings = tmp_path / "strings"
    strings.mkdir()
    (strings / "en.yml").write_text("yes_label: yes\nzero: 000\n")
    strings = load_strings(tmp_path, "en")  # the other lines come from the default theme
    assert (strings["yes_label"], strings["zero"]) == ("yes", "000")


# The calendar -----------------------------------------------------------------------------------

LATE_EVENING_IN_NEW_YORK = dt.datetime(2026, 3, 1, 3, 30, tzinfo=dt.timezone.utc).timestamp()


def test_the_date_is_that_of_the_sites_time_zone():
    assert today.date_at(LATE_EVENING_IN_NEW_YORK, "UTC") == dt.date(2026, 3, 1)
    assert today.date_at(LATE_EVENING_IN_NEW_YORK, "America/New_York") == dt.date(2026, 2, 28)
    assert today.date_at(LATE_EVENING_IN_NEW_YORK, "Pacific/Kiritimati") == dt.date(2026, 3, 1)


@pytest.mark.parametrize("machine_zone", ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"])
def test_the_machines_time_zone_changes_nothing(monkeypatch, machine_zone):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("TZ", machine_zone)
    time.tzset()
    monkeypatch.setattr(time, "time", lambda: LATE_EVENING_IN_NEW_YORK)
    try:
        assert today.build_date("America/New_York") == dt.date(2026, 2, 28)
        assert today.build_date() == dt.date(2026, 3, 1)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_source_date_epoch_is_a_utc_date_for_every_zone(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(LATE_EVENING_IN_NEW_YORK)))
    assert today.build_date("America/New_York") == today.build_date("UTC") == dt.date(2026, 3, 1)


@pytest.mark.parametrize("value", ["soon", "-5", "1e9", "1.5", "99999999999999999999"])
def test_a_malformed_source_date_epoch_is_a_usage_error(tmp_path, value):
    result = run_build("--content", str(FIXTURES / "basic"), "--out", str(tmp_path / "s"), "--no-handouts",
                       env={"SOURCE_DATE_EPOCH": value}, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "error: SOURCE_DATE_EPOCH" in result.stderr and "hint:" in result.stderr
    assert not (tmp_path / "s").exists()


def check_today(content: Path, machine_zone: str) -> str:
    result = run_build("check", "--format", "json", "--content", str(content), env={"TZ": machine_zone},
                       cwd=content.parent)
    return json.loads(result.stdout)["today"]


def test_check_and_approve_use_the_sites_calendar_not_the_machines(basic_content, monkeypatch):
    # Kiritimati (UTC+14) and Pago Pago (UTC-11) are never on the same date; the site's zone decides.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    site = basic_content / "site.yml"
    site.write_text(site.read_text() + "timezone: America/New_York\n")
    before = today.date_at(time.time(), "America/New_York").isoformat()
    dates = {check_today(basic_content, zone) for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago")}
    approved = run_build("approve", "en/index.md", "--by", "Dana Example, RN", "--content", str(basic_content),
                         env={"TZ": "Pacific/Kiritimati"}, cwd=basic_content.parent)
    if today.date_at(time.time(), "America/New_York").isoformat() != before:
        pytest.skip("midnight in New York passed during the test")
    assert dates == {before}
    assert approved.returncode == 0, approved.stderr
    assert f"\nreviewed: {before}\n" in (basic_content / "en/index.md").read_text()


def test_builds_in_two_machine_zones_at_the_same_moment_are_identical(basic_content, tmp_path, monkeypatch):
    # Kiritimati and Pago Pago are 25 hours apart: at any moment, one of them is not on the UTC date, so
    # one of these two reviews would be overdue in one zone and not in the other, if the machine decided.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    due = today.date_at(time.time(), "UTC")
    page = basic_content / "en/symptoms.md"
    text = page.read_text()
    page.write_text(text.replace("reviewed: 2026-01-15", f"reviewed: 2020-01-15\nnext_review: {due}"))
    (basic_content / "en/later.md").write_text(
        text.replace("reviewed: 2026-01-15", f"reviewed: 2020-01-15\nnext_review: {due + dt.timedelta(days=1)}"))
    outs = []
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        out = tmp_path / zone.replace("/", "-")
        result = run_build("--content", str(basic_content), "--out", str(out), "--no-handouts", "--no-search",
                           "--cache-dir", str(tmp_path / "cache"), env={"TZ": zone})
        assert result.returncode == 0, result.stderr
        outs.append(out)
    if today.date_at(time.time(), "UTC") != due:
        pytest.skip("midnight UTC passed between the builds")
    assert "was due for review on" in (outs[0] / "symptoms/index.html").read_text()
    assert "Next review due" in (outs[0] / "later/index.html").read_text()
    assert tree_digest(outs[0]) == tree_digest(outs[1])


def test_time_zones_work_without_the_systems_zone_files():
    # zoneinfo falls back to the tzdata package (a dependency) where the system has no zone files (Windows).
    import zoneinfo

    zoneinfo.reset_tzpath(to=[])
    zoneinfo.ZoneInfo.clear_cache()
    try:
        assert today.zone_exists("America/New_York") and not today.zone_exists("America/New_Yrok")
        assert today.date_at(LATE_EVENING_IN_NEW_YORK, "America/New_York") == dt.date(2026, 2, 28)
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
@pytest.mark.parametrize("text, line, words", [
    ("a: 1\nb: &x 2\n", 3, '"&x" is a YAML anchor'),
    ("a: 1\nb: \x01\n", 3, "characters are not allowed"),
    ("a: 1\na: 2\n", 3, '"a" is given twice, on lines 2 and 3'),
    ("a:\n  - 'x\nb: y'\n", 3, "closes only on line 4"),
    ("a: [" * 30 + "]" * 30, 2, "nested more than 20 levels"),
])
def test_libyaml_and_pure_python_parsers_agree(monkeypatch, loader, text, line, words):
    import yaml

    from sitegen import yamltext

    if not hasattr(yaml, loader):
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr(yamltext, "Loader", getattr(yaml, loader))
    with pytest.raises(YamlProblem, match=re.escape(words)) as problem:
        parse_yaml(text, first_line=2)
    assert problem.value.line == line
