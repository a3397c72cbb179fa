-- Per app (API key) x requested model x day: an app's model mix, for the app drill-down.
SELECT
    day,
    api_key_id,
    resolved_model_requested,
    argMax(api_key_name, last_event_at) AS api_key_name,
    toUInt8($is_named_app) AS is_named_app,
    $meter_sums
FROM $event_facts_daily
WHERE $days_in_run AND $economics_rows
GROUP BY day, api_key_id, resolved_model_requested
