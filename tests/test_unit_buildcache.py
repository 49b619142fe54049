"""buildcache.py: the content-hash cache of parsed pages and rendered Markdown, kept as a log of pickles."""

from __future__ import annotations

import pickle

from sitegen.buildcache import MARKDOWN_FILE, BuildCache


def cache_file(folder):
    return folder / "pages" / MARKDOWN_FILE


def records(folder) -> list[dict]:
    """Return the pickled records of the cache file, in order."""
    found = []
    with open(cache_file(folder), "rb") as f:
        while True:
            try:
                found.append(pickle.load(f))
            except EOFError:
                return found


def filled(folder, entries: dict) -> BuildCache:
    cache = BuildCache(folder)
    for key, value in entries.items():
        cache.put(key, value)
    cache.save()
    return BuildCache(folder)


def test_put_save_and_get_in_the_next_build(tmp_path):
    cache = BuildCache(tmp_path)
    assert cache.get("a") is None
    cache.put("a", {"html": "<p>x</p>"})
    cache.put("b", ("meta", 3))
    cache.save()
    again = BuildCache(tmp_path)
    assert again.get("a") == {"html": "<p>x</p>"} and again.get("b") == ("meta", 3)
    assert again.get("c") is None and not again.damaged


def test_without_a_folder_nothing_is_kept(tmp_path):
    cache = BuildCache(None)
    cache.put("a", 1)
    cache.save()
    assert cache.folder is None and cache.get("a") is None


def test_a_build_that_adds_a_few_entries_appends_them(tmp_path):
    cache = filled(tmp_path, {f"k{i}": i for i in range(8)})
    for i in range(8):
        assert cache.get(f"k{i}") == i
    cache.put("new", "value")
    cache.save()
    assert records(tmp_path) == [{f"k{i}": i for i in range(8)}, {"new": "value"}]
    assert BuildCache(tmp_path).entries == {**{f"k{i}": i for i in range(8)}, "new": "value"}


def test_an_unchanged_build_leaves_the_file_alone(tmp_path):
    cache = filled(tmp_path, {"a": 1, "b": 2})
    before = cache_file(tmp_path).read_bytes()
    cache.get("a"), cache.get("b")
    cache.save()
    assert cache_file(tmp_path).read_bytes() == before


def test_entries_no_build_uses_are_compacted_away(tmp_path):
    cache = filled(tmp_path, {f"k{i}": i for i in range(8)})
    for i in range(4):  # a build that uses half of them: more than a quarter is dead weight
        cache.get(f"k{i}")
    cache.put("new", "value")
    cache.save()
    assert records(tmp_path) == [{"k0": 0, "k1": 1, "k2": 2, "k3": 3, "new": "value"}]


def test_a_few_unused_entries_are_kept_until_they_are_a_quarter(tmp_path):
    cache = filled(tmp_path, {f"k{i}": i for i in range(9)})
    for i in range(8):  # one unused of 8 used: not worth rewriting the file
        cache.get(f"k{i}")
    cache.put("new", "value")
    cache.save()
    assert len(records(tmp_path)) == 2 and "k8" in BuildCache(tmp_path).entries


def test_a_truncated_cache_keeps_what_was_read_and_is_written_afresh(tmp_path):
    cache = filled(tmp_path, {"a": 1})
    cache.get("a")
    cache.put("b", "x" * 1000)
    cache.save()  # two records: {"a": 1}, then {"b": ...}
    path = cache_file(tmp_path)
    path.write_bytes(path.read_bytes()[:-200])  # a build killed while appending
    damaged = BuildCache(tmp_path)
    assert damaged.damaged and damaged.entries == {"a": 1}
    damaged.get("a")
    damaged.put("c", 3)
    damaged.save()
    assert records(tmp_path) == [{"a": 1, "c": 3}]  # one whole record, no broken one in the middle
    assert not BuildCache(tmp_path).damaged


def test_a_cache_file_of_garbage_is_an_empty_cache(tmp_path):
    cache_file(tmp_path).parent.mkdir(parents=True)
    cache_file(tmp_path).write_bytes(b"not a pickle at all")
    cache = BuildCache(tmp_path)
    assert cache.entries == {} and cache.damaged and cache.get("a") is None
    cache.put("a", 1)
    cache.save()
    assert BuildCache(tmp_path).get("a") == 1


def test_an_empty_cache_file_is_an_empty_cache(tmp_path):
    cache_file(tmp_path).parent.mkdir(parents=True)
    cache_file(tmp_path).write_bytes(b"")
    cache = BuildCache(tmp_path)
    assert cache.entries == {} and not cache.damaged


def test_a_cache_that_cannot_be_written_is_only_slower(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    cache = BuildCache(blocker)
    cache.put("a", 1)
    cache.save()  # no exception
    assert BuildCache(blocker).get("a") is None
