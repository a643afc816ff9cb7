"""The file cache looks at its directory now and then, not at every write, and still stays bounded."""

from unittest import mock

import pytest

from samenplan.core import cache
from samenplan.core.cache import FileCache


def test_writes_count_the_directory_once_every_thousand_and_the_cache_stays_bounded(tmp_path):
    files = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    counts = mock.Mock(wraps=files._count_files)
    with mock.patch.object(cache, "_writes", iter(range(1, 10_000))), \
            mock.patch.object(files, "_count_files", counts):
        for number in range(3 * cache.CULL_EVERY):
            files.set(f"key-{number}", number)
    assert counts.call_count == 3  # after writes 1000, 2000 and 3000
    assert len(list(tmp_path.glob("*.djcache"))) <= 10 + cache.CULL_EVERY
    assert files.get(f"key-{3 * cache.CULL_EVERY - 1}") == 3 * cache.CULL_EVERY - 1


def test_a_directory_below_its_limit_is_counted_but_not_culled(tmp_path):
    files = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10}})
    for number in range(5):
        files.set(f"key-{number}", number)
    assert files._count_files() == 5
    with mock.patch.object(cache, "_writes", iter([0])), mock.patch.object(files, "_list_cache_files") as listing:
        files.set("key-5", 5)
    listing.assert_not_called()


def test_a_write_replaces_the_file_whole_and_leaves_no_temporary_file(tmp_path):
    files = FileCache(str(tmp_path / "cache"), {})
    files.set("token", "a")
    files.set("token", "b")
    assert files.get("token") == "b"
    assert files.add("token", "c") is False
    assert files.add("counter", 1) is True
    assert files.incr("counter") == 2
    assert [p.suffix for p in (tmp_path / "cache").iterdir()] == [".djcache"] * 2


def test_a_write_makes_the_directory_again_when_it_was_removed(tmp_path):
    import shutil

    files = FileCache(str(tmp_path / "cache"), {})
    shutil.rmtree(tmp_path / "cache")
    files.set("token", "a")
    assert files.get("token") == "a"


def test_a_failed_write_keeps_the_old_value_and_removes_its_temporary_file(tmp_path):
    files = FileCache(str(tmp_path / "cache"), {})
    files.set("token", "a")
    with mock.patch.object(files, "_write_content", side_effect=OSError("disk full")), pytest.raises(OSError):
        files.set("token", "b")
    assert files.get("token") == "a"
    assert len(list((tmp_path / "cache").iterdir())) == 1
