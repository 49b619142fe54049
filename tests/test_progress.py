"""A long build says what it is doing on a terminal, and stays quiet in pipes and CI."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT, run_build

pytestmark = pytest.mark.slow  # it makes the fixture site's PDFs


def on_a_terminal(*args: str) -> str:
    """Run build.py with its output on a pseudo-terminal, as a person at a shell would; return what it wrote."""
    parent, child = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *args], stdin=subprocess.DEVNULL,
                               stdout=child, stderr=child, cwd=ROOT, env=env)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # the terminal closes when the build ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(parent)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8")


def test_a_terminal_sees_each_stage_and_the_pdfs_counted(tmp_path):
    shown = on_a_terminal("--content", str(FIXTURES / "basic"), "--out", str(tmp_path / "site"), "--no-search")
    assert "Build: reading the content" in shown and "Build: rendering" in shown
    assert "Build: handouts 12 of 12" in shown  # the fixture's 4 pages x 2 editions and 2 packets x 2
    last = shown.replace("\r\n", "\n").split("\r")[-1].strip()  # what is left on the terminal's last line
    assert last.startswith("Built ") and last.endswith("/site/"), last


def test_a_pipe_gets_only_the_summary_line(tmp_path):
    result = run_build("--content", str(FIXTURES / "basic"), "--out", str(tmp_path / "site"), "--no-search")
    assert result.returncode == 0
    assert "Build:" not in result.stderr + result.stdout and "\r" not in result.stderr
    assert (result.stdout + result.stderr).strip().startswith("Built ")
