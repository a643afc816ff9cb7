"""The file cache looks at its directory now and then, not at every write, and still stays bounded."""

from unittest import mock

import pytest

from samenplan.core import cache
from samenplan.core.cache import FileCache


def test_writes_list_the_directory_once_every_hundred_and_the_cache_stays_bounded(tmp_path):
    files = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    listings = mock.Mock(wraps=files._list_cache_files)
    with mock.patch.object(cache, "_writes", iter(range(1, 10_000))), \
            mock.patch.object(files, "_list_cache_files", listings):
        for number in range(300):
            files.set(f"key-{number}", number)
    assert listings.call_count == 3  # writes 100, 200 and 300
    assert len(list(tmp_path.glob("*.djcache"))) <= 10 + cache.CULL_EVERY
    assert files.get("key-299") == 299


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
