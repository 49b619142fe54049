"""The publishing workflow init writes is valid, is the one the README shows, and runs the README's commands."""

from __future__ import annotations

import re
import subprocess

import yaml

from conftest import ROOT, run_build

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def written_workflow(tmp_path) -> str:
    result = run_build("init", str(tmp_path / "site"), cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    return (tmp_path / "site/.github/workflows/publish.yml").read_text(encoding="utf-8")


def test_the_workflow_is_valid_yaml_that_builds_and_publishes_site(tmp_path):
    workflow = yaml.safe_load(written_workflow(tmp_path))
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["publish"]["steps"]
    runs = [step.get("run", "").strip() for step in steps]
    assert any("pip install -r requirements.txt" in run for run in runs)
    assert runs.index("sitegen check") < runs.index("sitegen build")  # nothing is published after a failed check
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site/"
    assert steps[-1]["uses"].startswith("actions/deploy-pages")


def test_the_readme_shows_the_workflow_init_writes_and_gives_the_same_commands(tmp_path):
    shown = [block for block in blocks(section("Publishing"), "yaml") if "sitegen build" in block]
    assert shown == [written_workflow(tmp_path)]
    start = "\n".join(blocks(section("Start your own site"), "bash"))
    commands = {line.split("#")[0].strip() for line in start.splitlines() if line.startswith("sitegen ")}
    runs = {step.get("run", "").strip() for step in yaml.safe_load(shown[0])["jobs"]["publish"]["steps"]}
    assert {"sitegen build", "sitegen check"} <= commands & runs


def test_the_readme_command_table_shows_commands_as_they_are_run():
    rows = [line for line in section("Commands").splitlines() if line.startswith("| `") and "build.py" in line]
    assert rows and all("`.venv/bin/python build.py" in row for row in rows), rows
    assert "source .venv/bin/activate" in section("Commands")
