-- Hourly platform health over production events of every status: load_minutely's rows grouped
-- by hour (histograms merged with sumMap, exactly), so raw events are read once for both.
-- The inner query sums (fragment health_sums, defs/health/rules.py); the outer one names the
-- sums and reads the quantiles from the merged histogram (a separate level, because an
-- expression may not read a column that an aggregate of the same SELECT is aliased to).
SELECT
    hour,
    model_provider_used,
    resolved_model_requested,
    event_type,
    $health_summed
FROM
(
    SELECT
        toStartOfHour(minute) AS hour,
        model_provider_used,
        resolved_model_requested,
        event_type,
        $health_sums
    FROM $load_minutely
    WHERE minute >= {start:DateTime('UTC')} AND minute < {end:DateTime('UTC')}
    GROUP BY hour, model_provider_used, resolved_model_requested, event_type
)
