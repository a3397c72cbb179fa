-- The wide scan of raw events for a window: group every event (passing the contract or not) at
-- the finest grain the daily summaries need. Runs on the raw-event source when one is set.
-- key_origin comes from the newer key columns when the raw table has them (pollen_pipeline.byop).
-- GitHub id, username and key name are stable per user and key: any() keeps the scan cheap
-- (argMax over three strings cost ~15% of it); daily tables pick the latest by last_event_at.
-- The observed balances are the team's (team_user_daily): read here, in the one wide scan, rather
-- than by a raw scan of their own, as two Float64 argMaxIf's of the group's last billed event.
-- So are the legacy tier simulation's rows (tier_user_daily): a count and a sum of them.
SELECT
    day,
    filter_status,
    environment,
    is_router,
    meter_class,
    user_id,
    user_tier,
    api_key_id,
    api_key_type,
    key_origin,
    resolved_model_requested,
    model_used,
    model_provider_used,
    referrer_domain,
    request_path,
    traffic_group,
    funding_source,
    workload,
    is_byop,
    is_community,
    v1_only,
    any(user_github_id) AS user_github_id,
    any(user_github_username) AS user_github_username,
    any(api_key_name) AS api_key_name,
    count() AS events,
    countIf(is_billed_usage) AS billed_events,
    countIf(cache_hit) AS cache_hit_events,
    sum(total_price) AS price_sum,
    sum(total_cost) AS cost_sum,
    sum(event_tokens) AS token_sum,
    sum(event_implied_free) AS implied_free_sum,
    min(start_time) AS first_event_at,
    max(start_time) AS last_event_at,
    countIf(observed) AS observed_events,
    maxIf(start_time, observed) AS observed_at,
    argMaxIf($raw_observed_quest_balance, start_time, observed) AS observed_quest_balance,
    argMaxIf($raw_observed_paid_balance, start_time, observed) AS observed_paid_balance,
    countIf(legacy_tier_spend) AS legacy_tier_events,
    sumIf(total_price, legacy_tier_spend) AS legacy_tier_pollen
FROM
(
    SELECT
        *,
        toDate(start_time, 'UTC') AS day,
        $raw_filter_status AS filter_status,
        $raw_is_router AS is_router,
        $raw_meter_class AS meter_class,
        $raw_key_origin AS key_origin,
        $raw_traffic_group AS traffic_group,
        $raw_funding_source AS funding_source,
        $raw_workload AS workload,
        $raw_byop_flag AS is_byop,
        $raw_is_community AS is_community,
        toUInt8($raw_v1_only_rows) AS v1_only,
        $raw_observed_balance_event AS observed,
        $raw_team_legacy_tier_spend AS legacy_tier_spend,
        $raw_tokens AS event_tokens,
        $raw_implied_free AS event_implied_free
    FROM $raw_table
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
)
GROUP BY
    day, filter_status, environment, is_router, meter_class, user_id, user_tier,
    api_key_id, api_key_type, key_origin, resolved_model_requested, model_used, model_provider_used,
    referrer_domain, request_path, traffic_group, funding_source, workload, is_byop, is_community,
    v1_only
