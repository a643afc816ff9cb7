"""The shared cache on one machine: Django's file cache, counting its files less often."""

import itertools

from django.core.cache.backends.filebased import FileBasedCache

# Every write of Django's file cache lists the whole cache directory to see whether it is full
# (`_cull`). With a rate-limit counter per client and location and a page token per organisation
# that directory holds thousands of files, and the listing was 85% of a signal's intake time
# (bench/signals.py). Looking once every CULL_EVERY writes of a process lets the cache grow past
# MAX_ENTRIES by at most that many files per process before it is culled.
CULL_EVERY = 100
_writes = itertools.count()


class FileCache(FileBasedCache):
    def _cull(self):
        if next(_writes) % CULL_EVERY:
            return
        super()._cull()
