-- errors_hourly's rows of the run's months grouped by UTC day (an outer query names the sums:
-- an aggregate aliased to a column name would shadow the column for the others).
SELECT
    day,
    model_provider_used,
    resolved_model_requested,
    response_status,
    error_response_code,
    error_source,
    day_events AS events,
    day_pollen AS total_pollen,
    day_first_at AS first_at,
    day_last_at AS last_at
FROM
(
    SELECT
        toDate(hour, 'UTC') AS day,
        model_provider_used,
        resolved_model_requested,
        response_status,
        error_response_code,
        error_source,
        sum(events) AS day_events,
        sum(total_pollen) AS day_pollen,
        min(first_at) AS day_first_at,
        max(last_at) AS day_last_at
    FROM $errors_hourly
    WHERE hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')}
    GROUP BY
        day, model_provider_used, resolved_model_requested, response_status,
        error_response_code, error_source
)
