-- Minute load over raw production events of every status, from its own narrow scan: a few
-- columns at minute x event type x provider x model. It also keeps what health_hourly needs
-- (4xx, the latency histogram, the slowest response, cache hits), so that the hourly health
-- table is a grouping of these rows rather than another scan of raw events.
SELECT
    toStartOfMinute(start_time, 'UTC') AS minute,
    event_type,
    model_provider_used,
    resolved_model_requested,
    count() AS requests,
    countIf($raw_status_2xx) AS status_2xx,
    countIf($raw_status_4xx) AS status_4xx,
    countIf($raw_error_status) AS errors,
    countIf($raw_status_5xx) AS status_5xx,
    countIf($raw_status_429) AS status_429,
    CAST(sumMap(map($latency_bucket, toUInt64(1))) AS Map(UInt16, UInt64)) AS latency_histogram,
    max(response_time) AS latency_max_ms,
    sum($raw_tokens_in) AS tokens_in,
    sum($raw_tokens_out) AS tokens_out,
    sum(toFloat64(response_time)) AS response_time_sum,
    countIf(cache_hit) AS cache_hits,
    sumIf($raw_list_price, cache_hit) AS cache_savings_pollen,
    sum(total_price) AS total_pollen
FROM $raw_table
WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
    AND $raw_production_events
GROUP BY minute, event_type, model_provider_used, resolved_model_requested
