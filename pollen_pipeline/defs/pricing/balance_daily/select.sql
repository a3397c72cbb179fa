-- Each balance is the sum over both meter-slug generations (local:* and v1:meter:*). The inner
-- query renames the columns the outer one aggregates into their own names.
SELECT
    toDate(start_time, 'UTC') AS day,
    user_id,
    argMax(github_id, (start_time, event_id)) AS user_github_id,
    argMax(tier, (start_time, event_id)) AS user_tier,
    argMax(tier_balance_read, (start_time, event_id)) AS tier_balance,
    argMax(pack_balance_read, (start_time, event_id)) AS pack_balance,
    max(start_time) AS last_event_at,
    max((start_time, event_id)).2 AS last_event_id,
    count() AS events,
    sum(total_price) AS charged_pollen
FROM
(
    SELECT
        start_time,
        event_id,
        user_id,
        user_github_id AS github_id,
        user_tier AS tier,
        $raw_tier_balance AS tier_balance_read,
        $raw_pack_balance AS pack_balance_read,
        total_price
    FROM $raw_table
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
        AND $raw_production_user_events
)
GROUP BY day, user_id
