"""The shared cache on one machine: Django's file cache, counting its files less often and writing
them with fewer system calls."""

import contextlib
import itertools
import os

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

# Every write of Django's file cache lists the whole cache directory to see whether it is full
# (`_cull`). With a rate-limit counter per client and location and a page token per organisation
# that directory holds thousands of files, and the listing was 85% of a signal's intake time
# (bench/signals.py). Counting once every CULL_EVERY writes of a process lets the cache grow past
# MAX_ENTRIES by at most that many files per process before it is culled. At 100 the count of a
# full directory (20,000 files) was still a tenth of the intake's time.
CULL_EVERY = 1000
_writes = itertools.count()
_temporary = itertools.count()


class FileCache(FileBasedCache):
    def _cull(self):
        if next(_writes) % CULL_EVERY:
            return
        if self._count_files() >= self._max_entries:
            super()._cull()  # lists the files again, to pick those to drop

    def _count_files(self) -> int:
        # os.scandir without sorting or pattern matching: 40% of the time of Django's glob.
        try:
            with os.scandir(self._dir) as entries:
                return sum(1 for entry in entries if entry.name.endswith(self.cache_suffix))
        except FileNotFoundError:
            return 0

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's set makes the directory, a random temporary file and a "safe" move at every write:
        # about 170 µs of CPU, twice per signal taken in (its rate limit and its page token). The
        # same atomic replace with a temporary name of this process's own takes 70 µs.
        fname = self._key_to_file(key, version)
        self._cull()
        temporary = f"{fname}.{os.getpid()}-{next(_temporary)}.tmp"
        try:
            file = open(temporary, "xb")
        except FileNotFoundError:  # the directory was removed meanwhile
            self._createdir()
            file = open(temporary, "xb")
        try:
            with file:
                self._write_content(file, timeout, value)
            os.replace(temporary, fname)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(temporary)
            raise
