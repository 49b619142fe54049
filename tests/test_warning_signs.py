"""Warning signs written once: cards built from them, one help page, translations and checks that keep them honest."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, add_language, edit, run_build, write_tree


def build(content: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_build("--content", str(content), "--out", str(out), "--no-search", *extra, cwd=content.parent)


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory) -> Path:
    """The bundled site built once, handouts included."""
    out = tmp_path_factory.mktemp("bundled") / "site"
    result = run_build("--out", str(out), "--no-search", "--cache-dir", str(out.parent / "cache"))
    assert result.returncode == 0, result.stderr
    return out


class Cards(HTMLParser):
    """Collect each care card of a page: its classes, text, phone links and which line each link is in."""

    def __init__(self):
        super().__init__()
        self.cards, self.depth, self.line_class = [], 0, ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += tag == "div"
            if tag == "p":
                self.line_class = attrs.get("class", "")
            if tag == "a" and (attrs.get("href") or "").startswith("tel:"):
                self.cards[-1]["tel"].append((self.line_class, attrs["href"]))
            if tag == "a" and "care-group" in attrs.get("class", ""):
                self.cards[-1]["links"].append(attrs["href"])
        elif tag == "div" and "care-card" in (attrs.get("class") or ""):
            self.depth = 1
            self.cards.append({"class": attrs["class"], "text": "", "tel": [], "links": []})

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.cards[-1]["text"] += data


def cards_of(html: str) -> list[dict]:
    parser = Cards()
    parser.feed(html)
    return parser.cards


def signs_of(lang: str) -> list[dict]:
    data = yaml.safe_load((ROOT / "content" / lang / "warning-signs.yml").read_text())
    return [dict(sign, group=group) for group in data["groups"] for sign in group["signs"]]


@pytest.mark.slow
def test_every_card_on_the_bundled_site_says_one_first_action_with_its_number(bundled_site):
    pages = list(bundled_site.rglob("index.html"))
    seen = 0
    for path in pages:
        for card in cards_of(path.read_text()):
            seen += 1
            assert card["tel"], f"a card without a phone number on {path}"
            first_line, first_number = card["tel"][0]
            assert "care-action" in first_line, f"the first number of a card is its first action ({path})"
    assert seen >= 20, "the bundled site shows its warning signs as cards on many pages"


@pytest.mark.slow
def test_the_help_page_lists_every_sign_linked_to_the_page_that_explains_it(bundled_site):
    for lang, out in (("en", "help/index.html"), ("es", "es/help/index.html")):
        html = (bundled_site / out).read_text()
        cards = cards_of(html)
        text = " ".join(" ".join(card["text"].split()) for card in cards)
        for sign in signs_of(lang):
            assert " ".join(sign["says"].split()) in text, f"{lang}: {sign['id']} is missing from the help page"
        levels = [re.search(r"care-level-([\w-]+)", card["class"]).group(1) for card in cards]
        assert levels == ["emergency", "urgent", "same-day", "soon"], "most urgent first, one card per level"
        groups = {g["id"]: g["page"] for g in yaml.safe_load((ROOT / "content" / lang / "warning-signs.yml").read_text())["groups"]}
        links = {link for card in cards for link in card["links"]}
        targets = {(bundled_site / out).parent.joinpath(link).resolve() for link in links}
        for page in groups.values():
            assert (bundled_site / ("es" if lang == "es" else "") / page[:-3] / "index.html").resolve() in targets, page


@pytest.mark.slow
def test_get_help_now_is_in_the_header_of_every_page_and_handout(bundled_site):
    for path in bundled_site.rglob("index.html"):
        html = path.read_text()
        if "<header" not in html:
            continue
        spanish = "/es/" in path.as_posix()[len(str(bundled_site)):] or path.parent == bundled_site / "es"
        words = "Pida ayuda ahora" if spanish else "Get help now"
        match = re.search(r'<a class="help-now" href="([^"]+)">([^<]+)</a>', html)
        assert match and match.group(2) == words, path
        target = (path.parent / match.group(1)).resolve()
        assert target == (bundled_site / ("es/" if spanish else "") / "help/index.html").resolve(), path
        assert html.index('class="help-now"') < html.index("<main"), "help comes before the page's text"
    text = subprocess.run(["pdftotext", "-l", "1", str(bundled_site / "symptoms/symptoms.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    header = " ".join(text.split())
    first = header.index("Get help now: Call your care team's 24-hour number now: 555-0199.")
    assert first < header.index("If you cannot reach them, call 911 or go to the emergency room.")


@pytest.mark.slow
def test_cards_in_the_handouts_keep_the_same_words_and_order(bundled_site):
    text = subprocess.run(["pdftotext", str(bundled_site / "help/help.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for sign in signs_of("en"):
        assert " ".join(sign["says"].split()) in flat, sign["id"]
    order = [flat.index(words) for words in (
        "Call your care team's 24-hour number now: 555-0199.",
        "If you cannot reach them, call 911 or go to the emergency room.",
        "Call your care team's 24-hour number straight away: 555-0199.",
        "Call your care team today: 555-0100.",
        "Call your care team's office soon, during opening hours: 555-0100.")]
    assert order == sorted(order)


@pytest.fixture
def site(tmp_path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    return content


def test_a_misspelt_card_type_fails_with_a_did_you_mean(site, tmp_path):
    edit(site / "en/symptoms.md", "!!! signs hot-knee long-pain", "!!! urgnet")
    result = build(site, tmp_path / "out", "--no-handouts")
    assert result.returncode == 1
    assert 'content/en/symptoms.md:21: error[card.type]: there is no card type "urgnet"' in result.stderr
    assert 'hint: Did you mean "!!! signs urgent"?' in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_sign_fails_with_a_did_you_mean(site, tmp_path):
    edit(site / "en/symptoms.md", "!!! signs hot-knee long-pain", "!!! signs hot-kne")
    result = build(site, tmp_path / "out", "--no-handouts")
    assert result.returncode == 1
    assert 'content/en/symptoms.md:21: error[card.sign]: there is no warning sign, group or level "hot-kne"' in result.stderr
    assert 'Did you mean "hot-knee"?' in result.stderr


def test_a_sign_written_twice_fails_naming_both_lines(site, tmp_path):
    path = site / "en/warning-signs.yml"
    path.write_text(path.read_text() + "      - id: hot-knee\n        level: non-urgent\n        says: A warm knee\n"
                    "      - id: red-knee\n        level: non-urgent\n        says: A hot, red knee\n")
    result = build(site, tmp_path / "out", "--no-handouts")
    assert result.returncode == 1
    assert 'content/en/warning-signs.yml:16: error[sign.duplicate]: the id "hot-knee" is used twice (also at line 9)' \
           in result.stderr
    assert 'content/en/warning-signs.yml:19: error[sign.twice]: this sign says the same as "hot-knee" (line 9)' \
           in result.stderr


def test_the_same_sign_at_two_levels_in_two_languages_fails_naming_both(site, tmp_path):
    add_language(site, "es")
    text = (site / "en/warning-signs.yml").read_text().replace("level: urgent", "level: non-urgent")
    write_tree(site, {"es/index.md": "---\ntitle: Rodillas\ndescription: Una frase.\nsources:\n  - title: K\n"
                                     "    publisher: E\n    url: https://health.example.org/k\n---\nTexto.\n",
                      "es/warning-signs.yml": text.replace("page: symptoms.md", "page: index.md"),
                      "es/help.md": (site / "en/help.md").read_text()})
    result = build(site, tmp_path / "out", "--no-handouts")
    assert result.returncode == 1
    assert ('content/es/warning-signs.yml:9: error[sign.level-differs]: "hot-knee" is "non-urgent" here but "urgent" '
            "in content/en/warning-signs.yml:9") in result.stderr


def test_a_level_missing_in_one_language_is_an_error(site, tmp_path):
    add_language(site, "es")
    path = site / "site.yml"
    data = yaml.safe_load(path.read_text())
    del data["warning_levels"][1]["heading"]["es"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = build(site, tmp_path / "out", "--no-handouts")
    assert result.returncode == 1
    assert 'error[level.language]: the level has no "heading" in es' in result.stderr


@pytest.mark.parametrize("action, message", [
    ("Call your care team now.", "the level's action does not say which number to call"),
    ("Call {doctor} now.", 'may only use the numbers {phone}, {after_hours_phone}, {emergency_number}'),
])
def test_a_card_never_renders_without_its_numbers(site, tmp_path, action, message):
    edit(site / "site.yml", 'action: "Call your care team now: {after_hours_phone}."', f'action: "{action}"')
    result = build(site, tmp_path / "out", "--no-handouts")
    assert result.returncode == 1
    assert "content/site.yml:" in result.stderr and message in result.stderr


def test_a_level_that_needs_the_24_hour_number_needs_the_clinic_to_have_one(site, tmp_path):
    edit(site / "site.yml", '  after_hours_phone: "555-0122"\n', "")
    result = build(site, tmp_path / "out", "--no-handouts")
    assert result.returncode == 1
    assert "error[level.number]: the level uses {after_hours_phone}, but the clinic has none" in result.stderr


def test_each_number_link_dials_the_number_as_written(site, tmp_path):
    edit(site / "site.yml", '  phone: "555-0111"', '  phone: "1-800-4-CANCER"')  # a keypad number
    edit(site / "site.yml", '  after_hours_phone: "555-0122"', '  after_hours_phone: "+1 (555) 0122 ext. 2"')
    result = build(site, tmp_path / "out", "--no-handouts")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out/index.html").read_text()
    card = cards_of(html)[0]
    assert ("care-call care-action", "tel:+15550122;ext=2") in card["tel"]  # the extension is not dialled as the number
    assert ">+1 (555) 0122 ext. 2</a>" in html  # shown as written
    footer = html[html.index('class="site-footer"'):]
    assert 'href="tel:18004226237">1-800-4-CANCER</a>' in footer and 'href="tel:+15550122;ext=2"' in footer


@pytest.mark.parametrize("number", ["ask at reception", "555-0122 #2", "12"])
def test_a_number_no_phone_can_dial_is_refused_at_its_line(site, tmp_path, number):
    edit(site / "site.yml", '  after_hours_phone: "555-0122"', f'  after_hours_phone: "{number}"')
    result = build(site, tmp_path / "out", "--no-handouts")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(n for n, text in enumerate((site / "site.yml").read_text().splitlines(), 1) if "after_hours_phone" in text)
    assert (f'content/site.yml:{line}: error[type.after_hours_phone]: "after_hours_phone" must be a phone number '
            f'a phone can dial, got "{number}"') in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_changed_english_sign_marks_its_spanish_sign_and_pages_stale(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    assert build(content, tmp_path / "before", "--no-handouts").stderr.count("warning[") == 0
    edit(content / "en/warning-signs.yml", "says: Being very thirsty and drinking far more than usual",
         "says: Being very thirsty, and drinking far more than you usually do")
    result = build(content, tmp_path / "out", "--no-handouts")
    assert result.returncode == 0, result.stderr
    assert ('content/es/warning-signs.yml:97: warning[translation.behind]: the sign "calcium-thirst" changed in '
            "content/en/warning-signs.yml:100 since it was translated") in result.stderr
    assert "content/es/symptoms/high-calcium.md:1: warning[translation.behind]" in result.stderr, "its card changed too"
    spanish = (tmp_path / "out/es/symptoms/high-calcium/index.html").read_text()
    assert "La página en inglés cambió" in spanish
    assert run_build("translated", "es/warning-signs.yml", "--content", str(content), cwd=tmp_path).returncode == 0
    again = build(content, tmp_path / "again", "--no-handouts")
    assert "warning-signs.yml:97: warning" not in again.stderr


def test_translated_signs_outside_the_content_folder_are_refused_and_left_alone(tmp_path):
    content = tmp_path / "project/content"
    shutil.copytree(ROOT / "content", content)
    elsewhere = tmp_path / "elsewhere/warning-signs.yml"  # a valid signs file of someone else's
    elsewhere.parent.mkdir()
    elsewhere.write_text("\n".join(line for line in (content / "es/warning-signs.yml").read_text().split("\n")
                                   if "translation_of" not in line))
    before = elsewhere.read_bytes()
    for rel in ("es/../../../elsewhere/warning-signs.yml", "es/./warning-signs.yml/../warning-signs.yml"):
        result = run_build("translated", rel, "--content", str(content), cwd=tmp_path)
        assert result.returncode == 1 and "LANG/warning-signs.yml" in result.stderr, result.stderr
    assert elsewhere.read_bytes() == before


def test_a_sign_changing_level_voids_the_review_of_a_page_that_shows_it(site, tmp_path):
    assert run_build("approve", "en/symptoms.md", "--by", "Ana Ruiz, MD", "--content", str(site),
                     cwd=tmp_path).returncode == 0
    assert "warning[review.changed]" not in build(site, tmp_path / "a", "--no-handouts").stderr
    edit(site / "en/warning-signs.yml", "      - id: hot-knee\n        level: urgent", "      - id: hot-knee\n        level: emergency")
    result = build(site, tmp_path / "b", "--no-handouts")
    assert "content/en/symptoms.md:1: warning[review.changed]" in result.stderr
    assert "was changed after its last clinical review" in (tmp_path / "b/symptoms/index.html").read_text()


def test_open_decisions_are_never_published_as_settled_advice(site, tmp_path):
    edit(site / "en/warning-signs.yml", "        says: A hot, red knee\n",
         "        says: A hot, red knee\n        decision: The sources differ on urgent or emergency.\n")
    check = run_build("check", "--content", str(site), cwd=tmp_path)
    assert ('content/en/warning-signs.yml:9: note[sign.decision]: "hot-knee" is shown as urgent; its level waits '
            "for a clinician's decision: The sources differ on urgent or emergency.") in check.stdout
    assert "Warning signs whose level waits for a clinician's decision: hot-knee" in check.stdout
    edit(site / "site.yml", "publish_unreviewed: true", "publish_unreviewed: false")
    result = build(site, tmp_path / "out", "--no-handouts")
    assert result.returncode == 1
    assert "content/en/warning-signs.yml:9: error[sign.decision]" in result.stderr


def test_check_reports_unshown_signs_and_urgent_signs_talked_about_without_a_card(site, tmp_path):
    edit(site / "en/symptoms.md", "!!! signs hot-knee long-pain", "A hot knee can be a worry.")
    result = run_build("check", "--content", str(site), cwd=tmp_path)
    assert ('content/en/warning-signs.yml:9: warning[sign.unshown]: no page shows the sign "hot-knee" in a care card'
            in result.stdout)
    assert ('content/en/symptoms.md:21: warning[sign.mentioned]: the page talks about "hot knee", a sign that is '
            'urgent ("hot-knee"), but shows no card for it') in result.stdout


def test_a_site_on_another_topic_builds_its_cards_and_help_page(tmp_path):
    """A lymphedema clinic's site: its own levels, signs and pages, in the HTML and the PDFs."""
    head = "---\ntitle: {title}\ndescription: {title}.\n{extra}sources:\n  - title: Lymphedema\n    publisher: NCI\n" \
           "    url: https://www.cancer.gov/lymphedema\n---\n"
    content = write_tree(tmp_path / "content", {
        "site.yml": "title: Swelling after cancer\nbase_url: https://swelling.example.org/\nlanguages: [en]\n"
                    "clinic: {name: Limb Clinic, phone: '0161 496 0000', address: 1 Road}\nemergency_number: '999'\n"
                    "publish_unreviewed: true\nwarning_levels:\n"
                    "  - {id: now, name: Now, heading: 'Go to hospital now if you have:', "
                    "action: 'Call {emergency_number} now.'}\n"
                    "  - {id: today, name: Today, heading: 'Ring the clinic today if you have:', "
                    "action: 'Ring the clinic today on {phone}.', fallback: 'Out of hours, ring {emergency_number}.'}\n",
        "en/warning-signs.yml": "groups:\n  - id: infection\n    name: An infection in the arm\n    page: infection.md\n"
                                "    signs:\n      - {id: red-arm, level: today, says: 'A red, hot arm'}\n"
                                "      - {id: fever, level: now, says: 'A high temperature and shivering'}\n",
        "en/index.md": head.format(title="Swelling", extra="") + "Swelling can follow treatment.\n\n!!! signs now\n",
        "en/infection.md": head.format(title="Infection", extra="") + "An arm can get infected.\n\n!!! signs infection\n",
        "en/help.md": head.format(title="Get help", extra="layout: warning-signs\n") + "Signs, most urgent first.\n",
    })
    out = tmp_path / "site"
    result = build(content, out)
    assert result.returncode == 0, result.stderr
    cards = cards_of((out / "infection/index.html").read_text())
    assert [c["class"].split()[-1] for c in cards] == ["care-level-now", "care-level-today"]
    assert cards[0]["tel"] == [("care-call care-action", "tel:999")]
    assert cards[1]["tel"] == [("care-call care-action", "tel:01614960000"), ("care-call care-fallback", "tel:999")]
    help_cards = cards_of((out / "help/index.html").read_text())
    assert "A high temperature and shivering" in help_cards[0]["text"] and "A red, hot arm" in help_cards[1]["text"]
    assert '<a class="help-now" href="../help/index.html">Get help now</a>' in (out / "infection/index.html").read_text()
    def pdf_text(rel: str) -> str:
        pdf = subprocess.run(["pdftotext", str(out / rel), "-"], capture_output=True, text=True, check=True).stdout
        return " ".join(pdf.split())

    assert "Get help now: Call 999 now." in pdf_text("infection/infection.pdf")  # the header of every handout
    flat = pdf_text("help/help.pdf")  # the sheet, whose cards say it first
    assert "Get help now:" not in flat
    assert flat.index("Go to hospital now if you have:") < flat.index("Ring the clinic today if you have:")
    assert "Ring the clinic today on 0161 496 0000." in flat and "Out of hours, ring 999." in flat
