"""`python build.py check`: the editors' content checks, run end to end on small sites."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest

from conftest import ROOT, edit, run_build, write_tree

SITE_YML = """\
title: Knee Guide
base_url: https://knees.example.org/
languages: [en]
clinic:
  name: Test Clinic
  phone: "555-0111"
  address: 1 Test Road, Testville
publish_unreviewed: true
warning_levels:
  - id: urgent
    name: Urgent
    heading: "Call your care team today if you have:"
    action: "Call your care team today: {phone}."
"""
SIGNS = """groups:
  - id: knee
    name: A sore knee
    page: index.md
    signs:
      - id: hot-knee
        level: urgent
        says: A hot, red knee
"""
SOURCES = "sources:\n  - title: Knee pain\n    publisher: Example Health\n    url: https://health.example.org/knee\n"
KEY_POINTS = ("Rest helps most sore knees.", "Keep the knee up.", "Call us if it gets hot and red.")
KNEE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>'
GLOSSARY = "- term: Strain\n  definition: A stretched or torn muscle.\n"
JARGON = "- osteolytic\n- strain\n- MRI\n"
EPOCH_2026_01_01 = "1767225600"


def page(title: str, body: str, key_points=KEY_POINTS, extra: str = "") -> str:
    """Return a page file: front matter (with key points unless None) and body."""
    points = "key_points:\n" + "".join(f"  - {p}\n" for p in key_points) if key_points else ""
    return f"---\ntitle: {title}\ndescription: About {title.lower()}.\n{points}{extra}{SOURCES}---\n{body}"


INDEX = page("Sore knees", """\
A sore knee is common. This page says what helps.

## What helps a sore knee?

Rest the knee and keep it up on a pillow.

![A drawing of a knee joint](images/knee.svg)
""", extra="layout: warning-signs\n")  # the page that lists every warning sign: one care card


def site(tmp_path, pages: dict[str, str], glossary: str = GLOSSARY, jargon: str = JARGON):
    """Write a small site whose index passes every check, plus the given pages; return the content folder."""
    files = {"site.yml": SITE_YML, "en/index.md": INDEX, "en/images/knee.svg": KNEE_SVG, "en/warning-signs.yml": SIGNS,
             "en/glossary.yml": glossary, "en/jargon.yml": jargon, **pages}
    return write_tree(tmp_path / "content", files)


def check(tmp_path, *args, env=None):
    return run_build("check", "--content", "content", *args, cwd=tmp_path, env=env)


def test_a_clean_site_passes_strict(tmp_path):
    site(tmp_path, {})
    result = check(tmp_path, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Check passed: 1 page, 0 errors, 0 warnings." in result.stdout
    assert "pass 11 summary: 3 key points" in result.stdout
    assert "pass 20 clear action: 1 care card" in result.stdout
    assert "understandability 6/6 = 100%, actionability 1/1 = 100%" in result.stdout
    assert "n/a   4 medical terms explained: no medical words from the glossary or the jargon list" in result.stdout


HARD = ("Unfortunately, considerable uncertainty regarding individualized rehabilitation opportunities "
        "characteristically accompanies extraordinarily complicated situations involving several "
        "contradictory professional recommendations.")


def test_a_page_above_the_grade_target_names_its_hardest_sentence(tmp_path):
    body = ("Knees get sore. This page helps.\n\n## Why does it hurt?\n\nIt can hurt a lot. Rest it well.\n\n"
            f"{HARD}\n\nAsk your team for help.\n")
    site(tmp_path, {"en/hard.md": page("Hard words", body)})
    result = check(tmp_path)
    assert result.returncode == 1
    assert "content/en/hard.md:19: error[reading.grade]: the reading grade is 18.2 (Flesch-Kincaid), " \
           "above the target of 8" in result.stdout
    assert "Rewrite the sentences that raise it most:\n" \
           f'        line 19: "{HARD}" (long words: unfortunately, considerable, uncertainty, ' \
           'regarding, individualized)\n' in result.stdout
    assert "content/en/hard.md:19: error[reading.smog]: the SMOG grade is 12.5, more than one grade above " \
           "the target of 8" in result.stdout
    assert "(16 long words: Unfortunately, considerable, uncertainty, regarding, individualized and 11 more)" \
           in result.stdout


def test_key_points_and_care_cards_have_their_own_lower_target(tmp_path):
    points = ("Considerable uncertainty regarding rehabilitation accompanies complicated situations.",
              "Keep the knee up.", "Rest it.")
    site(tmp_path, {"en/boxes.md": page("Boxes", "Knees get sore. Rest them.\n\nAsk your team.\n", key_points=points)})
    result = check(tmp_path)
    assert "content/en/boxes.md:5: error[reading.boxes]: the key points and care cards read at grade 18.8 " \
           "(Flesch-Kincaid), above their target of 6" in result.stdout
    assert "error[reading.grade]" not in result.stdout.split("content/en/boxes.md")[-1]


JARGON_MESSAGE = '"osteolytic" is a medical word that the glossary does not define and the text does not explain'


def test_jargon_not_in_the_glossary_is_flagged(tmp_path):
    body = "Knees get sore. Ask your team.\n\n## What did the scan show?\n\nThe scan shows an osteolytic spot.\n"
    site(tmp_path, {"en/scan.md": page("Scan", body)})
    result = check(tmp_path)
    assert result.returncode == 1
    assert f"content/en/scan.md:17: error[jargon]: {JARGON_MESSAGE}" in result.stdout
    assert "FAIL  4 medical terms explained: not explained where first used: osteolytic" in result.stdout


def test_jargon_explained_in_parentheses_is_not_flagged(tmp_path):
    body = ("Knees get sore. Ask your team.\n\n## What did the scan show?\n\n"
            "The scan shows an osteolytic (bone-eating) spot.\n")
    site(tmp_path, {"en/scan.md": page("Scan", body)})
    result = check(tmp_path, "--strict")
    assert JARGON_MESSAGE not in result.stdout
    assert "pass  4 medical terms explained: 1 medical word, each explained at first use" in result.stdout
    assert result.returncode == 0, result.stdout


def test_jargon_in_the_glossary_is_not_jargon_but_must_still_be_explained(tmp_path):
    body = "Knees get sore. Ask your team.\n\n## What did the scan show?\n\nThe scan shows an osteolytic spot.\n"
    glossary = GLOSSARY + "- term: Osteolytic\n  definition: Eating away bone.\n"
    site(tmp_path, {"en/scan.md": page("Scan", body)}, glossary=glossary)
    result = check(tmp_path)
    assert JARGON_MESSAGE not in result.stdout
    assert 'content/en/scan.md:17: error[pemat.terms]: the medical word "osteolytic" is not explained where ' \
           "it first appears" in result.stdout
    assert 'The glossary says: "Eating away bone."' in result.stdout


def test_jargon_in_capitals_matches_only_in_capitals(tmp_path):
    body = "Knees get sore. Ask your team.\n\n## Can I bring a pet?\n\nYes, a pet may come. You may need an MRI.\n"
    site(tmp_path, {"en/pets.md": page("Pets", body)})
    result = check(tmp_path)
    assert '"MRI" is a medical word' in result.stdout
    assert '"pet" is a medical word' not in result.stdout.lower()


def test_a_missing_summary_fails_the_pemat_item(tmp_path):
    site(tmp_path, {"en/nosummary.md": page("No summary", "Knees get sore. Ask your team.\n", key_points=None)})
    result = check(tmp_path)
    assert result.returncode == 1
    assert "content/en/nosummary.md:1: error[pemat.summary]: the page has no key points: readers need a summary " \
           "first" in result.stdout
    assert "FAIL 11 summary: no key points" in result.stdout
    assert "understandability 3/5 = 60%" in result.stdout


def test_a_long_section_a_long_paragraph_and_a_generic_heading_fail(tmp_path):
    paragraphs = "\n\n".join(["Rest the knee. Rest the knee. Rest the knee. Rest the knee."] * 13)  # 156 words
    long_paragraph = " ".join(["Keep it up."] * 21)  # 63 words
    body = f"Knees get sore. Ask your team.\n\n## Overview\n\n{paragraphs}\n\n## What else?\n\n{long_paragraph}\n"
    site(tmp_path, {"en/long.md": page("Long", body)})
    result = check(tmp_path)
    assert 'content/en/long.md:15: error[pemat.sections]: the section "Overview" has 156 words (at most 150)' \
           in result.stdout
    assert 'content/en/long.md:15: error[pemat.headings]: the heading "Overview" does not say what the section ' \
           "is about" in result.stdout
    assert "content/en/long.md:45: error[pemat.paragraph]: this paragraph has 63 words and 21 sentences " \
           "(at most 60 words and 4 sentences)" in result.stdout
    assert 'FAIL  8 short sections: "Overview" has 156 words; 1 paragraph too long' in result.stdout
    assert "FAIL  9 informative headings: generic heading: Overview" in result.stdout


def test_a_skipped_heading_level_and_missing_alt_text_are_warnings(tmp_path):
    body = ("Knees get sore. Ask your team.\n\n## What helps?\n\n#### Rest\n\nRest the knee.\n\n"
            "![](images/knee.svg)\n")
    site(tmp_path, {"en/warn.md": page("Warnings", body)})
    result = check(tmp_path)
    assert result.returncode == 0, result.stdout
    assert 'content/en/warn.md:17: warning[heading.skip]: heading "Rest" jumps from level 2 to 4' in result.stdout
    assert "content/en/warn.md:21: warning[image.alt]: this image has no alternative text" in result.stdout
    strict = check(tmp_path, "--strict")
    assert strict.returncode == 1
    assert "Check failed: 2 pages, 0 errors, 2 warnings (--strict: warnings count as errors)." in strict.stdout


def test_broken_links_and_anchors_are_errors(tmp_path):
    body = "Knees get sore. Ask your team.\n\nSee [help](index.md#no-such-part) and [more](nowhere.md).\n"
    site(tmp_path, {"en/links.md": page("Links", body)})
    result = check(tmp_path)
    assert result.returncode == 1
    assert 'error[link.anchor]: the link "index.md#no-such-part" points to "#no-such-part"' in result.stdout
    assert 'error[link.missing]: the link "nowhere.md" goes nowhere' in result.stdout
    assert "Check failed" in result.stdout, "the other pages are still checked"
    assert "pass 20 clear action" in result.stdout


REVIEWED = "reviewed: {date}\nreviewers:\n  - name: Test Reviewer\n    credentials: RN\n"


def reviewed_line(path) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("reviewed:"))


def approve_on(project, rel: str, day: str) -> None:
    """Record a review of rel as approve does on that day (UTC), with the fingerprint of its text."""
    epoch = str(int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.timezone.utc).timestamp()))
    result = run_build("approve", rel, "--by", "Test Reviewer, RN", "--content", "content", cwd=project,
                       env={"SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 0, result.stderr


def test_an_overdue_review_is_an_error_and_a_near_one_a_warning(tmp_path):
    body = "Knees get sore. Ask your team.\n"
    site(tmp_path, {"en/old.md": page("Old", body), "en/soon.md": page("Soon", body), "en/fresh.md": page("Fresh", body)})
    for name, day in (("old", "2024-12-01"), ("soon", "2025-01-20"), ("fresh", "2025-12-01")):
        approve_on(tmp_path, f"en/{name}.md", day)
    result = check(tmp_path, env={"SOURCE_DATE_EPOCH": EPOCH_2026_01_01})
    line = reviewed_line(tmp_path / "content/en/old.md")
    assert line == reviewed_line(tmp_path / "content/en/soon.md")
    assert f"content/en/old.md:{line}: error[review.overdue]: the medical review was due on 2025-12-01 (31 days ago)" \
           in result.stdout
    assert f"content/en/soon.md:{line}: warning[review.due]: the medical review is due on 2026-01-20 (in 19 days)" \
           in result.stdout
    assert "content/en/fresh.md" in result.stdout and "fresh.md:" not in result.stdout
    assert "Not reviewed by a clinician yet: en/index.md\n" in result.stdout
    assert result.returncode == 1


def test_check_and_the_page_agree_on_a_text_changed_since_its_review(tmp_path):
    """The review state is decided once: a page edited after its review is "changed" in check and on the web."""
    site(tmp_path, {"en/fresh.md": page("Fresh", "Knees get sore. Ask your team.\n")})
    approve = run_build("approve", "en/fresh.md", "--by", "Ana Ruiz, MD", "--content", "content", cwd=tmp_path)
    assert approve.returncode == 0, approve.stderr
    edit(tmp_path / "content/en/fresh.md", "Knees get sore.", "Knees often get sore.")
    result = check(tmp_path, "--format", "json")
    fresh = next(p for p in json.loads(result.stdout)["pages"] if p["rel"] == "en/fresh.md")
    assert fresh["review"]["state"] == "changed"
    assert any(p["code"] == "review.changed" for p in fresh["problems"])
    built = run_build("--content", "content", "--out", "site", "--no-handouts", "--no-search", cwd=tmp_path)
    assert "was changed after its last clinical review" in (tmp_path / "site/fresh/index.html").read_text()
    assert '"lastReviewed"' not in (tmp_path / "site/fresh/index.html").read_text(), built.stderr


def test_a_review_typed_in_by_hand_is_flagged_as_not_tied_to_the_text(tmp_path):
    site(tmp_path, {"en/typed.md": page("Typed", "Knees get sore. Ask your team.\n", extra=REVIEWED.format(date="2025-12-01"))})
    result = check(tmp_path, env={"SOURCE_DATE_EPOCH": EPOCH_2026_01_01})
    line = reviewed_line(tmp_path / "content/en/typed.md")
    assert (f"content/en/typed.md:{line}: warning[review.unrecorded]: the review was typed in by hand, so a later "
            "change to the text would not void it as it should") in result.stdout
    assert 'python build.py approve en/typed.md --by "Name, credentials"' in result.stdout


def test_a_review_dated_after_today_is_an_error_and_nothing_is_published(tmp_path):
    site(tmp_path, {"en/ahead.md": page("Ahead", "Knees get sore. Ask your team.\n", extra=REVIEWED.format(date="2026-06-01"))})
    env = {"SOURCE_DATE_EPOCH": EPOCH_2026_01_01}
    result = run_build("--content", "content", "--out", "site", "--no-handouts", "--no-search", cwd=tmp_path, env=env)
    line = reviewed_line(tmp_path / "content/en/ahead.md")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (f"content/en/ahead.md:{line}: error[review.future]: the review date 2026-06-01 is after today "
            "(2026-01-01)") in result.stderr
    assert not (tmp_path / "site").exists()
    assert "error[review.future]" in check(tmp_path, env=env).stdout  # the check says it too


def test_strict_turns_warnings_into_errors(tmp_path):
    body = "Knees get sore. Ask your team.\n"
    site(tmp_path, {"en/soon.md": page("Soon", body)})
    approve_on(tmp_path, "en/soon.md", "2025-01-20")
    env = {"SOURCE_DATE_EPOCH": EPOCH_2026_01_01}
    relaxed, strict = check(tmp_path, env=env), check(tmp_path, "--strict", env=env)
    assert (relaxed.returncode, strict.returncode) == (0, 1)
    assert "Check passed: 2 pages, 0 errors, 1 warning." in relaxed.stdout


def test_json_output_has_the_per_page_fields(tmp_path):
    site(tmp_path, {"en/scan.md": page("Scan", "Knees get sore. Ask your team.\n\nThe scan shows an osteolytic spot.\n")})
    result = check(tmp_path, "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert (data["passed"], data["errors"], data["warnings"]) == (False, 1, 0)
    pages = {p["rel"]: p for p in data["pages"]}
    assert list(pages) == ["en/index.md", "en/scan.md"]
    scan = pages["en/scan.md"]
    assert scan["path"] == "content/en/scan.md" and scan["title"] == "Scan"
    assert {"fk_grade", "smog", "fre", "words", "sentences", "targets", "boxes", "hardest"} <= set(scan["reading"])
    assert scan["reading"]["targets"] == {"fk_grade": 8, "smog": 8}
    assert scan["jargon"] == ["osteolytic"]
    assert scan["pemat"]["actionability"] == {"passed": 1, "applicable": 1, "percent": 100}
    assert [i["number"] for i in scan["pemat"]["items"]] == [1, 4, 8, 9, 11, 12, 15, 19, 20]
    assert scan["review"] == {"state": "unreviewed"}
    assert {p["code"] for p in scan["problems"]} == {"jargon", "review.none", "page.date"}  # not in git, no date


def test_the_html_report_is_written_with_the_chart(tmp_path):
    body = "Knees get sore. This page helps.\n\n## Why does it hurt?\n\n" + HARD + "\n\nAsk your team.\n"
    site(tmp_path, {"en/hard.md": page("Hard words", body)})
    result = check(tmp_path, "--report", "out/report.html")
    assert "Report written to out/report.html" in result.stdout
    html = (tmp_path / "out/report.html").read_text()
    chart = html[html.index("<svg"):html.index("</svg>")]
    assert len(re.findall(r"<rect ", chart)) == 2, "one bar per page"
    assert 'fill="#b3261e"' in chart and ">target 8<" in chart, "the hard page is red, and the target line is drawn"
    assert float(re.search(r"<title>hard: FK ([0-9.]+)</title>", chart).group(1)) > 8
    assert not re.search(r'(src|href)="(https?:)?//', html), "the report loads nothing from elsewhere"
    assert "<style>" in html and "<link" not in html


def test_no_report_file_unless_asked(tmp_path):
    site(tmp_path, {})
    check(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_a_page_that_does_not_load_is_listed_and_the_others_are_checked(tmp_path):
    site(tmp_path, {"en/broken.md": "---\ntitle: Broken\n---\nTODO: write this.\n"})
    result = check(tmp_path)
    assert result.returncode == 1
    assert 'content/en/broken.md:1: error[missing.description]: the required field "description" is missing' \
           in result.stdout
    assert "content/en/broken.md:4: error[placeholder]: placeholder text is still on the page: TODO: write this." \
           in result.stdout
    assert "pass 11 summary: 3 key points" in result.stdout, "the index page is still checked"


def test_spanish_pages_use_a_spanish_formula(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    shutil.copy(templates / "strings/en.yml", templates / "strings/es.yml")
    body = ("Muchas personas tienen dolor de rodilla. Esta página explica qué ayuda.\n\n## ¿Qué ayuda?\n\n"
            "Descanse la rodilla.\n\n![Una rodilla](images/knee.svg)\n")
    write_tree(tmp_path / "content", {"site.yml": SITE_YML.replace("[en]", "[es]"), "es/index.md": page("Rodilla", body),
                                      "es/images/knee.svg": KNEE_SVG})
    result = run_build("check", "--content", "content", "--templates", str(templates), "--format", "json", cwd=tmp_path)
    reading = json.loads(result.stdout)["pages"][0]["reading"]
    assert reading["lang"] == "es"
    assert reading["targets"] == {"inflesz": 55.0}
    assert reading["inflesz"] > 55 and "fk_grade" not in reading


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_missing_content_folder_is_an_error(tmp_path, fmt):
    result = check(tmp_path, "--format", fmt)
    assert result.returncode == 1
    assert "content: error[content.missing]: the content folder does not exist" in result.stdout or \
           json.loads(result.stdout)["site_problems"][0]["code"] == "content.missing"


def test_check_names_a_character_the_handouts_cannot_print(tmp_path):
    """The preview shows no handouts, so the check tells the editor what the build would refuse."""
    site(tmp_path, {"en/pills.md": page("Pills", "Bring your \N{PILL} list. Ask your team.\n")})
    result = check(tmp_path)
    line = (tmp_path / "content/en/pills.md").read_text().splitlines().index("Bring your \N{PILL} list. Ask your team.") + 1
    assert (f'content/en/pills.md:{line}: warning[handout.glyph]: the handouts cannot print "\N{PILL}" '
            "(U+1F48A PILL)") in result.stdout
