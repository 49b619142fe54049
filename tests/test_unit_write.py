"""write.py: the staging folder, what it keeps between builds, and the atomic publish."""

from __future__ import annotations

import hashlib
import os

import pytest

from sitegen import write
from sitegen.diagnostics import OutputError
from sitegen.write import MARK, Staging, published_ids, state_folder

from conftest import tree_digest


def build(out, files: dict[str, bytes], publish: bool = True) -> tuple[Staging, list[str]]:
    """One build writing files; return the staging and the files it actually (re)wrote."""
    staging = Staging(out)
    rewritten = []
    for rel, data in files.items():
        if staging.claim(rel, hashlib.sha256(data).hexdigest()):
            staging.write_file(rel, data)
            rewritten.append(rel)
    if publish:
        staging.publish()
    else:
        staging.discard()
    return staging, rewritten


def published(out) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


SITE = {"index.html": b"<h1>Home</h1>", "symptoms/index.html": b"<h1>Signs</h1>", "assets/site.css": b"body{}"}


@pytest.mark.parametrize("rel", ["../escape.html", "/etc/passwd", "a/../../b", "a/../b", "./a", "a//b", "a/", ".."])
def test_claim_refuses_paths_outside_or_not_normal(tmp_path, rel):
    staging = Staging(tmp_path / "site")
    with pytest.raises(OutputError, match="outside the output folder"):
        staging.claim(rel, "id")


def test_claim_refuses_two_outputs_at_one_place(tmp_path):
    staging = Staging(tmp_path / "site")
    assert staging.claim("index.html", "a")
    with pytest.raises(OutputError, match="two outputs would be written to index.html"):
        staging.claim("index.html", "b")


def test_the_first_publish_makes_the_output(tmp_path):
    out = tmp_path / "site"
    build(out, SITE)
    assert published(out) == {**SITE, MARK: write.MARK_TEXT}
    assert write.is_marked(out) and write.is_marked(state_folder(out))
    assert state_folder(out) == tmp_path / ".site.sitegen"
    assert oct((out / "index.html").stat().st_mode & 0o777) == "0o644"


def test_publish_swaps_the_new_site_in_and_removes_what_it_did_not_write(tmp_path):
    out = tmp_path / "site"
    build(out, {**SITE, "old/page/index.html": b"gone soon"})
    build(out, {"index.html": b"<h1>New home</h1>", "assets/site.css": b"body{}"})
    assert published(out) == {"index.html": b"<h1>New home</h1>", "assets/site.css": b"body{}", MARK: write.MARK_TEXT}
    assert not (out / "old").exists() and not (out / "symptoms").exists()  # emptied folders go too
    build(out, {"index.html": b"<h1>New home</h1>"})  # the third build reuses the first site's folder
    assert published(out) == {"index.html": b"<h1>New home</h1>", MARK: write.MARK_TEXT}


def test_a_discarded_build_leaves_the_output_byte_identical(tmp_path):
    out = tmp_path / "site"
    build(out, SITE)
    build(out, SITE)
    before = tree_digest(out)
    stat_before = {p: os.lstat(p).st_mtime_ns for p in out.rglob("*")}
    build(out, {"index.html": b"half a build", "new.html": b"x"}, publish=False)
    assert tree_digest(out) == before
    assert {p: os.lstat(p).st_mtime_ns for p in out.rglob("*")} == stat_before
    # and the next build, which cannot trust the spare it left, still publishes exactly what it wrote
    _, rewritten = build(out, SITE)
    assert published(out) == {**SITE, MARK: write.MARK_TEXT}
    assert sorted(rewritten) == sorted(SITE)


def test_unchanged_files_are_kept_and_changed_ones_rewritten(tmp_path):
    out = tmp_path / "site"
    build(out, SITE)
    build(out, SITE)
    changed = {**SITE, "symptoms/index.html": b"<h1>Signs, edited</h1>"}
    _, rewritten = build(out, changed)  # the spare is now the first build's site, with its manifest
    assert rewritten == ["symptoms/index.html"]
    assert published(out) == {**changed, MARK: write.MARK_TEXT}


def test_a_file_edited_by_hand_in_the_spare_is_written_again(tmp_path):
    out = tmp_path / "site"
    build(out, SITE)
    build(out, SITE)
    spare = state_folder(out) / "spare"
    (spare / "index.html").write_bytes(b"<h1>Home</h1> edited by hand, a different size")
    _, rewritten = build(out, SITE)
    assert rewritten == ["index.html"]
    assert published(out) == {**SITE, MARK: write.MARK_TEXT}


def test_the_manifest_round_trips(tmp_path):
    path = tmp_path / "m"
    files = {"index.html": ("abc", 12, 1234567890123456789), "pagefind/x.js": (None, 5, 7), "é/ñ.html": ("d", 1, 2)}
    trees = {"pagefind": "tree-id"}
    write._write_manifest(path, files, trees)
    assert write._read_manifest(path) == (files, trees)
    path.write_text("index.html\tabc\tnot-a-number\t1\n")
    assert write._read_manifest(path) == ({}, {})  # damaged: start afresh, never trust half of it
    assert write._read_manifest(tmp_path / "missing") == ({}, {})


def test_published_ids_read_the_site_manifest(tmp_path):
    out = tmp_path / "site"
    build(out, SITE)
    ids = published_ids(out)
    assert ids["index.html"] == hashlib.sha256(SITE["index.html"]).hexdigest()
    assert set(ids) == {*SITE, MARK}


def test_a_tree_is_filled_again_only_when_its_id_changes(tmp_path):
    out = tmp_path / "site"
    calls = []

    def fill(folder):
        calls.append(folder)
        folder.mkdir(parents=True)
        (folder / "index.js").write_text(f"fill {len(calls)}")

    def one(tree_id):
        staging = Staging(out)
        staging.write_bytes("index.html", b"home")
        staging.tree("pagefind", tree_id, fill).done()
        staging.publish()

    one("v1"), one("v1"), one("v1")
    assert len(calls) == 2  # the second build had no spare to keep it in; the third kept the first's
    assert (out / "pagefind/index.js").read_text() == "fill 1"
    one("v2")
    assert len(calls) == 3 and (out / "pagefind/index.js").read_text() == "fill 3"
    assert published_ids(out)["pagefind/"] == "v2"


@pytest.mark.parametrize("renameat2", [True, False])
def test_exchange_swaps_two_folders(tmp_path, monkeypatch, renameat2):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "f").write_text("in a")
    (b / "f").write_text("in b")
    if not renameat2:  # a system without it: three renames
        monkeypatch.setattr(write.ctypes, "CDLL", lambda *args, **kw: (_ for _ in ()).throw(OSError("no libc")))
    write._exchange(a, b)
    assert (a / "f").read_text() == "in b" and (b / "f").read_text() == "in a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_write_atomic_leaves_no_half_file(tmp_path, monkeypatch):
    target = tmp_path / "cache.pickle"
    write.write_atomic(target, b"first")
    monkeypatch.setattr(write.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left")))
    with pytest.raises(OSError):
        write.write_atomic(target, b"second")
    assert target.read_bytes() == b"first" and sorted(p.name for p in tmp_path.iterdir()) == ["cache.pickle"]


def test_an_output_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "site").write_text("not a folder")
    with pytest.raises(OutputError, match="is not a folder"):
        Staging(tmp_path / "site")


def test_foreign_files(tmp_path):
    out = tmp_path / "site"
    build(out, SITE)
    assert write.foreign_in_output(out) == []
    (out / MARK).unlink()  # an output from before the mark: its manifest vouches for its files
    assert write.foreign_in_output(out) == []
    (out / "mine.txt").write_text("the editor's own file")
    assert write.foreign_in_output(out) == ["mine.txt"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("x")
    assert write.foreign_in_output(other) == ["notes.txt"]
    assert write.foreign_in_state(state_folder(out)) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="gives a folder to another group")
@pytest.mark.parametrize("may, group, mode", [
    ("all", 1, 0o2750),      # root: owner, group and mode as the user left them
    ("group", 1, 0o2750),    # a member of the group: the group and the mode
    ("nothing", 0, 0o755),   # neither: a mode for a group the folder is not in would shut the group out
])
def test_the_new_folder_takes_the_old_ones_access_as_far_as_this_user_may(tmp_path, monkeypatch, may, group, mode):
    from sitegen import write
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir(mode=0o755)
    os.chown(old, 0, 1)
    old.chmod(0o2750)
    real = os.chown

    def chown(path, uid, gid):
        if may == "nothing" or (may == "group" and uid != -1):
            raise PermissionError(1, "Operation not permitted")
        real(path, uid, gid)
    monkeypatch.setattr(write.os, "chown", chown)
    write._same_access(old, new)
    assert (new.stat().st_gid, new.stat().st_mode & 0o7777) == (group, mode)
