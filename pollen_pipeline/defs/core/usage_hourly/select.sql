-- Hourly economics by model x tier x key type, ROUTER kept with is_router = 1. Its own narrow
-- scan of raw events (a few columns at a coarse grain): the wide facts scan is daily. The inner
-- query names each raw event as a one-event facts row, so the contract's meter sums apply.
SELECT
    hour,
    resolved_model_requested,
    user_tier,
    api_key_type,
    is_router,
    $meter_sums,
    uniqExact(user_id) AS users
FROM
(
    SELECT
        toStartOfHour(start_time, 'UTC') AS hour,
        resolved_model_requested,
        user_tier,
        api_key_type,
        user_id,
        $raw_is_router AS is_router,
        $raw_meter_class AS meter_class,
        toUInt64(1) AS events,
        total_price AS price_sum,
        total_cost AS cost_sum,
        $raw_tokens AS token_sum
    FROM $raw_table
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
        AND $raw_usage_events
)
GROUP BY hour, resolved_model_requested, user_tier, api_key_type, is_router
