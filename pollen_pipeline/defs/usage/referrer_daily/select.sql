-- Per referrer domain x app (API key) x day: where usage comes from (an end-user distribution
-- proxy). Keeping the app in the grain makes "apps per domain" and "top app" exact over any range.
SELECT
    day,
    referrer_domain,
    api_key_id,
    argMax(api_key_name, last_event_at) AS api_key_name,
    toUInt8($is_named_app) AS is_named_app,
    $meter_sums,
    uniqExact(resolved_model_requested) AS models_used
FROM $event_facts_daily
WHERE $days_in_run AND $economics_rows
GROUP BY day, referrer_domain, api_key_id
