"""Write the site into a staging folder and publish it in one step (stage 6)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def remove_later(folder: Path) -> None:
    """Delete a folder in a background process: removing thousands of files need not delay the build."""
    try:
        subprocess.Popen(["rm", "-rf", "--", str(folder)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


class OutputError(Exception):
    """The output folder cannot be written; this is not a content problem."""


class Staging:
    """A temporary folder beside the output; files land here until publish() swaps it in."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir.resolve()
        if self.out_dir.exists() and not self.out_dir.is_dir():
            raise OutputError(f"{out_dir} exists and is not a folder")
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=self.out_dir.parent))
        self.root.chmod(0o755)  # mkdtemp makes it private; a web server must read the published site
        self.written: set[str] = set()

    def path(self, rel: str) -> Path:
        """Return where rel goes, refusing paths that leave the output folder or repeat."""
        target = (self.root / rel).resolve()
        if self.root.resolve() not in target.parents:
            raise OutputError(f"refusing to write outside the output folder: {rel}")
        if rel in self.written:
            raise OutputError(f"two outputs would be written to {rel}")
        self.written.add(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_text(self, rel: str, text: str) -> None:
        self.path(rel).write_text(text, encoding="utf-8", newline="\n")

    def write_bytes(self, rel: str, data: bytes) -> None:
        self.path(rel).write_bytes(data)

    def copy(self, rel: str, source: Path) -> None:
        shutil.copyfile(source, self.path(rel))

    def publish(self) -> None:
        """Swap the staging folder in place of the output folder."""
        old = None
        if self.out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.old-", dir=self.out_dir.parent))
            os.rename(self.out_dir, old / "site")
        os.rename(self.root, self.out_dir)
        if old:
            remove_later(old)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
