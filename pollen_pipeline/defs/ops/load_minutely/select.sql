-- Minute load over raw production events of every status, from its own narrow scan: a few
-- columns at minute x event type x provider x model.
SELECT
    toStartOfMinute(start_time, 'UTC') AS minute,
    event_type,
    model_provider_used,
    resolved_model_requested,
    count() AS requests,
    countIf($raw_status_2xx) AS status_2xx,
    countIf($raw_error_status) AS errors,
    countIf($raw_status_5xx) AS status_5xx,
    countIf($raw_status_429) AS status_429,
    sum($raw_tokens_in) AS tokens_in,
    sum($raw_tokens_out) AS tokens_out,
    sum(toFloat64(response_time)) AS response_time_sum,
    sum(total_price) AS total_pollen
FROM $raw_table
WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
    AND $raw_production_events
GROUP BY minute, event_type, model_provider_used, resolved_model_requested
