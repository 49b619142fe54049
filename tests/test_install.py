"""sitegen as another clinic gets it: the built wheel installed into a fresh venv outside this repository.

The wheel is built from a copy of the sources (nothing is written into the checkout) with the
setuptools of this venv, and installed without an index, so the test needs no network. The new
venv has only sitegen itself; the packages it depends on are read from this project's venv
through a .pth file (offline, as a wheelhouse would be), and `pip check` confirms that they
satisfy what the wheel asks for.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

EVERY_OPTION = ("--languages", "en,es", "--title", "Lymphedema care", "--title", "es=Cuidado del linfedema",
                "--clinic-name", "Lakeside Lymphedema Clinic", "--phone", "555-0140", "--after-hours-phone", "555-0149",
                "--address", "12 Lake Road, Springfield", "--emergency-number", "911",
                "--base-url", "https://lymph.example.org/", "--timezone", "America/Chicago",
                "--sitegen-from", "sitegen @ git+https://github.com/example/sitegen@v0.1.0")


def run(*args, cwd: Path, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the fresh venv's bin folder, an environment to run it in, the wheel)."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name if source.exists() else _mkdir(source) / name)
    for folder in ("sitegen", "templates"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV", "SITEGEN"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--check-build-dependencies",
        "--no-index", "-w", work / "dist", source, cwd=work, env=env)
    wheel = next((work / "dist").glob("sitegen-*.whl"))
    venv = work / "clinic-venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=work, env=env)
    python = venv / "bin/python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=work, env=env)
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=work, env=env).stdout.strip()
    ours = [p for p in {*site.getsitepackages(), sysconfig.get_paths()["purelib"]} if Path(p).is_dir()]
    (Path(purelib) / "zz-project-dependencies.pth").write_text("\n".join(ours) + "\n")
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return venv / "bin", env, wheel


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def test_the_wheel_holds_the_whole_default_theme_and_starter_site(installed):
    _, _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = {f"sitegen/default_theme/{p.relative_to(ROOT / 'templates').as_posix()}"
             for p in (ROOT / "templates").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    starter = {p.relative_to(ROOT).as_posix() for p in (ROOT / "sitegen/starter").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert theme and theme <= names, sorted(theme - names)
    assert starter <= names, sorted(starter - names)
    assert not any(name.startswith("templates/") for name in names)  # one copy, inside the package


def test_installed_sitegen_starts_a_site_builds_it_checks_it_and_takes_a_template_override(installed, tmp_path):
    bin_dir, env, _ = installed
    clinic = tmp_path / "clinic"  # outside the repository
    clinic.mkdir()
    where = run(bin_dir / "python", "-c", "import sitegen, sys; print(sitegen.__file__)", cwd=clinic, env=env).stdout
    assert where.startswith(str(bin_dir.parent)) and not where.startswith(str(ROOT))
    run(bin_dir / "python", "-m", "pip", "check", cwd=clinic, env=env)  # the wheel's dependencies are all there
    run(bin_dir / "sitegen", "init", "lymph", *EVERY_OPTION, cwd=clinic, env=env)
    site = clinic / "lymph"
    check = run(bin_dir / "sitegen", "check", "--strict", cwd=site, env=env)
    assert "Check passed: 6 pages, 0 errors, 0 warnings." in check.stdout
    build = run(bin_dir / "sitegen", "build", cwd=site, env=env)
    assert "Built 6 pages in 2 languages (en, es), 0 warnings" in build.stdout
    assert (site / "site/index.html").is_file() and (site / "site/overview.pdf").is_file()
    assert (site / "site/assets/site.css").is_file() and (site / "site/pagefind").is_dir()
    run(bin_dir / "sitegen", "theme", "--copy", "page.html", cwd=site, env=env)
    page = site / "templates/page.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h1>", '<p class="clinic-banner">Lakeside</p>\n<h1>', 1))
    run(bin_dir / "sitegen", "build", "--no-handouts", cwd=site, env=env)
    assert '<p class="clinic-banner">Lakeside</p>' in (site / "site/help/index.html").read_text(encoding="utf-8")
    assert '<p class="clinic-banner">' not in (site / "site/404.html").read_text(encoding="utf-8")


def test_installed_sitegen_brings_in_an_mkdocs_site_and_builds_it(installed, tmp_path):
    bin_dir, env, _ = installed
    shutil.copytree(FIXTURES / "mkdocs", tmp_path / "old-site")
    run(bin_dir / "sitegen", "import", "old-site", "new-site", cwd=tmp_path, env=env)
    build = run(bin_dir / "sitegen", "build", cwd=tmp_path / "new-site", env=env)
    assert "Built 8 pages in 1 language (en)" in build.stdout
    assert (tmp_path / "new-site/site/living-with/skin-care/index.html").is_file()
