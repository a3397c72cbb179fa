-- Per API route x tier x key type x day, with the billed / unbilled and cache-hit request counts
-- (event_facts_daily counts billed events; it does not split their Pollen).
SELECT
    day,
    request_path,
    user_tier,
    api_key_type,
    $meter_sums,
    sum(billed_events) AS billed_requests,
    toUInt64(sum(events) - sum(billed_events)) AS unbilled_requests,
    sum(cache_hit_events) AS cache_hit_requests,
    uniqExact(resolved_model_requested) AS models_used
FROM $event_facts_daily
WHERE $days_in_run AND $economics_rows
GROUP BY day, request_path, user_tier, api_key_type
