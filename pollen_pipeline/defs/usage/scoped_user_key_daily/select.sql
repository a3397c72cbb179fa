-- From the facts, not raw events: the legacy scope's rows are those no filter but an exclusion
-- list removed, so every filter the team applies in that scope is kept or a dimension here.
SELECT
    day,
    is_router,
    $d1_banned_username AS d1_banned,
    user_github_id,
    user_github_username,
    api_key_name,
    api_key_type,
    key_origin,
    user_tier,
    $meter_sums,
    sumIf(events, meter_class = 'pack') AS pack_requests,
    sumIf(events, meter_class = 'tier') AS tier_requests,
    minIf(first_event_at, meter_class = 'tier') AS first_tier_at,
    minIf(first_event_at, meter_class = 'pack') AS first_pack_at
FROM $event_facts_daily
WHERE $days_in_run AND $legacy_rows
GROUP BY
    day, is_router, d1_banned, user_github_id, user_github_username, api_key_name, api_key_type,
    key_origin, user_tier
