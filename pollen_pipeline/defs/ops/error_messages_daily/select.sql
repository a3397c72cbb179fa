-- Daily production error messages, normalised, from its own narrow scan of the error scope.
SELECT
    toDate(start_time, 'UTC') AS day,
    error_response_code,
    model_provider_used,
    response_status,
    $raw_error_message AS message,
    $raw_error_measures
FROM $raw_table
WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
    AND $raw_error_events
GROUP BY day, error_response_code, model_provider_used, response_status, message
