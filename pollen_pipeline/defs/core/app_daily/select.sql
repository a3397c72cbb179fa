-- Per API key (app) and day, with its owner and how widely it is embedded (referrer domains).
SELECT
    day,
    api_key_id,
    argMax(api_key_name, last_event_at) AS api_key_name,
    argMax(api_key_type, last_event_at) AS api_key_type,
    toUInt8($is_named_app) AS is_named_app,
    argMax(user_id, last_event_at) AS user_id,
    argMax(user_github_username, last_event_at) AS user_github_username,
    $meter_sums,
    uniqExact(referrer_domain) AS referrer_domains,
    uniqExact(resolved_model_requested) AS models_used
FROM $event_facts_daily
WHERE $days_in_run AND $economics_rows
GROUP BY day, api_key_id
