"""Platform health (issue 7): status classes, tokens, cache savings and latency of raw events.

These are the fragments ``health_hourly``'s own narrow scan of raw events adds up, and the
checks that reconcile it use; which events are production is the contract's rule.

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

from pollen_pipeline import contract

# Status classes as counted columns: 429 (rate limited) is also inside 4xx.
STATUS_CLASSES = {
    "status_2xx": contract.RAW_SUCCESS,
    "status_4xx": "response_status >= 400 AND response_status < 500",
    "status_429": "response_status = 429",
    "status_5xx": "response_status >= 500 AND response_status < 600",
}

_PROMPT = ("text", "audio", "cached", "image")
_COMPLETION = ("text", "reasoning", "audio", "image")
RAW_TOKENS_IN = " + ".join(f"toUInt64(token_count_prompt_{kind})" for kind in _PROMPT)
RAW_TOKENS_OUT = " + ".join(f"toUInt64(token_count_completion_{kind})" for kind in _COMPLETION)
# What a request would have cost at its own token prices: for a cache hit (charged 0), the
# Pollen the cache saved. The eight count x price pairs of the raw schema.
RAW_LIST_PRICE = " + ".join(
    [f"token_count_prompt_{kind} * token_price_prompt_{kind}" for kind in _PROMPT]
    + [f"token_count_completion_{kind} * token_price_completion_{kind}" for kind in _COMPLETION]
)

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


def fragments() -> dict[str, str]:
    """``$raw_*`` and ``$latency_bucket`` for the raw scan, ``$latency_<pNN>`` over a
    ``latency_histogram`` column."""
    return {
        **{f"raw_{name}": condition for name, condition in STATUS_CLASSES.items()},
        "raw_tokens_in": RAW_TOKENS_IN,
        "raw_tokens_out": RAW_TOKENS_OUT,
        "raw_list_price": RAW_LIST_PRICE,
        "latency_bucket": RAW_BUCKET,
        **{
            f"latency_{name}": quantile_sql("latency_histogram", q) for name, q in QUANTILES.items()
        },
    }


# SLO targets of the "Pollen Platform Health" dashboard (seed 003's examples), as the defaults
# of its textbox variables: environment variable -> (variable name, default).
SLO_TARGETS = {
    "POLLEN_SLO_AVAILABILITY": ("sloAvailability", "0.999"),  # share of requests without a 5xx
    "POLLEN_SLO_LATENCY_P95_MS": ("sloLatencyP95Ms", "500"),  # p95 response time, ms
    "POLLEN_SLO_ERROR_RATE": ("sloErrorRate", "0.01"),  # share of requests that are not 2xx
}
