-- Hourly platform health over raw production events of every status. Its own scan, because it
-- reads a few narrow columns at a coarse grain (hour x provider x model x event type): ~0.2 s
-- for 5M events, far cheaper than carrying a latency histogram on every fine-grained facts row.
-- The inner query sums; the outer one reads quantiles from the merged histogram (a separate
-- level, because an expression may not read a column that an aggregate of the same SELECT is
-- aliased to).
SELECT
    hour,
    model_provider_used,
    resolved_model_requested,
    event_type,
    requests,
    status_2xx,
    status_4xx,
    status_429,
    status_5xx,
    errors,
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
        toStartOfHour(start_time, 'UTC') AS hour,
        model_provider_used,
        resolved_model_requested,
        event_type,
        count() AS requests,
        countIf($raw_status_2xx) AS status_2xx,
        countIf($raw_status_4xx) AS status_4xx,
        countIf($raw_status_429) AS status_429,
        countIf($raw_status_5xx) AS status_5xx,
        countIf($raw_error_status) AS errors,
        CAST(sumMap(map($latency_bucket, toUInt64(1))) AS Map(UInt16, UInt64))
            AS latency_histogram,
        max(response_time) AS latency_max_ms,
        sum(toFloat64(response_time)) AS response_time_sum,
        sum($raw_tokens_in) AS tokens_in,
        sum($raw_tokens_out) AS tokens_out,
        countIf(cache_hit) AS cache_hits,
        sumIf($raw_list_price, cache_hit) AS cache_savings_pollen,
        sum(total_price) AS total_pollen
    FROM $raw_table
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
        AND $raw_production_events
    GROUP BY hour, model_provider_used, resolved_model_requested, event_type
)
