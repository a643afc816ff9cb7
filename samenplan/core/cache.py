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
# (bench/signals.py). Looking once every CULL_EVERY writes of a process lets the cache grow past
# MAX_ENTRIES by at most that many files per process before it is culled.
CULL_EVERY = 100
_writes = itertools.count()
_temporary = itertools.count()


class FileCache(FileBasedCache):
    def _cull(self):
        if next(_writes) % CULL_EVERY:
            return
        super()._cull()

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
