"""The tile cache culls every CHECK_EVERY writes, not on each write."""

from __future__ import annotations

from layers.tilecache import TileFileCache


def test_cache_is_culled_only_every_check_every_writes(tmp_path):
    cache = TileFileCache(
        str(tmp_path),
        {"OPTIONS": {"MAX_ENTRIES": 2, "CULL_FREQUENCY": 0, "CHECK_EVERY": 5}, "TIMEOUT": None},
    )
    for index in range(4):
        cache.set(f"tile-{index}", b"x")
    # Four writes, no size check yet: all four tiles are kept despite MAX_ENTRIES = 2.
    assert len(list(tmp_path.glob("*.djcache"))) == 4
    cache.set("tile-4", b"x")  # the fifth write checks: 4 files ≥ 2, CULL_FREQUENCY 0 clears
    assert [cache.get(f"tile-{i}") for i in range(5)] == [None, None, None, None, b"x"]


def test_a_tile_reads_back_byte_for_byte(tmp_path):
    cache = TileFileCache(str(tmp_path), {"TIMEOUT": None})
    tile = bytes(range(256)) * 4096  # 1 MB
    cache.set("tile", tile)
    assert cache.get("tile") == tile
