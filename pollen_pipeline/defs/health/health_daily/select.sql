-- health_hourly's rows of the run's days grouped by UTC day, summed and named as in
-- health_hourly (fragments health_sums and health_summed, defs/health/rules.py).
SELECT
    day,
    model_provider_used,
    resolved_model_requested,
    event_type,
    $health_summed
FROM
(
    SELECT
        toDate(hour, 'UTC') AS day,
        model_provider_used,
        resolved_model_requested,
        event_type,
        $health_sums
    FROM $health_hourly
    WHERE hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')}
    GROUP BY day, model_provider_used, resolved_model_requested, event_type
)
