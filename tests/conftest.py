"""Shared helpers: small sites written from dicts, and the build run as users run it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} under root and return root."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


def run_build(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300,
              **popen) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` as a user would and capture its output (popen: more for subprocess.run)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("SITEGEN_DEBUG", None)
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, env=full_env, timeout=timeout, **popen)


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first old with new in a file, as an editor's save; old must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_language(content: Path, lang: str) -> None:
    """Add a language to a site's site.yml, its warning levels worded (as a test stand-in) in it too."""
    path = content / "site.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["languages"] = [*data["languages"], lang]
    for level in data.get("warning_levels", []):
        for key, text in level.items():
            if key != "id":
                level[key] = {**(text if isinstance(text, dict) else {data["languages"][0]: text}), lang: f"[{lang}] {text}"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def tree_digest(root: Path) -> dict[str, str]:
    """Return {relative path: sha256} of every file under root."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def page_source(title: str, body: str, description: str = "A test page.") -> str:
    """Return a page's Markdown: the front matter every page needs (a title, a description, a source), then body."""
    return (f"---\ntitle: {title}\ndescription: {description}\nsources:\n  - title: K\n    publisher: E\n"
            f"    url: https://e.example.org/k\n---\n{body}")


@pytest.fixture
def basic_content(tmp_path) -> Path:
    """A fresh copy of the small fixture site, safe to modify."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "basic", target)
    return target


@pytest.fixture(scope="session")
def basic_built(tmp_path_factory) -> Path:
    """The fixture site built once (HTML only) for tests that only read it."""
    out = tmp_path_factory.mktemp("basic") / "site"
    result = run_build("--content", str(FIXTURES / "basic"), "--out", str(out), "--no-handouts")
    assert result.returncode == 0, result.stderr
    return out
