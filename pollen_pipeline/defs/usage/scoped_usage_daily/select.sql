-- Every request of the events relation, every environment and status, from its own narrow scan
-- (event_facts_daily keeps the contract's filter status, not these dimensions). d1_banned is the
-- team's rule: a GitHub username banned in any d1_user snapshot.
SELECT
    toDate(start_time, 'UTC') AS day,
    environment,
    selected_meter_slug,
    toUInt8(is_billed_usage) AS is_billed_usage,
    response_status,
    toUInt8(total_price > 0) AS is_priced,
    toUInt8($raw_in_bug_window) AS in_bug_window,
    $raw_is_router AS is_router,
    toUInt8(user_github_username IN (
        SELECT github_username FROM $d1_user WHERE banned = 1
    )) AS d1_banned,
    user_tier,
    api_key_type,
    resolved_model_requested,
    count() AS requests,
    sum(total_price) AS total_pollen,
    sum(total_cost) AS provider_cost,
    uniqState(user_github_username) AS users
FROM $raw_table
WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
GROUP BY
    day, environment, selected_meter_slug, is_billed_usage, response_status, is_priced,
    in_bug_window, is_router, d1_banned, user_tier, api_key_type, resolved_model_requested
