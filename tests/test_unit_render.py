"""render.py: the Renderer renders, and a template mistake becomes a ContentError at the template's line."""

from __future__ import annotations

import pytest

from sitegen.config import Clinic, SiteConfig
from sitegen.diagnostics import ContentError
from sitegen.render import Renderer

from conftest import ROOT, write_tree

CONFIG = SiteConfig("Knee Care", "", "https://knees.example.org/", ("en", "es"), Clinic("Clinic", "555-0111", "Road"),
                    titles=(("en", "Knee Care"), ("es", "Cuidado de la rodilla")))
BASE = "<html>\n<body>\n{% block body %}{% endblock %}\n<p>{{ footer }}</p>\n</body>\n</html>\n"
PAGE = '{% extends "base.html" %}\n{% block body %}\n<h1>{{ title }}</h1>\n{% endblock %}\n'


def renderer(tmp_path, files: dict[str, str], cache_dir=None) -> Renderer:
    return Renderer(write_tree(tmp_path / "templates", files), CONFIG, cache_dir)


def error(tmp_path, files, template="page.html", **context):
    with pytest.raises(ContentError) as exc:
        renderer(tmp_path, files).render(template, "content/en/a.md", **context)
    return exc.value.diagnostic


def test_render_passes_the_context_and_the_site_in_the_page_s_language(tmp_path):
    r = renderer(tmp_path, {"base.html": BASE, "page.html": PAGE.replace("{{ title }}", "{{ title }}: {{ site.title }}")})
    assert "<h1>Signs: Knee Care</h1>" in r.render("page.html", "x", title="Signs", footer="f")
    assert "<h1>Señales: Cuidado de la rodilla</h1>" in r.render("page.html", "x", title="Señales", footer="f", lang="es")


def test_values_are_escaped(tmp_path):
    r = renderer(tmp_path, {"base.html": BASE, "page.html": PAGE})
    assert "<h1>&lt;script&gt;</h1>" in r.render("page.html", "x", title="<script>", footer="")


def test_a_syntax_error_names_the_template_and_its_line(tmp_path):
    d = error(tmp_path, {"base.html": BASE, "page.html": PAGE.replace("{% endblock %}", "{% endblok %}")},
              title="t", footer="f")
    assert d.code == "template" and d.path.endswith("templates/page.html") and d.line == 4
    assert "content/en/a.md" in d.message and "endblok" in d.message


def test_a_syntax_error_in_the_base_template_names_that_one(tmp_path):
    d = error(tmp_path, {"base.html": BASE.replace("{{ footer }}", "{{ footer }"), "page.html": PAGE},
              title="t", footer="f")
    assert d.path.endswith("templates/base.html") and d.line == 4


def test_an_undefined_name_names_the_template_and_its_line(tmp_path):
    d = error(tmp_path, {"base.html": BASE, "page.html": PAGE}, footer="f")  # no title
    assert d.code == "template" and d.path.endswith("templates/page.html") and d.line == 3
    assert "'title' is undefined" in d.message and "pagecontext.py" in d.hint


def test_an_undefined_attribute_is_an_error_too(tmp_path):
    d = error(tmp_path, {"base.html": BASE, "page.html": PAGE.replace("{{ title }}", "{{ page.titel }}")},
              page={"title": "t"}, footer="f")
    assert "titel" in d.message and d.line == 3


def test_an_undefined_name_in_the_base_template_names_the_base_template(tmp_path):
    d = error(tmp_path, {"base.html": BASE, "page.html": PAGE}, title="t")  # no footer, used by base.html line 4
    assert (d.path.rsplit("/", 1)[-1], d.line) == ("base.html", 4)


def test_a_missing_template(tmp_path):
    d = error(tmp_path, {"base.html": BASE}, template="leaflet.html", title="t")  # neither theme has one
    assert d.code == "template" and d.path.endswith("templates/leaflet.html") and "leaflet.html" in d.message


def test_compiled_templates_are_kept_in_the_cache_folder(tmp_path):
    files = {"base.html": BASE, "page.html": PAGE}
    renderer(tmp_path, files, tmp_path / "cache").render("page.html", "x", title="t", footer="f")
    assert list((tmp_path / "cache" / "jinja").iterdir())
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be")
    assert "<h1>t</h1>" in renderer(tmp_path, files, blocked).render("page.html", "x", title="t", footer="f")


def test_sources_are_every_page_template_with_its_text_the_site_s_own_first(tmp_path):
    r = renderer(tmp_path, {"base.html": BASE, "page.html": PAGE, "handout.css": "p{}", "strings/en.yml": "a: b"})
    sources = dict(source.split(":", 1) for source in r.sources())
    assert (sources["base.html"], sources["page.html"]) == (BASE, PAGE)  # the site's own files win
    assert sorted(sources) == sorted(p.name for p in (ROOT / "templates").glob("*.html"))  # the default theme's others
