-- Every raw event of the minute, any environment and status, from its own narrow scan: the
-- legacy on-call panels filter on the environment and the exact status, and count distinct
-- request ids (their count(DISTINCT request_id) is uniqExact).
SELECT
    toStartOfMinute(start_time, 'UTC') AS minute,
    environment,
    event_type,
    response_status,
    model_provider_used,
    model_used,
    resolved_model_requested,
    count() AS requests,
    uniqExactState(request_id) AS request_ids,
    min(start_time) AS first_start,
    max(start_time) AS last_start,
    countIf(cache_hit) AS cache_hits,
    sum($raw_tokens_in) AS tokens_in,
    sum($raw_tokens_out) AS tokens_out,
    countIf(end_time > start_time) AS timed_requests,
    sumIf(toUInt64(date_diff('millisecond', start_time, end_time)), end_time > start_time)
        AS duration_ms_sum,
    sum(total_cost) AS provider_cost,
    sum(total_price) AS total_pollen
FROM $raw_table
WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
GROUP BY
    minute, environment, event_type, response_status, model_provider_used, model_used,
    resolved_model_requested
