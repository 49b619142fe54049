"""What `python build.py` says when it is run with a Python that cannot run sitegen.

Imported before any other package is known to be there, so it uses the standard library only.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
VENV_PYTHON = PROJECT / ".venv" / "bin" / "python"
MINIMUM = (3, 10)


def missing_packages(exc: ModuleNotFoundError, argv: list[str] | None = None) -> int:
    """Print what to run instead of a traceback, and return the exit status (2: not set up)."""
    args = (sys.argv if argv is None else argv)[1:]
    again = f"{shlex.join(['.venv/bin/python', 'build.py', *args])}   (or: source .venv/bin/activate, then: " \
            f"{shlex.join(['sitegen', *args])})"
    ready = VENV_PYTHON.exists() and Path(sys.prefix).resolve() != VENV_PYTHON.parent.parent.resolve()
    hint = (f"This project's .venv/ has them: {again}" if ready
            else f"Set up once with: bash scripts/setup.sh\n        then run: {again}")
    print(f"error: the packages sitegen needs are not installed for this Python ({sys.executable}): "
          f"no module named {exc.name!r}\n  hint: {hint}", file=sys.stderr)
    return 2


def too_old() -> int:
    """Print which Python sitegen needs, and return the exit status (2)."""
    have = ".".join(map(str, sys.version_info[:3]))
    print(f"error: sitegen needs Python {'.'.join(map(str, MINIMUM))} or newer; this is Python {have} ({sys.executable})\n"
          "  hint: Install a newer Python 3, then run bash scripts/setup.sh.", file=sys.stderr)
    return 2
