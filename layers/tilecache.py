"""The disk cache of vector tiles: Django's file cache without its per-write directory scan.

Django's FileBasedCache lists its whole directory on every write to decide whether to cull; with
a hundred thousand cached tiles that scan costs more than building most tiles. This backend
checks the size only every ``CHECK_EVERY`` writes (an OPTIONS entry, default 1000) per process,
so the cache may briefly exceed MAX_ENTRIES by that many files. Tiles are also compressed at
zlib level 1 rather than 6: a 1.6 MB tile then costs milliseconds to store instead of tens
(Django's reader decompresses any level).
"""

from __future__ import annotations

import pickle
import zlib

from django.core.cache.backends.filebased import FileBasedCache

__all__ = ["TileFileCache"]

DEFAULT_CHECK_EVERY = 1000
ZLIB_LEVEL = 1


class TileFileCache(FileBasedCache):
    def __init__(self, dir, params) -> None:  # noqa: A002  (Django's signature)
        super().__init__(dir, params)
        options = params.get("OPTIONS", {})
        self._check_every = int(options.get("CHECK_EVERY", DEFAULT_CHECK_EVERY))
        self._writes = 0

    def _cull(self) -> None:
        self._writes += 1
        if self._writes % self._check_every == 0:
            super()._cull()

    def _write_content(self, file, timeout, value) -> None:
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), ZLIB_LEVEL))
