-- v2's fallback attempts (is_final = false), read from generation_event_v2 itself: the events
-- relation holds requests only. requests: the distinct requests with such an attempt in the
-- row's group (a request that tried two models counts under each).
SELECT
    toDate(start_time, 'UTC') AS day,
    environment,
    resolved_model_requested,
    model_used AS model_tried,
    model_provider_used AS provider_tried,
    response_status,
    error_response_code,
    count() AS attempts,
    uniqExact(request_id) AS requests,
    sum(total_cost) AS attempt_cost
FROM $generation_event_v2
WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
    AND NOT is_final
GROUP BY
    day, environment, resolved_model_requested, model_tried, provider_tried, response_status,
    error_response_code
