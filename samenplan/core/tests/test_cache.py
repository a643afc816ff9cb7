"""The file cache looks at its directory now and then, not at every write, and still stays bounded."""

from unittest import mock

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
