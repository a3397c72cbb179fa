-- Every raw event of the day, any environment and status, from its own narrow scan: the exact
-- meter slug and the row-level price and cost flags are not in event_facts_daily.
SELECT
    toDate(start_time, 'UTC') AS day,
    environment,
    toUInt8($raw_success) AS is_success,
    model_provider_used,
    model_used,
    selected_meter_slug,
    toUInt8(is_billed_usage) AS is_billed_usage,
    toUInt8(total_price > 0) AS has_price,
    toUInt8(total_cost > 0) AS has_cost,
    count() AS requests,
    sum(total_cost) AS provider_cost,
    sum(total_price) AS total_pollen
FROM $raw_table
WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
GROUP BY day, environment, is_success, model_provider_used, model_used, selected_meter_slug,
    is_billed_usage, has_price, has_cost
