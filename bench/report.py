"""The benchmark's printed tables (markdown): ratios against baselines, targets, growth."""

from __future__ import annotations

from datetime import datetime

__all__ = ["report"]

CLASSES = ("tiny", "medium", "heavy")


def _row(what: str, engine: str, baseline: str, ratio: float, target: str, ok: bool | None):
    mark = "" if ok is None else ("✅" if ok else "❌")
    return f"| {what} | {engine} | {baseline} | {ratio:.2f} | {target} | {mark} |"


def _ms(seconds: float) -> str:
    if seconds < 1e-4:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1000:.1f} ms"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return _ms(seconds) if seconds < 1 else f"{seconds:.2f} s"


def _feed_rows(r: dict) -> list[str]:
    n = f"{r['count']:,}".replace(",", " ")
    feed, raw, drf = r["feed_s"], r["feed_raw_s"], r["drf_s"]
    return [
        _row(f"GeoJSON whole layer ({n}, {r['feed_mb']:.0f} MB) ÷ raw SQL", f"{feed:.2f} s",
             f"{raw:.2f} s", feed / raw, "≤ 1.5", feed / raw <= 1.5),
        _row("DRF-GIS list view ÷ GeoJSON endpoint (× faster)", f"{feed:.2f} s",
             f"{drf:.2f} s", drf / feed, "≥ 10", drf / feed >= 10),
    ]  # fmt: skip


def _tile_rows(r: dict, has_vt: bool) -> list[str]:
    rows = []
    for c in CLASSES:
        cold, raw, warm = r[f"{c}_cold_s"], r[f"{c}_raw_s"], r[f"{c}_warm_s"]
        size = f"{r[f'{c}_features_kb']:.0f} kB"
        rows.append(_row(f"tile {c} ({size}) cold ÷ raw ST_AsMVT", _ms(cold), _ms(raw),
                         cold / raw, "≤ 1.5", cold / raw <= 1.5))  # fmt: skip
        rows.append(_row(f"tile {c} cold ÷ cached (× faster)", _ms(warm), _ms(cold),
                         cold / warm, "—", None))  # fmt: skip
        if has_vt:
            vt = r[f"{c}_vt_s"]
            rows.append(_row(f"tile {c}: django-vectortiles ÷ engine cold", _ms(cold), _ms(vt),
                             vt / cold, "—", None))  # fmt: skip
    return rows


def _peer_rows(r: dict) -> list[str]:
    """The engine ÷ tipg, same table, 2 gunicorn workers vs 2 uvicorn workers."""
    rows = []
    for c in CLASSES:
        ours, theirs = r[f"peer tile {c} engine"], r[f"peer tile {c} tipg"]
        kb, tipg_kb = r[f"peer_{c}_engine_kb"], r[f"peer_{c}_tipg_kb"]
        rows.append(_row(f"cold tile {c} ({kb:.0f} kB vs {tipg_kb:.0f} kB), req/s",
                         f"{ours:.0f}/s", f"{theirs:.0f}/s", ours / theirs, "≥ 1.5",
                         ours / theirs >= 1.5))  # fmt: skip
    for case in ("limit=100", "limit=1000", "deep offset", "bbox"):
        ours, theirs = r[f"peer {case} engine"], r[f"peer {case} tipg"]
        ratio = ours / theirs
        rows.append(_row(f"OGC items {case} (with numberMatched), req/s", f"{ours:.0f}/s",
                         f"{theirs:.0f}/s", ratio, "≥ 1.5", ratio >= 1.5))  # fmt: skip
    ours, theirs = r["peer whole engine"], r["peer whole tipg"]
    rows.append(_row("whole layer GeoJSON (× faster)", f"{ours:.2f} s", f"{theirs:.2f} s",
                     theirs / ours, "≥ 10", theirs / ours >= 10))  # fmt: skip
    biggest = max(r[f"peer_{c}_engine_kb"] for c in CLASSES)
    rows.append(_row("largest engine tile (kB) ÷ budget", f"{biggest:.0f} kB", "500 kB",
                     biggest / 500, "≤ 1", biggest <= 500))  # fmt: skip
    return rows


def _throughput_rows(r: dict, has_vt: bool) -> list[str]:
    rows = []
    for c in CLASSES:
        db = r[f"{c}_pgbench_tps"]
        cold, warm, front = r[f"{c}_cold_rps"], r[f"{c}_warm_rps"], r[f"{c}_nginx_rps"]
        rows.append(_row(f"HTTP {c} cold req/s ÷ pgbench tps (fixed tile SQL)", f"{cold:.0f}/s",
                         f"{db:.0f}/s", cold / db, "—", None))  # fmt: skip
        # Warm tiles have their target on the deployed stack, nginx in front of gunicorn.
        rows.append(_row(f"HTTP {c} warm req/s ÷ pgbench tps", f"{warm:.0f}/s", f"{db:.0f}/s",
                         warm / db, "—", None))  # fmt: skip
        rows.append(_row(f"HTTP {c} warm via nginx req/s ÷ pgbench tps", f"{front:.0f}/s",
                         f"{db:.0f}/s", front / db, "—", None))  # fmt: skip
        if has_vt:
            vt = r[f"{c}_vt_rps"]
            rows.append(_row(f"HTTP {c} engine cold ÷ django-vectortiles", f"{cold:.0f}/s",
                             f"{vt:.0f}/s", cold / vt, "—", None))  # fmt: skip
    return rows


def _settings_rows(r: dict) -> list[str]:
    c0, c60 = r["conn0_cold_rps"], r["conn60_cold_rps"]
    prep, simple = r["medium_pgbench_tps"], r["medium_pgbench_simple_tps"]
    p2, p0 = r["heavy_parallel2_s"], r["heavy_parallel0_s"]
    p2t, p0t = r["heavy_parallel2_tps"], r["heavy_parallel0_tps"]
    jon, joff = r["heavy_jit_on_s"], r["heavy_jit_off_s"]
    jont, jofft = r["heavy_jit_on_tps"], r["heavy_jit_off_tps"]
    g1, g6 = r["gzip1_s"], r["gzip6_s"]
    return [
        _row("persistent connections: cold tiny tile, CONN_MAX_AGE=60 ÷ 0", f"{c60:.0f}/s",
             f"{c0:.0f}/s", c60 / c0, "—", None),
        _row("prepared statements: pgbench medium, prepared ÷ simple", f"{prep:.0f}/s",
             f"{simple:.0f}/s", prep / simple, "—", None),
        _row("parallel query: heavy tile SQL alone, workers 2 ÷ off (time)", _ms(p2), _ms(p0),
             p2 / p0, "—", None),
        _row("parallel query: heavy tile pgbench, off ÷ workers 2 (tps)", f"{p0t:.1f}/s",
             f"{p2t:.1f}/s", p0t / p2t, "—", None),
        _row("JIT: heavy tile SQL alone, on ÷ off (time)", _ms(jon), _ms(joff), jon / joff, "—",
             None),
        _row("JIT: heavy tile pgbench, off ÷ on (tps)", f"{jofft:.1f}/s", f"{jont:.1f}/s",
             jofft / jont, "—", None),
        _row(f"gzip whole feed: level 6 ÷ level 1 (time; {r['gzip6_mb']:.1f} vs "
             f"{r['gzip1_mb']:.1f} MB)", f"{g1:.2f} s", f"{g6:.2f} s", g6 / g1, "—", None),
    ]  # fmt: skip


def _memory_rows(r: dict) -> list[str]:
    rows = []
    for fmt in ("geojson", "gpkg"):
        base, peak = r[f"mem_{fmt}_base_mb"], r[f"mem_{fmt}_peak_mb"]
        rows.append(
            f"| {fmt} export ({r[f'mem_{fmt}_file_mb']:.0f} MB file) | {base:.0f} MB | "
            f"{peak:.0f} MB | +{peak - base:.0f} MB |"
        )
    return rows


def _growth(runs: list[dict]) -> list[str]:
    keys = [("feed_s", "GeoJSON endpoint"), ("feed_raw_s", "raw feed SQL"), ("drf_s", "DRF-GIS")]
    keys += [(f"{c}_cold_s", f"tile {c} cold") for c in CLASSES]
    keys += [(f"{c}_warm_s", f"tile {c} warm") for c in CLASSES]
    head = "| cost | " + " | ".join(f"{r['count']:,}".replace(",", " ") for r in runs)
    lines = [head + " | last ÷ first |", "|---" * (len(runs) + 2) + "|"]
    for key, label in keys:
        values = [r.get(key) for r in runs]
        cells = " | ".join(_duration(v) for v in values)
        known = [v for v in values if v is not None]
        lines.append(f"| {label} | {cells} | {known[-1] / known[0]:.1f} |")
    return lines


def report(runs: list[dict], *, full_at: int, started: datetime, machine: str, has_vt: bool) -> str:
    """The markdown report of a benchmark run (the run of ``full_at`` features is the full one)."""
    r = next(run for run in runs if run["count"] == full_at)
    head = "| measure | engine | baseline | ratio | target | |\n|---|---|---|---|---|---|"
    same = "identical" if r["feed_same_document"] else "DIFFERENT (check!)"
    parts = [
        f"Benchmark of {started:%Y-%m-%d %H:%M} UTC on {machine}.",
        f"Engine GeoJSON vs raw SQL document: {same}.",
        "",
        "### Engine vs baselines (feeds over HTTP; tile latencies in process through the WSGI "
        "application, median of 7)",
        head,
        *_feed_rows(r),
        *_tile_rows(r, has_vt),
        "",
        "### Engine vs tipg (same table; 2 gunicorn sync workers vs 2 uvicorn workers; wrk 2 "
        "threads × 8 connections; medians of rounds run in turn)",
        head,
        *_peer_rows(r),
        "",
        "### Throughput over HTTP (gunicorn sync workers, alone or behind nginx as deployed; wrk 2 "
        "threads × 8 connections, pgbench 8 clients; medians of rounds run in turn)",
        head,
        *_throughput_rows(r, has_vt),
        "",
        "### Settings, measured",
        head,
        *_settings_rows(r),
        "",
        "### Peak memory (resident set of a fresh process)",
        "| export | after start-up | peak | growth |\n|---|---|---|---|",
        *_memory_rows(r),
        "",
        "### Growth",
        *_growth(runs),
    ]
    if not has_vt:
        parts.append("\ndjango-vectortiles is not installed: its comparison was skipped.")
    return "\n".join(parts)
