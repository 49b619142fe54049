"""`python build.py` with a Python that lacks the packages says what to run, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import ROOT
from sitegen import start


def checkout(tmp_path):
    """A fresh checkout of the generator, before setup: no .venv/."""
    shutil.copy(ROOT / "build.py", tmp_path / "build.py")
    shutil.copytree(ROOT / "sitegen", tmp_path / "sitegen", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_build_py_before_setup_says_to_run_setup(tmp_path):
    # -S: no site-packages, as a system Python without the packages; the standard library is all it has.
    result = subprocess.run([sys.executable, "-S", "build.py", "check"], cwd=checkout(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "the packages sitegen needs are not installed" in result.stderr
    assert "Set up once with: bash scripts/setup.sh" in result.stderr
    assert "then run: .venv/bin/python build.py check" in result.stderr


def test_with_the_venv_made_it_names_the_venvs_python(tmp_path, monkeypatch, capsys):
    venv_python = tmp_path / ".venv/bin/python"
    venv_python.parent.mkdir(parents=True)
    venv_python.write_text("")
    monkeypatch.setattr(start, "VENV_PYTHON", venv_python)  # a .venv/ exists; this Python is another one
    status = start.missing_packages(ModuleNotFoundError("No module named 'markdown'", name="markdown"),
                                    ["build.py", "serve", "--port", "8001"])
    err = capsys.readouterr().err
    assert status == 2
    assert "no module named 'markdown'" in err
    assert "This project's .venv/ has them: .venv/bin/python build.py serve --port 8001" in err
    assert "sitegen serve --port 8001" in err and "setup.sh" not in err
