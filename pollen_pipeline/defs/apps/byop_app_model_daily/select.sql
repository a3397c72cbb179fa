-- The team's byop_app_daily (pollinations/pollinations, byop_app_daily_mv.pipe @ 776b5d1d) over
-- our events relation with v2's fallback attempts: the rows of a BYOP key (a client id set),
-- classified as usage_classified_hourly classifies them. The app is the client id and the name
-- its keys were minted for (the client id when none); the owner is the user id the keys were
-- minted for ('unknown' when none). Calls and money count requests (is_final rows); users count
-- every row, each attempt in its own row's model and community flag, as theirs.
SELECT
    toDate(start_time, 'UTC') AS day,
    environment,
    $raw_traffic_group AS traffic_group,
    toUInt8($raw_v1_only_rows) AS v1_only,
    api_key_client_id AS client_id,
    coalesce(nullIf(nullIf(api_key_created_for_app, ''), 'undefined'), api_key_client_id)
        AS app_name,
    if(api_key_created_for_user_id IN ('', 'undefined'), 'unknown', api_key_created_for_user_id)
        AS owner_user_id,
    $raw_classified_model AS model,
    $raw_is_community AS is_community,
    $raw_funding_source AS funding_source,
    countIf(is_final) AS all_calls,
    countIf(served) AS successful_calls,
    countIf(billed) AS billed_calls,
    uniqState(user_id) AS users_with_attempts,
    sumIf(total_price, billed) AS gross_consumption,
    sumIf(total_price - dev_price, $raw_byop_reward_row) AS byop_reward,
    sumIf(community_model_reward_amount, $raw_community_reward_row) AS community_reward
FROM
(
    SELECT
        start_time,
        environment,
        api_key_id,
        resolved_model_requested,
        model_used,
        model_requested,
        selected_meter_slug,
        model_provider_used,
        cache_hit,
        response_status,
        user_id,
        total_price,
        $optional_columns,
        is_final AND $raw_success AS served,
        served AND is_billed_usage AS billed
    FROM $raw_table
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
        AND $raw_is_byop = 1
)
GROUP BY
    day, environment, traffic_group, v1_only, client_id, app_name, owner_user_id, model,
    is_community, funding_source
