SELECT
    day,
    api_key_id,
    resolved_model_requested,
    $meter_names
FROM $app_model_daily
WHERE $days_in_run
