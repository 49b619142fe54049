"""`init DIR` makes a site that builds at once; what it could not know is a TODO that `check` lists."""

from __future__ import annotations

import errno
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, edit, run_build
from sitegen.cli import main

FAST = ("--no-handouts", "--no-search")
EVERY_OPTION = ("--languages", "en,es", "--title", "Lymphedema care", "--title", "es=Cuidado del linfedema",
                "--clinic-name", "Lakeside Lymphedema Clinic", "--phone", "555-0140", "--after-hours-phone", "555-0149",
                "--address", "12 Lake Road, Springfield", "--emergency-number", "911",
                "--base-url", "https://lymph.example.org/care", "--timezone", "America/Chicago",
                "--website", "https://lakeside.example.org/",
                "--sitegen-from", "sitegen @ git+https://github.com/example/sitegen@v0.1.0")


def init(target: Path, *options: str, **popen) -> subprocess.CompletedProcess:
    """Run init as a script would: input is not a terminal, so it must never wait for an answer."""
    return run_build("init", str(target), *options, cwd=target.parent, stdin=subprocess.DEVNULL, timeout=60, **popen)


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_with_every_option_the_new_site_builds_and_passes_check_strict(tmp_path):
    site = tmp_path / "lymph"
    result = init(site, *EVERY_OPTION)
    assert result.returncode == 0, result.stderr
    assert "Every detail is filled in." in result.stdout
    assert {"content/site.yml", "README.md", ".gitignore", ".github/workflows/publish.yml", "requirements.txt",
            "content/en/index.md", "content/en/help.md", "content/en/glossary.md", "content/en/glossary.yml",
            "content/en/warning-signs.yml", "content/es/index.md", "content/es/warning-signs.yml"} <= files(site)
    settings = yaml.safe_load((site / "content/site.yml").read_text(encoding="utf-8"))
    assert settings["clinic"] == {"name": "Lakeside Lymphedema Clinic", "phone": "555-0140", "after_hours_phone": "555-0149",
                                  "address": "12 Lake Road, Springfield", "website": "https://lakeside.example.org/"}
    assert settings["title"] == {"en": "Lymphedema care", "es": "Cuidado del linfedema"}
    assert settings["base_url"] == "https://lymph.example.org/care/" and settings["timezone"] == "America/Chicago"
    assert [level["id"] for level in settings["warning_levels"]] == ["emergency", "urgent", "same-day", "soon"]
    check = run_build("check", "--strict", cwd=site)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Check passed: 6 pages, 0 errors, 0 warnings." in check.stdout
    built = run_build("build", *FAST, cwd=site)
    assert built.returncode == 0, built.stderr
    home = (site / "site/index.html").read_text(encoding="utf-8")
    assert "<h1>Lymphedema care</h1>" in home and "Call <a" in home and 'href="tel:911"' in home
    assert "Trouble breathing" in home  # the emergency card, from the warning signs
    help_es = (site / "site/es/help/index.html").read_text(encoding="utf-8")
    assert "Dificultad para respirar" in help_es and "Llame ahora al" in help_es


def test_without_options_or_a_terminal_it_does_not_wait_and_check_lists_the_placeholders(tmp_path):
    site = tmp_path / "new-site"
    started = time.monotonic()
    result = init(site)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 30
    assert "Still to fill in (9 TODOs" in result.stdout and "content/site.yml:9: phone:" in result.stdout
    assert run_build("build", *FAST, cwd=site).returncode == 0  # it builds at once, placeholders and all
    check = run_build("check", cwd=site)
    assert check.returncode == 1
    for where, what in [("content/site.yml:9", "TODO: the clinic's phone number"),
                        ("content/site.yml:10", "TODO: the 24-hour phone number"),
                        ("content/site.yml:12", "TODO: the emergency number"),
                        ("content/en/index.md:2", "TODO: the site's title"),
                        ("requirements.txt:3", "TODO: where the publishing workflow installs sitegen")]:
        assert f"{where}: error[placeholder]: placeholder text is still" in check.stdout and what in check.stdout
    assert "Still to fill in (9 TODOs): content/site.yml:3," in check.stdout


def test_once_the_placeholders_are_filled_in_check_strict_passes(tmp_path):
    site = tmp_path / "new-site"
    assert init(site).returncode == 0
    settings = site / "content/site.yml"
    for old, new in [("TODO: the site's title", "Skin care"), ("https://TODO.example.org/", "https://skin.example.org/"),
                     ("TODO: the clinic's name", "Skin Clinic"), ("TODO: the clinic's phone number", "555-0100"),
                     ("TODO: the 24-hour phone number", "555-0199"), ("TODO: the clinic's address", "1 Main Street"),
                     ("TODO: the emergency number, such as 911", "911")]:
        edit(settings, old, new)
    edit(site / "content/en/index.md", "TODO: the site's title", "Skin care")
    requirements = site / "requirements.txt"
    requirements.write_text(requirements.read_text().replace(requirements.read_text().splitlines()[2],
                                                             "sitegen @ git+https://github.com/example/sitegen@v0.1.0"))
    check = run_build("check", "--strict", cwd=site)
    assert check.returncode == 0, check.stdout


def test_it_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path):
    site = tmp_path / "old"
    site.mkdir()
    (site / "notes.txt").write_text("mine")
    result = init(site, *EVERY_OPTION)
    assert result.returncode == 2
    assert "error: old/ is not empty (it holds notes.txt)" in result.stderr and "Nothing was written." in result.stderr
    assert files(site) == {"notes.txt"} and (site / "notes.txt").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["old"]  # no spare folder left beside it
    (tmp_path / "a-file").write_text("x")
    result = init(tmp_path / "a-file")
    assert result.returncode == 2 and "a-file is not a folder" in result.stderr
    # "old/missing/.." is old/ once init makes "old/missing": refused as old/, not taken for a new folder
    (site / "README.md").write_text("my own readme")
    result = run_build("init", "old/missing/..", *EVERY_OPTION, cwd=tmp_path, stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 2 and "old/ is not empty" in result.stderr, result.stderr
    assert files(site) == {"notes.txt", "README.md"} and (site / "README.md").read_text() == "my own readme"


def test_an_empty_folder_is_filled_and_kept(tmp_path):
    site = tmp_path / "empty"
    site.mkdir()
    before = site.stat().st_ino
    assert init(site, *EVERY_OPTION).returncode == 0
    assert site.stat().st_ino == before and "content/site.yml" in files(site)
    assert sorted(os.listdir(tmp_path)) == ["empty"]


@pytest.mark.parametrize("options, message", [
    (("--languages", "en,fr"), "--languages must list en and/or es"),
    (("--base-url", "lymph.example.org"), "'lymph.example.org' is not a web address"),
    (("--timezone", "Mars/Olympus"), '"Mars/Olympus" is not a time zone name'),
    (("--base-url", "https://lymph.example.org/index.html"), 'is not the address of the site\'s folder: it ends in a file name'),
    (("--after-hours-phone", "ask at reception"), '"ask at reception" is not a phone number a phone can dial'),
    (("--title", "es=Cuidado"), 'a title in "es", which is not one of the site\'s languages'),
    (("--clinic-name", "Bone\x7fClinic"), "holds an invisible control character (U+007F)"),  # as in the content
])
def test_a_wrong_detail_is_refused_before_anything_is_written(tmp_path, options, message):
    result = init(tmp_path / "site", *options)
    assert result.returncode == 2
    assert message in result.stderr and "hint:" in result.stderr and "Traceback" not in result.stderr
    assert os.listdir(tmp_path) == []


def test_a_failed_write_leaves_no_site_and_no_spare_folder(tmp_path, monkeypatch, capsys):
    real = Path.write_text
    calls = []

    def full_disk(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full_disk)
    monkeypatch.chdir(tmp_path)
    assert main(["init", "site", *EVERY_OPTION]) == 2
    assert "cannot write the new site in site: No space left on device" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_on_a_terminal_it_asks_for_each_detail(tmp_path):
    answers = ["en", "Wound care", "Riverside Wound Clinic", "555-0170", "555-0179", "3 River Road, Springfield",
               "", "https://wounds.example.org/", "Europe/Madrid", ""]
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "init", "wounds"], cwd=tmp_path,
                               stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(terminal)
    try:
        for answer in answers:
            os.write(controller, (answer + "\n").encode())
        out, err = process.communicate(timeout=60)
    finally:
        os.close(controller)
    assert process.returncode == 0, err
    assert "The clinic's phone number (office hours): " in out and "[UTC]: " in out
    settings = yaml.safe_load((tmp_path / "wounds/content/site.yml").read_text(encoding="utf-8"))
    assert settings["title"] == "Wound care" and settings["clinic"]["after_hours_phone"] == "555-0179"
    assert settings["emergency_number"] == "TODO: the emergency number, such as 911"  # left empty: a placeholder
    assert settings["timezone"] == "Europe/Madrid" and "website" not in settings["clinic"]


def test_build_py_init_is_the_same_command(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "init", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--after-hours-phone" in result.stdout and "--emergency-number" in result.stdout
