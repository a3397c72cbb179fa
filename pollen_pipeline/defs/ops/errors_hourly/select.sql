-- Hourly production errors, from its own narrow scan of raw events: only the error scope is
-- grouped, a few columns at hour x provider x model x status x code x source.
SELECT
    toStartOfHour(start_time, 'UTC') AS hour,
    model_provider_used,
    resolved_model_requested,
    response_status,
    error_response_code,
    error_source,
    $raw_error_measures
FROM $raw_table
WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
    AND $raw_error_events
GROUP BY
    hour,
    model_provider_used,
    resolved_model_requested,
    response_status,
    error_response_code,
    error_source
