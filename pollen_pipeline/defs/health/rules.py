"""The health domain's rules: latency as a histogram of raw events' response times.

The minute scan of raw production events (``ops/load_minutely``) keeps it per minute and
``health_hourly`` merges the minutes of each hour; status classes, tokens and the list
price it also counts are the contract's (the on-call tables count them too), and which events
are production is the contract's rule.

Latency is a combinable, fixed log-scale histogram, and quantiles are read back from it.

Why not ClickHouse quantile states: an ``AggregateFunction(quantilesTDigest...)`` column does
not survive the separate-source path (``Store._fill_stage`` moves summary rows as Arrow, and
chdb's Arrow output writes the state as an 8-byte pointer, not its bytes), and every quantile
state we tried fails the round trip (quantiles, TDigest, BFloat16, DD, timing). Plain arrays and
maps do survive: the scan keeps each event's bucket (``latency_buckets Array(UInt16)``, a
``groupArray``, which measured a third cheaper than building a map per fine-grained facts row),
and ``health_hourly`` keeps a ``Map(UInt16, UInt64)`` of bucket -> count, merged exactly with
``sumMap`` over any rows (hours, providers, models) and small because it holds only the buckets
that occur.

Buckets: 0 holds ``response_time < 1`` ms (0 is how a missing time arrives); bucket ``k >= 1``
holds ``[2^((k-1)/16), 2^(k/16))`` ms, sixteen buckets per doubling up to UInt16's end (far
beyond any real response time). A quantile is the geometric middle of the bucket where the
cumulative count first reaches ``q * n`` (the nearest-rank definition), so it is within
``RELATIVE_RESOLUTION`` (about 2.2%) of the exact nearest-rank quantile of the raw times.
"""

from __future__ import annotations

BUCKETS_PER_DOUBLING = 16
RELATIVE_RESOLUTION = 2 ** (1 / (2 * BUCKETS_PER_DOUBLING)) - 1
QUANTILES = {"p50": 0.5, "p95": 0.95, "p99": 0.99}

# The bucket of one raw event's response_time (ms).
RAW_BUCKET = (
    f"if(response_time < 1, toUInt16(0), "
    f"toUInt16(1 + floor(log2(response_time) * {BUCKETS_PER_DOUBLING})))"
)


def quantile_sql(histogram: str, q: float) -> str:
    """SQL for the ``q`` quantile in ms of a bucket map (a column or a ``sumMap`` of one).

    ``histogram`` must have sorted keys, which ``sumMap`` guarantees; empty maps give 0.
    """
    counts = f"mapValues({histogram})"
    bucket = (
        f"mapKeys({histogram})[arrayFirstIndex(c -> c >= {q!r} * arraySum({counts}), "
        f"arrayCumSum({counts}))]"
    )
    return f"if({bucket} = 0, 0., exp2(({bucket} - 0.5) / {BUCKETS_PER_DOUBLING}))"


# A health row's measures, as health_hourly and health_daily declare them (after the grain
# columns), and how rows of a finer grain add up to one: minutes of load_minutely into an hour,
# hours of health_hourly into a day. The quantiles are read from the merged histogram.
SUMMED = (
    ("requests", "UInt64"),
    ("status_2xx", "UInt64"),
    ("status_4xx", "UInt64"),
    ("status_429", "UInt64"),
    ("status_5xx", "UInt64"),
    ("errors", "UInt64"),  # status >= 400 or outside 100..599 (contract.RAW_ERROR_STATUS)
)
SUMMED_AFTER_LATENCY = (
    ("response_time_sum", "Float64"),
    ("tokens_in", "UInt64"),
    ("tokens_out", "UInt64"),
    ("cache_hits", "UInt64"),
    ("cache_savings_pollen", "Float64"),
    ("total_pollen", "Float64"),
)
HISTOGRAM_TYPE = "Map(UInt16, UInt64)"


def _measure_columns() -> str:
    """``$health_measure_columns``: the DDL lines of the measures, in the tables' order."""
    latency = [
        ("latency_histogram", HISTOGRAM_TYPE),
        *((f"latency_{name}_ms", "Float64") for name in QUANTILES),
        ("latency_max_ms", "Float32"),
    ]
    return ",\n    ".join(
        f"{name} {type_}" for name, type_ in (*SUMMED, *latency, *SUMMED_AFTER_LATENCY)
    )


def _sums() -> str:
    """``$health_sums``: the measures of finer rows added up, each as ``summed_<column>``
    (another name: an aggregate may not be aliased to a column another aggregate reads)."""
    sums = [f"sum({name}) AS summed_{name}" for name, _ in (*SUMMED, *SUMMED_AFTER_LATENCY)]
    return ",\n        ".join(
        [
            *sums,
            f"CAST(sumMap(latency_histogram) AS {HISTOGRAM_TYPE}) AS summed_latency_histogram",
            "max(latency_max_ms) AS summed_latency_max_ms",
        ]
    )


def _summed() -> str:
    """``$health_summed``: the sums of ``$health_sums`` named as the columns, in the tables'
    order, with the quantiles of the merged histogram."""
    latency = [
        "summed_latency_histogram AS latency_histogram",
        *(
            f"{quantile_sql('latency_histogram', q)} AS latency_{name}_ms"
            for name, q in QUANTILES.items()
        ),
        "summed_latency_max_ms AS latency_max_ms",
    ]
    columns = [
        *(f"summed_{name} AS {name}" for name, _ in SUMMED),
        *latency,
        *(f"summed_{name} AS {name}" for name, _ in SUMMED_AFTER_LATENCY),
    ]
    return ",\n    ".join(columns)


def fragments() -> dict[str, str]:
    """``$latency_<pNN>``: the quantiles of a ``latency_histogram`` column; the measures of
    health_hourly and health_daily: ``$health_measure_columns`` (DDL), ``$health_sums`` and
    ``$health_summed`` (SELECT). (``RAW_BUCKET`` is the raw scan's, in load_minutely, whose rows
    health_hourly groups by hour.)"""
    return {
        **{
            f"latency_{name}": quantile_sql("latency_histogram", q) for name, q in QUANTILES.items()
        },
        "health_measure_columns": _measure_columns(),
        "health_sums": _sums(),
        "health_summed": _summed(),
    }
