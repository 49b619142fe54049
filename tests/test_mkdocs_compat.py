"""Content stays portable: our Markdown builds with MkDocs + Material in strict mode.

A clinic must never be locked in to our generator. These tests build the bundled pages of each
language (and the fixture site) with MkDocs + Material, `mkdocs build --strict`, with every link and
anchor check turned up to a warning, so that strict mode fails on any of them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import mkdocs_config  # noqa: E402  (the same mkdocs.yml the benchmark uses)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not all(importlib.util.find_spec(m) for m in ("mkdocs", "material", "pymdownx")),
    reason="MkDocs + Material are not installed: pip install -e '.[compare]' (CI installs them)")]

# MkDocs reports unresolved links and anchors at "info" level by default, which --strict ignores.
STRICT_VALIDATION = {
    "nav": {"omitted_files": "warn", "not_found": "warn", "absolute_links": "warn"},
    "links": {"not_found": "warn", "anchors": "warn", "absolute_links": "warn", "unrecognized_links": "warn"},
}


def mkdocs_build(lang_dir: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    """Build a copy of one language folder with MkDocs in strict mode; return (result, site)."""
    docs = tmp_path / "docs"
    shutil.copytree(lang_dir, docs)
    config = {**mkdocs_config("Portability check", "docs"), "validation": STRICT_VALIDATION}
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file),
                             "-d", str(site)], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})  # quiet Material's banner
    return result, site


def expected_pages(lang_dir: Path) -> set[str]:
    """Return the HTML files MkDocs should write for the Markdown pages (directory URLs)."""
    out = set()
    for page in lang_dir.rglob("*.md"):
        rel = page.relative_to(lang_dir).with_suffix("")
        folder = rel.parent if rel.name == "index" else rel
        out.add((folder / "index.html").as_posix())
    return out


@pytest.mark.parametrize("lang_dir", [ROOT / "content" / "en", ROOT / "content" / "es", FIXTURES / "basic" / "en"],
                         ids=["bundled-english", "bundled-spanish", "fixture"])
def test_builds_with_mkdocs_material_in_strict_mode(lang_dir, tmp_path):
    assert (lang_dir / "index.md").is_file(), f"{lang_dir} has no index.md"
    result, site = mkdocs_build(lang_dir, tmp_path)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    built = {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    assert expected_pages(lang_dir) <= built


def test_warning_sign_cards_read_sensibly_in_mkdocs(tmp_path):
    """In MkDocs a `!!! signs` card is a box titled "Signs" with the page's own words and a link to the help page."""
    result, site = mkdocs_build(ROOT / "content" / "en", tmp_path)
    assert result.returncode == 0, result.stderr
    html = (site / "help/pain/index.html").read_text()
    box = html[html.index('<div class="admonition signs broken-bone">'):]
    box = box[: box.index("</div>")]
    assert '<p class="admonition-title">Signs</p>' in box
    assert "Some signs that come with pain need help even faster." in box
    assert 'href="../">when to get help</a>' in box  # help/pain/ to help/, the help page
