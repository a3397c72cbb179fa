"""``pollen load``: every format, broken lines kept with reasons, nothing doubled or half-loaded."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from pathlib import Path

import pytest

from pollen_pipeline import loader
from pollen_pipeline.catalog import LEDGER_TABLE, RAW_TABLE, REJECTED_TABLE
from pollen_pipeline.cli import main
from pollen_pipeline_tests.event_files import (
    api_event,
    snake_event,
    write_csv,
    write_ndjson,
    write_parquet,
)
from pollen_pipeline_tests.raw_datasource import schema_block

# One broken line of each kind a real export has, with the reason the loader must give.
BROKEN = [
    ("{not json", "not valid JSON"),
    ('{"requestId": "r-trunc", "startTime": "2026-01-05T01:00:00Z", "totalPr', "not valid JSON"),
    ("[1, 2, 3]", "not a JSON object"),
    ('"just a string"', "not a JSON object"),
    ('{"startTime": "2026-01-05T01:00:00Z"}', "missing requestId"),
    ('{"requestId": "", "startTime": "2026-01-05T01:00:00Z"}', "missing requestId"),
    ('{"requestId": "r-nostart"}', "missing startTime"),
    ('{"requestId": "r-nullstart", "startTime": null}', "missing startTime"),
    ('{"requestId": "r-t1", "startTime": "yesterday"}', "startTime/start_time is not a valid"),
    ('{"requestId": "r-t2", "startTime": "12"}', "startTime/start_time is not a valid"),
    ('{"requestId": "r-t3", "startTime": 1767225600}', "startTime/start_time is not a valid"),
    ('{"requestId": "r-e", "startTime": "2026-01-05T01:00:00Z", "endTime": "soon"}', "endTime"),
    (
        '{"requestId": "r-p", "startTime": "2026-01-05T01:00:00Z", "totalPrice": "lots"}',
        "totalPrice",
    ),
    (
        '{"requestId": "r-c", "startTime": "2026-01-05T01:00:00Z", "tokenCountPromptText": -3}',
        "token",
    ),
    (
        '{"requestId": "r-o", "startTime": "2026-01-05T01:00:00Z", "responseStatus": 1e12}',
        "response",
    ),
    (
        '{"requestId": "r-b", "startTime": "2026-01-05T01:00:00Z", "isBilledUsage": "maybe"}',
        "isBill",
    ),
    (
        '{"requestId": "r-m", "startTime": "2026-01-05T01:00:00Z", "balances": {"a": "x"}}',
        "balances",
    ),
    ('{"requestId": "r-m2", "startTime": "2026-01-05T01:00:00Z", "balances": 7}', "balances"),
    ('{"requestId": "r-old", "startTime": "2025-11-11T23:59:59Z"}', "before POLLEN_START_DATE"),
    (
        '{"requestId": "r-fut", "startTime": "2099-01-01T00:00:00Z"}',
        "more than a day in the future",
    ),
    ('{"requestId": "r-far", "startTime": "2300-01-01T00:00:00Z"}', "startTime/start_time is not"),
]
GOOD = 1000
START = dt.date(2025, 11, 12)  # the default POLLEN_START_DATE


def good_events(count: int = GOOD) -> list[dict]:
    return [
        api_event(
            f"2026-01-{5 + n % 3:02d} {n % 24:02d}:{n % 60:02d}:00",
            total_price=0.001 * (n + 1),
            user_id=f"u{n % 17}",
            extraFieldFromNewerVersion={"nested": [n]},
        )
        for n in range(count)
    ]


def export_with_broken_lines(path: Path) -> tuple[Path, dict[int, str]]:
    """1000 good lines with the 21 broken ones spread between them; {line: expected reason}."""
    lines: list[dict | str] = list(good_events())
    expected = {}
    for n, (text, _) in enumerate(BROKEN):
        lines.insert(n * 45 + 7, text)
    for number, line in enumerate(lines, start=1):
        if isinstance(line, str):
            expected[number] = next(reason for text, reason in BROKEN if text == line)
    return write_ndjson(path, lines), expected


def count(store, table: str) -> int:
    return store.scalar(f"SELECT count() FROM {store.table(table)}")


def test_export_with_broken_lines_loads_good_ones_once_and_keeps_the_rest(store, tmp_path, capsys):
    path, expected = export_with_broken_lines(tmp_path / "export.ndjson")

    assert main(["load", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"loaded {GOOD:,} rows, rejected {len(BROKEN)}" in out
    assert f"SELECT * FROM {store.table(REJECTED_TABLE)} WHERE content_hash IN" in out
    assert count(store, RAW_TABLE) == GOOD
    total = store.scalar(f"SELECT round(sum(total_price), 6) FROM {store.table(RAW_TABLE)}")
    assert total == round(sum(0.001 * (n + 1) for n in range(GOOD)), 6)
    rejected = store.rows(
        f"SELECT line, reason, raw, file FROM {store.table(REJECTED_TABLE)} ORDER BY line"
    )
    assert [row[0] for row in rejected] == sorted(expected)
    for line, reason, raw, file in rejected:
        assert expected[line] in reason, (line, reason)
        assert raw == path.read_text().splitlines()[line - 1]
        assert file == str(path)

    assert main(["load", str(path)]) == 1  # the file still has rejects, but nothing is added
    assert "already loaded on" in capsys.readouterr().out
    assert count(store, RAW_TABLE) == GOOD
    assert count(store, REJECTED_TABLE) == len(BROKEN)
    assert count(store, LEDGER_TABLE) == 1


def test_clean_file_exits_zero_and_a_renamed_copy_is_recognised(store, tmp_path, capsys):
    path = write_ndjson(tmp_path / "clean.jsonl", good_events(10))
    assert main(["load", str(path)]) == 0
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(path.read_bytes())
    assert main(["load", str(copy)]) == 0
    assert "already loaded on" in capsys.readouterr().out
    assert count(store, RAW_TABLE) == 10


EXPECTED = ("count()", "round(sum(total_price), 6)", "sum(token_count_prompt_text)")


def totals(store) -> tuple:
    return store.rows(f"SELECT {', '.join(EXPECTED)} FROM {store.table(RAW_TABLE)}")[0]


@pytest.mark.parametrize("name", ["e.ndjson.gz", "e.csv", "e.csv.gz", "e.parquet", "snake.ndjson"])
def test_snake_case_exports_in_every_format_load_the_same(store, tmp_path, name):
    rows = [
        snake_event(
            f"2026-01-06 {n % 24:02d}:00:00", total_price=0.5 + n, token_count_prompt_text=n
        )
        for n in range(50)
    ]
    path = tmp_path / name
    if ".csv" in name:
        write_csv(path, rows)
    elif name.endswith(".parquet"):
        write_parquet(path, rows)
    else:
        write_ndjson(path, rows)
    results = loader.load_files(store, [path], START, say=lambda _: None)
    assert (results[0].loaded, results[0].rejected) == (50, 0)
    assert totals(store) == (50, round(sum(0.5 + n for n in range(50)), 6), sum(range(50)))
    balances = store.scalar(f"SELECT any(balances) FROM {store.table(RAW_TABLE)}")
    assert balances == {"local:tier": 3.0, "local:pack": 0.0}


def test_times_with_offsets_become_utc_and_defaults_fill_missing_fields(store, tmp_path):
    lines = [
        {"requestId": "a", "startTime": "2026-01-02T00:30:00+13:45"},  # Chatham
        {
            "requestId": "b",
            "startTime": "2026-01-02T23:59:59-05:00",
            "endTime": "2026-01-03T05:00:01Z",
        },
        {"requestId": "c", "startTime": "2026-01-03T00:00:00Z", "unknown": 1},  # exact midnight
        {"request_id": "d", "start_time": "2026-01-03 00:00:00"},  # no offset: UTC
    ]
    path = write_ndjson(tmp_path / "times.ndjson", lines)
    loader.load_files(store, [path], START, say=lambda _: None)
    rows = store.rows(
        "SELECT request_id, toString(start_time, 'UTC'), toString(end_time, 'UTC'), "
        "toString(toDate(start_time, 'UTC')), environment, user_id, total_price, "
        "is_billed_usage, cache_hit, balances, cache_semantic_similarity, event_id "
        f"FROM {store.table(RAW_TABLE)} ORDER BY request_id"
    )
    defaults = ("undefined", "undefined", 0.0, False, False, {}, None, "")
    assert rows == [
        ("a", "2026-01-01 10:45:00", "2026-01-01 10:45:00", "2026-01-01", *defaults),
        ("b", "2026-01-03 04:59:59", "2026-01-03 05:00:01", "2026-01-03", *defaults),
        ("c", "2026-01-03 00:00:00", "2026-01-03 00:00:00", "2026-01-03", *defaults),
        ("d", "2026-01-03 00:00:00", "2026-01-03 00:00:00", "2026-01-03", *defaults),
    ]


def test_line_numbers_count_blank_lines_and_crlf(store, tmp_path):
    path = tmp_path / "crlf.ndjson"
    good = json.dumps(api_event("2026-01-05 00:00:00"))
    path.write_bytes(f"{good}\r\n\r\n{{oops\r\n{good}".encode())  # last line has no newline
    loader.load_files(store, [path], START, say=lambda _: None)
    assert count(store, RAW_TABLE) == 2
    assert store.rows(f"SELECT line FROM {store.table(REJECTED_TABLE)}") == [(3,)]


def test_csv_record_spanning_lines_is_numbered_by_its_first_line(store, tmp_path):
    rows = [
        snake_event("2026-01-05 00:00:00", api_key_name='multi\nline, "quoted" name'),
        snake_event("2026-01-05 00:00:00", total_price="free"),
    ]
    loader.load_files(store, [write_csv(tmp_path / "m.csv", rows)], START, say=print)
    assert store.scalar(f"SELECT api_key_name FROM {store.table(RAW_TABLE)}") == (
        'multi\nline, "quoted" name'
    )
    reject = store.rows(f"SELECT line, reason FROM {store.table(REJECTED_TABLE)}")
    assert reject == [(4, "totalPrice/total_price is not a valid Float64: free")]


def test_a_load_that_fails_half_way_adds_nothing(store, tmp_path, monkeypatch, capsys):
    """A truncated gzip fails after the first chunks went through: nothing may remain."""
    lines = [json.dumps(event) for event in good_events(3000)]
    whole = gzip.compress("\n".join(lines).encode())
    path = tmp_path / "truncated.ndjson.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    monkeypatch.setattr(loader, "CHUNK_BYTES", 512 * 1024)  # several chunks before the break

    assert main(["load", str(path)]) == 1
    error = capsys.readouterr().err.strip()
    assert re.fullmatch(r"pollen: error: .*truncated\.ndjson\.gz: nothing loaded: .+", error)
    assert count(store, RAW_TABLE) == count(store, REJECTED_TABLE) == 0
    assert count(store, LEDGER_TABLE) == 0
    leftovers = store.rows(
        "SELECT name FROM system.tables WHERE database = {db:String} AND name LIKE '\\_load%'",
        {"db": store.database},
    )
    assert leftovers == []


def test_missing_file_and_unknown_format_are_one_line_errors(store, tmp_path, capsys):
    assert main(["load", str(tmp_path / "nope.ndjson")]) == 1
    assert capsys.readouterr().err.strip() == f"pollen: error: no such file: {tmp_path}/nope.ndjson"
    odd = tmp_path / "events.xlsx"
    odd.write_text("x")
    assert main(["load", str(odd)]) == 1
    assert "unknown format" in capsys.readouterr().err


def test_camel_case_keys_are_the_datasource_json_paths():
    block = schema_block()
    paths = re.findall(r"^\s*(\w+)\s+.+?\s+json:\$\.(\w+)", block, re.M)
    assert len(paths) == 66
    assert all(loader.camel_key(column) == key for column, key in paths)


def test_clickhouse_csv_export_maps_and_nulls(store, tmp_path):
    """Tinybird's CSV exports are ClickHouse's: maps as ``{'k':v}``, NULL as ``\\N``."""
    path = tmp_path / "tinybird.csv"
    path.write_text(
        "request_id,start_time,balances,cache_semantic_similarity,is_billed_usage\n"
        "a,2026-01-05 00:00:00,\"{'local:tier':3,'local:pack':0.5}\",\\N,true\n"
        "b,2026-01-05 00:00:00,{},0.75,false\n"
        "c,2026-01-05 00:00:00,\"{'it\\'s':1}\",\\N,true\n"
        "d,2026-01-05 00:00:00,\"{'x':'y'}\",\\N,true\n"
    )
    loader.load_files(store, [path], START, say=lambda _: None)
    rows = store.rows(
        "SELECT request_id, balances, cache_semantic_similarity, is_billed_usage "
        f"FROM {store.table(RAW_TABLE)} ORDER BY request_id"
    )
    assert rows == [
        ("a", {"local:tier": 3.0, "local:pack": 0.5}, None, True),
        ("b", {}, 0.75, False),
        ("c", {"it's": 1.0}, None, True),
    ]
    reasons = store.rows(f"SELECT line, reason FROM {store.table(REJECTED_TABLE)}")
    assert reasons == [(5, "balances is not a valid Map(String, Float64): {'x':'y'}")]


def test_demo_regenerates_into_an_empty_raw_table_and_never_clears_loaded_files(
    store, tmp_path, capsys
):
    from pollen_pipeline import cli

    cli.main(["generate", "--start", "2026-01-05", "--events-per-day", "50"])
    cli._clear_synthetic_events(store)  # what `pollen demo` does before generating again
    assert count(store, RAW_TABLE) == 0

    assert main(["load", str(write_ndjson(tmp_path / "real.jsonl", good_events(10)))]) == 0
    assert main(["demo", "--days", "1", "--events-per-day", "50"]) == 1
    assert "holds 1 loaded file(s)" in capsys.readouterr().err
    assert count(store, RAW_TABLE) == 10


def test_a_file_loads_once_per_raw_table(store, tmp_path, capsys):
    """A v2 export first loaded into v1 by mistake still loads into v2; then once only."""
    path = write_ndjson(tmp_path / "v2.ndjson", good_events(10))
    assert main(["load", str(path)]) == 0
    assert main(["load", "--table", "generation_event_v2", str(path)]) == 0
    assert "already loaded on" not in capsys.readouterr().out
    assert main(["load", "--table", "generation_event_v2", str(path)]) == 0
    assert "already loaded on" in capsys.readouterr().out
    assert (count(store, RAW_TABLE), count(store, "generation_event_v2")) == (10, 10)


def test_an_older_ledger_gains_the_table_column_and_keeps_its_files(store, tmp_path, capsys):
    path = write_ndjson(tmp_path / "old.ndjson", good_events(5))
    assert main(["load", str(path)]) == 0
    ledger = store.table("load_ledger")
    store.command(f"ALTER TABLE {ledger} DROP COLUMN table_name")  # as an older version left it
    assert main(["init"]) == 0
    assert main(["load", str(path)]) == 0
    assert "already loaded on" in capsys.readouterr().out
    assert count(store, RAW_TABLE) == 5
