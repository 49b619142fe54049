"""Data safety: commands write only into folders that are sitegen's, and refuse every other place untouched.

Each refusal is tried as a user would: a file of the user's own is put there first, the build runs,
and afterwards every file around is still there byte for byte, nothing was added, the exit status
is 2 and the message says why.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings, strategies as st

from conftest import FIXTURES, ROOT, edit, run_build, tree_digest
from sitegen.cli import main

MINE = b"my own notes, not made by sitegen\n"
FAST = ("--no-handouts", "--no-search")


def make_project(root: Path) -> Path:
    """A project as a new user has it: the small fixture site in content/ and a copy of templates/."""
    shutil.copytree(FIXTURES / "basic", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project")


def snapshot(root: Path) -> dict[str, str]:
    """Return every file (by sha256), folder and link under root, links not followed."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "link to " + os.readlink(path)
            elif path.is_dir():
                found[rel] = "folder"
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def plant(path: Path) -> None:
    """Put a file of the user's own at path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(MINE)


def assert_refused(result, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "refusing to" in result.stderr and "hint:" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr


# (what the user types after `build`, where their own file sits, what the message must say)
REFUSED = {
    "an existing folder with the user's files": (["--out", "docs"], "docs/notes.txt",
                                                  "holds files sitegen did not make (notes.txt)"),
    "a link to a folder with the user's files": (["--out", "docs-link"], "docs/notes.txt",
                                                 "holds files sitegen did not make (notes.txt)"),
    "the project folder": (["--out", "."], "notes.txt", "it is the current folder"),
    "the content folder": (["--out", "content"], "content/en/notes.txt", "it is the content folder"),
    "a folder inside the content folder": (["--out", "content/en/site"], "content/en/site/notes.txt",
                                           "it is inside the content folder"),
    "the templates folder": (["--templates", "templates", "--out", "templates"], "templates/notes.txt",
                             "it is the templates folder"),
    "a folder inside the templates folder": (["--templates", "templates", "--out", "templates/static/site"],
                                             "templates/static/site/notes.txt", "it is inside the templates folder"),
    "a file": (["--out", "notes.txt"], "notes.txt", "it is not a folder"),
    "a folder under a file": (["--out", "notes.txt/site"], "notes.txt", "notes.txt is a file, not a folder"),
    "a state folder that is not sitegen's": (["--out", "site"], ".site.sitegen/notes.txt",
                                             "refusing to keep the spare copy of the site in .site.sitegen"),
    "a cache folder with the user's files": (["--cache-dir", "mine"], "mine/notes.txt",
                                             "refusing to use mine as the build cache"),
    "an untagged folder laid out like a cache": (["--cache-dir", "mine"], "mine/handouts/old.json",
                                                 "refusing to use mine as the build cache"),
    "the content folder as the cache": (["--cache-dir", "content"], "content/en/notes.txt", "it is the content folder"),
    "a cache inside the content folder": (["--cache-dir", "content/en/cache"], "content/en/cache/notes.txt",
                                          "it is inside the content folder"),
    "the templates folder as the cache": (["--templates", "templates", "--cache-dir", "templates"],
                                          "templates/notes.txt", "it is the templates folder"),
    "the project folder as the cache": (["--cache-dir", "."], "notes.txt", "it is the current folder"),
    "another tool's tagged cache": (["--cache-dir", "target"], "target/CACHEDIR.TAG",
                                    "holds files sitegen did not make (CACHEDIR.TAG)"),
    "a cache inside the output": (["--out", "public", "--cache-dir", "public/cache"], "notes.txt",
                                  "overlaps the build cache"),
    "an output inside the cache": (["--out", ".cache/sitegen/site"], "notes.txt", "overlaps the build cache"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_place_that_is_not_sitegens_is_refused_untouched(case, project):
    args, mine, message = REFUSED[case]
    plant(project / mine)
    (project / "docs-link").symlink_to("docs")
    before = snapshot(project)
    result = run_build("build", *args, *FAST, cwd=project)
    assert_refused(result, message)
    assert (project / mine).read_bytes() == MINE
    assert snapshot(project) == before, "nothing is written, moved or deleted"


def test_a_file_added_to_a_built_site_is_refused_untouched(project):
    """The mark says the folder is sitegen's, and its manifest which files: any other is the user's."""
    assert run_build("build", *FAST, cwd=project).returncode == 0
    plant(project / "site/CNAME")
    plant(project / "docs/notes.txt")
    (project / "site/docs-link").symlink_to("../docs", target_is_directory=True)
    before = snapshot(project)
    result = run_build("build", *FAST, cwd=project)
    assert_refused(result, "refusing to build into site", "(CNAME, docs-link)", "move them out of it first")
    assert snapshot(project) == before
    (project / "site/CNAME").unlink()
    result = run_build("build", *FAST, cwd=project)
    assert_refused(result, "(docs-link)")
    (project / "site/docs-link").unlink()
    assert run_build("build", *FAST, cwd=project).returncode == 0


def test_a_loop_of_links_is_refused_with_a_message(project):
    (project / "loop").symlink_to("loop")
    before = snapshot(project)
    result = run_build("build", "--out", "loop/site", *FAST, cwd=project)
    assert result.returncode == 2 and "loop of links" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(project) == before


def test_folders_that_hold_what_the_build_reads_are_refused(tmp_path):
    """Folders holding the content folder, the templates folder or the current folder; home; and /."""
    content, templates = tmp_path / "pages/content", tmp_path / "look/templates"
    shutil.copytree(FIXTURES / "basic", content)
    shutil.copytree(ROOT / "templates", templates)
    work, home = tmp_path / "work/here", tmp_path / "home"
    for folder in (content.parent, templates.parent, work, home):
        plant(folder / "notes.txt")
    cases = {content.parent: "it holds the content folder", templates.parent: "it holds the templates folder",
             work.parent: "it holds the current folder", tmp_path: "it holds the content folder",
             home: "it is your home folder", Path("/"): "it is the root of the file system"}
    before = snapshot(tmp_path)
    for out, message in cases.items():
        result = run_build("build", "--content", str(content), "--templates", str(templates), "--out", str(out), *FAST,
                           cwd=work, env={"HOME": str(home)})
        assert_refused(result, message)
    assert snapshot(tmp_path) == before, "nothing is written, moved or deleted"
    assert not Path("/..sitegen").exists(), "no state folder beside /"


def test_a_second_build_into_a_marked_folder_works(project):
    first = run_build("build", *FAST, cwd=project)
    assert first.returncode == 0, first.stderr
    assert (project / "site/.sitegen").read_bytes().startswith(b"Made by sitegen")
    assert (project / ".site.sitegen/.sitegen").is_file()
    assert (project / ".cache/sitegen/CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    edit(project / "content/en/symptoms.md", "\n## ", "\nA sentence added after the first build.\n\n## ")
    second = run_build("build", *FAST, cwd=project)
    assert second.returncode == 0, second.stderr
    assert "A sentence added after the first build." in (project / "site/symptoms/index.html").read_text()
    third = run_build("build", *FAST, cwd=project)  # the spare folder, swapped in twice, is ours too
    assert third.returncode == 0, third.stderr


def test_the_output_folder_keeps_the_permissions_its_owner_gave_it(project):
    """A web server's group may need to read the site: each build swaps in a new folder, with the same mode."""
    site = project / "site"
    site.mkdir()
    site.chmod(0o2750)  # a folder the user made, empty, for the group to read and no one else
    for _ in range(3):  # the second and third builds swap in the spare folders
        assert run_build("build", *FAST, cwd=project).returncode == 0
        assert oct(site.stat().st_mode & 0o7777) == "0o2750"
    site.chmod(0o2775)  # changed on a built site: kept too
    assert run_build("build", *FAST, cwd=project).returncode == 0
    assert oct(site.stat().st_mode & 0o7777) == "0o2775"


def test_a_mount_point_is_refused_with_where_to_build_instead(project, monkeypatch, capsys):
    (project / "site").mkdir()
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == project / "site" or real(path))
    monkeypatch.chdir(project)
    before = snapshot(project)
    assert main(["build", *FAST]) == 2
    err = capsys.readouterr().err
    assert "refusing to build into site: it is a mount point" in err, err
    assert "Give --out a folder inside it, for example --out site/public, or mount the folder above it." in err
    assert snapshot(project) == before


def test_a_bind_mount_from_the_same_disk_is_refused_too(project, monkeypatch, capsys, tmp_path):
    """ismount() sees a folder on another disk; one bind-mounted from the same disk is in Linux's mount table."""
    from sitegen import folders

    site = project / "my site"
    site.mkdir()
    table = tmp_path / "mountinfo"
    written = str(site.resolve()).replace(" ", "\\040")
    table.write_text(f"22 27 0:21 / /proc rw,relatime - proc proc rw\n36 27 8:1 /srv/www {written} rw - ext4 /dev/sda1 rw\n")
    monkeypatch.setattr(folders, "MOUNT_TABLE", table)
    monkeypatch.chdir(project)
    before = snapshot(project)
    assert main(["build", *FAST, "--out", "my site"]) == 2
    assert "refusing to build into my site: it is a mount point" in capsys.readouterr().err
    assert snapshot(project) == before
    monkeypatch.setattr(folders, "MOUNT_TABLE", tmp_path / "none")  # not Linux: no table to read
    assert main(["build", *FAST, "--out", "my site"]) == 0


def as_an_earlier_version_left_it(project: Path) -> None:
    """Remove the marks, as the site and its state folder were before marks were written."""
    state = project / ".site.sitegen"
    for folder in (project / "site", state, state / "spare"):
        (folder / ".sitegen").unlink(missing_ok=True)
    for manifest in state.glob("*.manifest"):
        lines = manifest.read_text().split("\n")
        manifest.write_text("\n".join(line for line in lines if not line.startswith(".sitegen\t")))


def test_a_site_an_earlier_version_built_is_still_ours(project):
    for _ in range(2):  # the second build leaves a spare folder and both manifests
        assert run_build("build", *FAST, cwd=project).returncode == 0
    as_an_earlier_version_left_it(project)
    assert not (project / "site/.sitegen").exists()
    result = run_build("build", *FAST, cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "site/.sitegen").is_file(), "the mark is written from then on"


def test_an_earlier_versions_site_with_a_file_of_the_users_is_refused(project):
    for _ in range(2):
        assert run_build("build", *FAST, cwd=project).returncode == 0
    as_an_earlier_version_left_it(project)
    plant(project / "site/CNAME")
    before = snapshot(project)
    result = run_build("build", *FAST, cwd=project)
    assert_refused(result, "refusing to build into site", "holds files sitegen did not make (CNAME)")
    assert snapshot(project) == before


def test_an_unmarked_folder_with_a_stray_manifest_is_refused(project):
    """A manifest beside the folder counts only when it lists every file in it, each as it describes it:
    index.html has a name the manifest lists, but not its size and time."""
    assert run_build("build", *FAST, cwd=project).returncode == 0
    shutil.rmtree(project / "site")
    plant(project / "site/index.html")
    plant(project / "site/notes.txt")
    before = snapshot(project)
    assert_refused(run_build("build", *FAST, cwd=project), "(index.html, notes.txt)")  # index.html is not the build's
    assert snapshot(project) == before


# --- Outputs that cannot be written ----------------------------------------------------------

@contextmanager
def read_only(folder: Path):
    """Make folder read-only, also for root (which chmod does not stop): with the immutable flag."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        undo = lambda: folder.chmod(0o755)  # noqa: E731
    elif shutil.which("chattr") and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0:
        undo = lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)  # noqa: E731
    else:
        pytest.skip("no way to make a folder read-only for root here")
    try:
        yield folder
    finally:
        undo()


def assert_cannot_write(result, where: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"error: cannot write {where}" in result.stderr and "hint:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr


def test_a_read_only_parent_is_exit_2_with_the_path(project):
    with read_only(project / "published"):
        result = run_build("build", "--out", "published/site", *FAST, cwd=project)
        assert_cannot_write(result, "published/.site.sitegen")
        assert "permissions" in result.stderr
        assert list((project / "published").iterdir()) == []


def test_a_full_disk_is_exit_2_and_the_site_stays(project):
    """A full disk, as the system's file size limit makes it: writes fail with 'File too large'."""
    assert run_build("build", *FAST, cwd=project).returncode == 0
    published = tree_digest(project / "site")
    edit(project / "content/en/symptoms.md", "\n## ", "\nA sentence that makes the page change.\n\n## ")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))

    result = run_build("build", *FAST, cwd=project, preexec_fn=small_files)
    assert_cannot_write(result, ".site.sitegen/spare/")
    assert "free some space" in result.stderr
    assert tree_digest(project / "site") == published, "the published site is as it was"
    again = run_build("build", *FAST, cwd=project)
    assert again.returncode == 0, again.stderr
    assert "A sentence that makes the page change." in (project / "site/symptoms/index.html").read_text()


# --- serve and check --report ----------------------------------------------------------------

def test_serve_refuses_a_cache_folder_that_is_not_its_own(project):
    plant(project / ".cache/sitegen/notes.txt")
    before = snapshot(project)
    result = run_build("serve", "--port", "0", cwd=project)
    assert_refused(result, "refusing to use .cache/sitegen as the build cache", "(notes.txt)")
    assert snapshot(project) == before


@pytest.mark.parametrize("report, message", [
    ("content/en/symptoms.md", "it is inside the content folder"),
    ("content/en/report.html", "it is inside the content folder"),
    ("templates/base.html", "it is inside the templates folder"),
    ("notes.txt", "the file is there and is not a check report"),
    ("missing/../notes.txt", "the file is there and is not a check report"),
    ("content", "it is the content folder"),
])
def test_check_report_never_overwrites_what_is_not_a_report(project, report, message):
    plant(project / "notes.txt")
    before = snapshot(project)
    result = run_build("check", "--templates", "templates", "--report", report, cwd=project)
    assert_refused(result, message)
    assert snapshot(project) == before


def test_check_report_replaces_its_own_earlier_report(project):
    first = run_build("check", "--report", "report.html", cwd=project)
    assert "Report written to report.html" in first.stdout, first.stderr
    (project / "report.html").write_text((project / "report.html").read_text() + "<!-- an old report -->")
    second = run_build("check", "--report", "report.html", cwd=project)
    assert "Report written to report.html" in second.stdout, second.stderr
    assert "an old report" not in (project / "report.html").read_text()


# --- approve, translated and new stay inside content/ ----------------------------------------

def test_page_commands_refuse_paths_out_of_the_content_folder(project):
    elsewhere = project.parent / "elsewhere"
    shutil.copytree(project / "content/en", elsewhere)
    (project / "content/en/linked").symlink_to(elsewhere, target_is_directory=True)
    (project / "content/en/linked-page.md").symlink_to(elsewhere / "symptoms.md")
    before = snapshot(project.parent)
    outside = ["en/../../elsewhere/symptoms.md", str(elsewhere / "symptoms.md"), "en/linked/symptoms.md",
               "en/linked-page.md"]
    for page in outside:
        for command in (["approve", page, "--by", "Ana Ruiz, MD"], ["translated", page]):
            result = run_build(*command, cwd=project)
            assert result.returncode in (1, 2), (command, result.stdout + result.stderr)
            assert "outside the content folder" in result.stderr and "hint:" in result.stderr, result.stderr
            assert "Traceback" not in result.stderr
    for page in ["en/../../elsewhere/new.md", str(elsewhere / "new.md"), "en/linked/new.md"]:
        result = run_build("new", page, "A new page", cwd=project)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "outside the content folder" in result.stderr, result.stderr
    assert snapshot(project.parent) == before, "no file inside or outside content/ was changed"


# --- Any --out: built into a place of its own, or refused untouched ---------------------------

segments = st.sampled_from([".", "..", "content", "en", "templates", "static", "docs", "site", "project", "mine"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(out=st.lists(segments, min_size=1, max_size=4).map("/".join))
@example(out="docs/content/..")  # docs/ with the user's notes: "docs/content" is not there, so it looked new
def test_any_output_path_is_built_alone_or_refused_untouched(out):
    """Every file there before the build is the user's: none is ever changed, moved or deleted."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "outer"
        project = make_project(root / "project")
        real = (project / out).resolve()
        assume(real.is_relative_to(root))  # were the guard broken, the test must not harm folders above its own
        plant(project / "docs/notes.txt")
        plant(root / "notes.txt")
        before = snapshot(root)
        cwd = os.getcwd()
        os.chdir(project)
        try:
            status = main(["build", "--templates", "templates", "--out", out, *FAST])
        finally:
            os.chdir(cwd)
        after = snapshot(root)
        assert status in (0, 2), out
        assert {rel: after.get(rel) for rel in before} == before, f"--out {out} changed the user's files"
        if status == 0:
            ours = [real, real.parent / f".{real.name}.sitegen", project / ".cache/sitegen"]
            stray = [rel for rel in set(after) - set(before)
                     if not any((root / rel).is_relative_to(p) or p.is_relative_to(root / rel) for p in ours)]
            assert stray == [], f"--out {out} wrote outside its folders"
        else:
            assert after == before, f"--out {out} was refused but wrote files"


def test_the_mount_table_is_read_as_the_system_names_paths(tmp_path, monkeypatch):
    """Spaces come written \\040, and a name that is not UTF-8 is matched as Python names it."""
    import os
    from sitegen import folders

    odd = tmp_path / os.fsdecode(b"bad\xff name")
    odd.mkdir()
    table = tmp_path / "mountinfo"
    table.write_bytes(b"36 27 8:1 / " + os.fsencode(str(odd.resolve())).replace(b" ", b"\\040") + b" rw - ext4 /dev/sda1 rw\n")
    monkeypatch.setattr(folders, "MOUNT_TABLE", table)
    assert folders.is_mount_point(odd) and not folders.is_mount_point(tmp_path)
