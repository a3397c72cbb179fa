-- Hourly platform health over production events of every status: load_minutely's rows grouped
-- by hour (histograms merged with sumMap, exactly), so raw events are read once for both.
-- The inner query sums; the outer one reads quantiles from the merged histogram (a separate
-- level, because an expression may not read a column that an aggregate of the same SELECT is
-- aliased to).
SELECT
    hour,
    model_provider_used,
    resolved_model_requested,
    event_type,
    hour_requests AS requests,
    hour_2xx AS status_2xx,
    hour_4xx AS status_4xx,
    hour_429 AS status_429,
    hour_5xx AS status_5xx,
    hour_errors AS errors,
    hour_histogram AS latency_histogram,
    $latency_p50 AS latency_p50_ms,
    $latency_p95 AS latency_p95_ms,
    $latency_p99 AS latency_p99_ms,
    hour_max_ms AS latency_max_ms,
    hour_response_time AS response_time_sum,
    hour_tokens_in AS tokens_in,
    hour_tokens_out AS tokens_out,
    hour_cache_hits AS cache_hits,
    hour_cache_savings AS cache_savings_pollen,
    hour_pollen AS total_pollen
FROM
(
    SELECT
        toStartOfHour(minute) AS hour,
        model_provider_used,
        resolved_model_requested,
        event_type,
        sum(requests) AS hour_requests,
        sum(status_2xx) AS hour_2xx,
        sum(status_4xx) AS hour_4xx,
        sum(status_429) AS hour_429,
        sum(status_5xx) AS hour_5xx,
        sum(errors) AS hour_errors,
        CAST(sumMap(latency_histogram) AS Map(UInt16, UInt64)) AS hour_histogram,
        max(latency_max_ms) AS hour_max_ms,
        sum(response_time_sum) AS hour_response_time,
        sum(tokens_in) AS hour_tokens_in,
        sum(tokens_out) AS hour_tokens_out,
        sum(cache_hits) AS hour_cache_hits,
        sum(cache_savings_pollen) AS hour_cache_savings,
        sum(total_pollen) AS hour_pollen
    FROM $load_minutely
    WHERE minute >= {start:DateTime('UTC')} AND minute < {end:DateTime('UTC')}
    GROUP BY hour, model_provider_used, resolved_model_requested, event_type
)
