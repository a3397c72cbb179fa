-- Hourly economics by model x tier x key type, ROUTER kept with is_router = 1.
SELECT
    hour,
    resolved_model_requested,
    user_tier,
    api_key_type,
    is_router,
    $meter_sums,
    uniqExact(user_id) AS users
FROM $event_facts_hourly
WHERE hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')} AND $usage_rows
GROUP BY hour, resolved_model_requested, user_tier, api_key_type, is_router
