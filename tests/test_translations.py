"""The Spanish edition machinery: switcher, hreflang, fallbacks, stale translations and review sign-off."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml

from sitegen.fields import placeholders

from conftest import FIXTURES, ROOT, add_language, run_build

ES_HEAD = ("---\ntitle: {title}\ndescription: Una frase.\nsources:\n  - title: Knee pain\n"
           "    publisher: Example Health Service\n    url: https://health.example.org/knee-pain\n---\n")


@pytest.fixture
def bilingual(tmp_path):
    """The fixture site with a Spanish edition of two of its pages (glossary and living/ not translated)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    add_language(content, "es")
    (content / "es").mkdir()
    (content / "es/index.md").write_text(ES_HEAD.format(title="Rodillas doloridas") +
                                         "Vea [los signos](symptoms.md) y [el glosario](glossary.md).\n")
    (content / "es/symptoms.md").write_text(ES_HEAD.format(title="Signos") + "## ¿Cuáles son los signos?\n\nDolor.\n")
    for rel in ("es/index.md", "es/symptoms.md"):
        assert run_build("translated", rel, "--content", str(content), cwd=tmp_path).returncode == 0
    return content


def build(content, tmp_path, *extra):
    out = tmp_path / "out"
    result = run_build("--content", str(content), "--out", str(out), "--no-handouts", "--no-search", *extra, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return out, result


def test_switcher_and_hreflang_link_the_two_languages(bilingual, tmp_path):
    out, _ = build(bilingual, tmp_path)
    en = (out / "symptoms/index.html").read_text()
    es = (out / "es/symptoms/index.html").read_text()
    assert '<a href="../es/symptoms/index.html" hreflang="es" lang="es">Español</a>' in en
    assert '<a href="../../symptoms/index.html" hreflang="en" lang="en">English</a>' in es
    assert '<link rel="alternate" hreflang="es" href="https://knees.example.org/guides/es/symptoms/">' in en
    assert '<link rel="alternate" hreflang="en" href="https://knees.example.org/guides/symptoms/">' in es
    assert '<html lang="es">' in es and "Puntos clave" not in es and '<nav class="topic-bar" aria-label="Temas">' in es


def test_untranslated_page_falls_back_to_english(bilingual, tmp_path):
    out, result = build(bilingual, tmp_path)
    es_home = (out / "es/index.html").read_text()
    assert 'href="../glossary/index.html"' in es_home, "the Spanish link goes to the English glossary"
    en_glossary = (out / "glossary/index.html").read_text()
    assert '<a href="../es/index.html" hreflang="es" lang="es">Español</a>' in en_glossary
    assert "content/en/glossary.md: warning[translation.missing]" in result.stderr


def test_translation_notices_and_stale_detection(bilingual, tmp_path):
    out, result = build(bilingual, tmp_path)
    es = (out / "es/symptoms/index.html").read_text()
    assert "Un traductor médico aún no la ha revisado." in es
    assert "La página en inglés cambió" not in es
    assert "warning[translation" not in result.stderr.replace("translation.missing", "")
    english = bilingual / "en/symptoms.md"
    english.write_text(english.read_text().replace("- swelling", "- swelling and heat"))
    out, result = build(bilingual, tmp_path)
    es = (out / "es/symptoms/index.html").read_text()
    assert "La página en inglés cambió después de hacer esta traducción." in es
    assert 'href="../../symptoms/index.html" hreflang="en">Lea la página en inglés.</a>' in es
    assert "content/es/symptoms.md:1: warning[translation.behind]: en/symptoms.md changed since this translation" in result.stderr
    assert "python build.py translated es/symptoms.md" in result.stderr


def test_translated_records_the_fingerprint(bilingual, tmp_path):
    meta = yaml.safe_load((bilingual / "es/symptoms.md").read_text().split("---")[1])
    assert re.fullmatch(r"[0-9a-f]{12}", meta["translation_of"])
    assert meta["title"] == "Signos", "other fields are kept"
    result = run_build("translated", "en/symptoms.md", "--content", str(bilingual), cwd=tmp_path)
    assert result.returncode == 1 and "error[translation.default]" in result.stderr


def test_approve_then_edit_withdraws_the_review_claim(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", content)
    result = run_build("approve", "en/index.md", "--by", "Dana Example, RN", "--content", str(content), cwd=tmp_path,
                       env={"SOURCE_DATE_EPOCH": "1790000000"})
    assert result.returncode == 0, result.stderr
    out, _ = build(content, tmp_path)
    html = (out / "index.html").read_text()
    assert "Reviewed on September 21, 2026 by Dana Example, RN." in html
    page = content / "en/index.md"
    page.write_text(page.read_text().replace("Rest the knee.", "Rest the knee for a day."))
    out, result = build(content, tmp_path)
    html = (out / "index.html").read_text()
    assert "This page was changed after its last clinical review on September 21, 2026." in html
    assert "Reviewed on" not in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert "lastReviewed" not in data and "reviewedBy" not in data
    assert "content/en/index.md:1: warning[review.changed]" in result.stderr


def test_approve_needs_name_and_credentials(tmp_path):
    result = run_build("approve", "en/index.md", "--by", "Dana", "--content", str(FIXTURES / "basic"), cwd=tmp_path)
    assert result.returncode == 2 and "name and credentials" in result.stderr


def test_every_language_has_every_interface_string():
    strings = {p.stem: yaml.safe_load(p.read_text()) for p in (ROOT / "templates/strings").glob("*.yml")}
    assert {"en", "es"} <= set(strings)
    for lang, table in strings.items():
        assert set(table) == set(strings["en"]), lang
        for key, text in table.items():  # a translation fills in the same {placeholders}
            assert placeholders(text) == placeholders(strings["en"][key]), (lang, key)


def alt_texts(reader) -> list[str]:
    """Every /Alt in a PDF's structure tree: what a screen reader says for each figure."""
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if isinstance(node, dict):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            stack.extend([node["/K"]] if "/K" in node else [])
        elif isinstance(node, list):
            stack.extend(node)
    return found


def test_handouts_carry_the_translation_and_review_notices(bilingual, tmp_path):
    from pypdf import PdfReader

    page = bilingual / "en/symptoms.md"
    assert run_build("approve", "en/symptoms.md", "--by", "Dana Example, RN", "--content", str(bilingual),
                     cwd=tmp_path).returncode == 0
    page.write_text(page.read_text().replace("- swelling", "- swelling and heat"))
    out = tmp_path / "out"
    result = run_build("--content", str(bilingual), "--out", str(out), "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr

    def text(rel):
        return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(out / rel).pages)

    spanish = text("es/symptoms/symptoms.pdf")
    assert "Un traductor médico aún no la ha revisado." in spanish
    assert "Código QR: knees.example.org/guides/es/symptoms/" in alt_texts(PdfReader(out / "es/symptoms/symptoms.pdf"))
    assert "La página en inglés cambió" in spanish
    english = text("symptoms/symptoms.pdf")
    assert "This page was changed after its last clinical review" in english
    assert "Reviewed on" not in english
