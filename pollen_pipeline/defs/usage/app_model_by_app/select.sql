SELECT
    day,
    api_key_id,
    resolved_model_requested,
    pack_pollen,
    tier_pollen,
    other_pollen,
    total_pollen,
    provider_cost,
    requests,
    tokens
FROM $app_model_daily
WHERE $days_in_run
