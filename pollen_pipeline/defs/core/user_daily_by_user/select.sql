SELECT
    day,
    user_id,
    user_github_username,
    user_tier,
    $meter_names,
    models_used,
    length(named_app_ids) AS named_apps
FROM $user_daily
WHERE $days_in_run
