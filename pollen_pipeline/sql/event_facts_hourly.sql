-- The single scan of raw events for a window: group every event (passing the contract or not)
-- at the finest grain the summaries need. Runs on the raw-event source when one is configured.
SELECT
    hour,
    filter_status,
    is_router,
    meter_class,
    selected_meter_slug,
    user_id,
    user_tier,
    api_key_id,
    api_key_type,
    resolved_model_requested,
    model_used,
    model_provider_used,
    referrer_domain,
    request_path,
    argMax(user_github_id, start_time) AS user_github_id,
    argMax(user_github_username, start_time) AS user_github_username,
    argMax(api_key_name, start_time) AS api_key_name,
    count() AS events,
    countIf(is_billed_usage) AS billed_events,
    countIf(cache_hit) AS cache_hit_events,
    sum(total_price) AS price_sum,
    sum(total_cost) AS cost_sum,
    sum(event_tokens) AS token_sum,
    sum(event_implied_free) AS implied_free_sum,
    min(start_time) AS first_event_at,
    max(start_time) AS last_event_at,
    -- health (issue 7): status classes, tokens, cache savings, and each event's latency bucket
    -- (groupArray: a third cheaper in this scan than a sumMap; health_hourly sums them up)
    countIf($raw_status_2xx) AS status_2xx,
    countIf($raw_status_4xx) AS status_4xx,
    countIf($raw_status_429) AS status_429,
    countIf($raw_status_5xx) AS status_5xx,
    sumIf($raw_list_price, cache_hit) AS cached_savings_sum,
    sum($raw_tokens_in) AS tokens_in,
    sum($raw_tokens_out) AS tokens_out,
    sum(toFloat64(response_time)) AS response_time_sum,
    max(response_time) AS response_time_max,
    groupArray($latency_bucket) AS latency_buckets
FROM
(
    SELECT
        *,
        toStartOfHour(start_time, 'UTC') AS hour,
        $raw_filter_status AS filter_status,
        $raw_is_router AS is_router,
        $raw_meter_class AS meter_class,
        $raw_tokens AS event_tokens,
        $raw_implied_free AS event_implied_free
    FROM $raw_table
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
)
GROUP BY
    hour, filter_status, is_router, meter_class, selected_meter_slug, user_id, user_tier,
    api_key_id, api_key_type, resolved_model_requested, model_used, model_provider_used,
    referrer_domain, request_path
