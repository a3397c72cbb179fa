SELECT
    day,
    user_id,
    user_github_username,
    user_tier,
    pack_pollen,
    tier_pollen,
    other_pollen,
    total_pollen,
    provider_cost,
    requests,
    tokens,
    models_used,
    length(named_app_ids) AS named_apps
FROM $user_daily
WHERE $days_in_run
