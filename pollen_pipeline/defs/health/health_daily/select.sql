-- health_hourly's rows of the run's days grouped by UTC day. As in health_hourly, the inner
-- query sums and the outer one reads the quantiles of the merged histogram.
SELECT
    day,
    model_provider_used,
    resolved_model_requested,
    event_type,
    day_requests AS requests,
    day_2xx AS status_2xx,
    day_4xx AS status_4xx,
    day_429 AS status_429,
    day_5xx AS status_5xx,
    day_errors AS errors,
    day_histogram AS latency_histogram,
    $latency_p50 AS latency_p50_ms,
    $latency_p95 AS latency_p95_ms,
    $latency_p99 AS latency_p99_ms,
    day_max_ms AS latency_max_ms,
    day_response_time AS response_time_sum,
    day_tokens_in AS tokens_in,
    day_tokens_out AS tokens_out,
    day_cache_hits AS cache_hits,
    day_cache_savings AS cache_savings_pollen,
    day_pollen AS total_pollen
FROM
(
    SELECT
        toDate(hour, 'UTC') AS day,
        model_provider_used,
        resolved_model_requested,
        event_type,
        sum(requests) AS day_requests,
        sum(status_2xx) AS day_2xx,
        sum(status_4xx) AS day_4xx,
        sum(status_429) AS day_429,
        sum(status_5xx) AS day_5xx,
        sum(errors) AS day_errors,
        CAST(sumMap(latency_histogram) AS Map(UInt16, UInt64)) AS day_histogram,
        max(latency_max_ms) AS day_max_ms,
        sum(response_time_sum) AS day_response_time,
        sum(tokens_in) AS day_tokens_in,
        sum(tokens_out) AS day_tokens_out,
        sum(cache_hits) AS day_cache_hits,
        sum(cache_savings_pollen) AS day_cache_savings,
        sum(total_pollen) AS day_pollen
    FROM $health_hourly
    WHERE hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')}
    GROUP BY day, model_provider_used, resolved_model_requested, event_type
)
