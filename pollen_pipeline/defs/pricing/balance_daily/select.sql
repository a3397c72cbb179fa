-- Each balance is the sum over both meter-slug generations (local:* and v1:meter:*). The last
-- event's fields are taken by one argMax of a tuple (one comparison of the (time, id) key per
-- event instead of one per field); the inner query renames the columns it aggregates.
SELECT
    day,
    user_id,
    last_event.1 AS user_github_id,
    last_event.2 AS user_tier,
    last_event.3 AS tier_balance,
    last_event.4 AS pack_balance,
    last_event.5 AS last_event_at,
    last_event.6 AS last_event_id,
    events,
    charged_pollen
FROM
(
    SELECT
        toDate(start_time, 'UTC') AS day,
        user_id,
        argMax(
            (github_id, tier, tier_balance_read, pack_balance_read, start_time, event_id),
            (start_time, event_id)
        ) AS last_event,
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
)
