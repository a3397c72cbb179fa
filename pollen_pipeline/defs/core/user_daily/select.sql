-- Per developer and day. The tier is the one on the user's last event of the day; first_tier_at
-- and first_pack_at feed the tier-to-pack cohorts. The sorted id arrays are the developer's
-- portfolio of the day: user_windows counts distinct ids over its windows from them.
SELECT
    day,
    user_id,
    argMax(user_github_id, last_event_at) AS user_github_id,
    argMax(user_github_username, last_event_at) AS user_github_username,
    argMax(user_tier, last_event_at) AS user_tier,
    $meter_sums,
    $enduser_pollen AS enduser_pollen,
    $developer_pollen AS developer_pollen,
    uniqExact(resolved_model_requested) AS models_used,
    uniqExact(api_key_id) AS apps_used,
    $first_tier_at AS first_tier_at,
    $first_pack_at AS first_pack_at,
    sum(implied_free_sum) AS implied_free_pollen,
    $portfolio_arrays
FROM $event_facts_daily
WHERE $days_in_run AND $economics_rows
GROUP BY day, user_id
