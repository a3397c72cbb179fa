-- Daily demand by tier and model over raw production events of every status, from its own
-- narrow scan. Refused = status 402 ($raw_refused_for_balance); the message cross-check counts
-- the gateway's insufficient-balance messages whatever their status.
SELECT
    toDate(start_time, 'UTC') AS day,
    user_tier,
    resolved_model_requested,
    count() AS requests,
    countIf($raw_success) AS served,
    countIf($raw_refused_for_balance) AS refused_402,
    countIf($raw_insufficient_balance_message) AS insufficient_balance_messages,
    countIf($raw_status_429) AS rate_limited_429,
    arraySort(groupUniqArrayIf(user_id, $raw_refused_for_balance)) AS refused_user_ids,
    sum(total_price) AS total_pollen
FROM $raw_table
WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
    AND $raw_production_events
GROUP BY day, user_tier, resolved_model_requested
