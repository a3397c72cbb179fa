-- Hourly platform health from the facts' production rows (every status). The inner query sums;
-- the outer one reads quantiles from the merged histogram (a separate level, because an
-- expression may not read a column that an aggregate of the same SELECT is aliased to).
SELECT
    hour,
    model_provider_used,
    resolved_model_requested,
    requests,
    status_2xx,
    status_4xx,
    status_429,
    status_5xx,
    latency_histogram,
    $latency_p50 AS latency_p50_ms,
    $latency_p95 AS latency_p95_ms,
    $latency_p99 AS latency_p99_ms,
    latency_max_ms,
    response_time_sum,
    tokens_in,
    tokens_out,
    cache_hits,
    cache_savings_pollen,
    total_pollen
FROM
(
    SELECT
        hour,
        model_provider_used,
        resolved_model_requested,
        sum(events) AS requests,
        sum(status_2xx) AS status_2xx,
        sum(status_4xx) AS status_4xx,
        sum(status_429) AS status_429,
        sum(status_5xx) AS status_5xx,
        CAST(sumMap(latency_buckets, arrayMap(b -> toUInt64(1), latency_buckets))
            AS Map(UInt16, UInt64)) AS latency_histogram,
        max(response_time_max) AS latency_max_ms,
        sum(response_time_sum) AS response_time_sum,
        sum(tokens_in) AS tokens_in,
        sum(tokens_out) AS tokens_out,
        sum(cache_hit_events) AS cache_hits,
        sum(cached_savings_sum) AS cache_savings_pollen,
        sum(price_sum) AS total_pollen
    FROM $facts
    WHERE hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')} AND $production_rows
    GROUP BY hour, model_provider_used, resolved_model_requested
)
