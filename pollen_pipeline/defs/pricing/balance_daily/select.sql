-- Each balance is the sum over both meter-slug generations (local:* and v1:meter:*). The last
-- event of a developer's day is found in two phases: the time of the last event first (a max
-- per developer-day), then, among the few events at that time only, the largest event_id. One
-- argMax over (start_time, event_id) does the same in one pass, but raw events arrive sorted by
-- time, so it copies its tuple of balances on almost every event (6.2 -> 3.3 CPU-s a 5M day).
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
    SELECT toDate(start_time, 'UTC') AS day, user_id, count() AS events, sum(total_price) AS charged_pollen
    FROM $raw_table
    WHERE $balance_events
    GROUP BY day, user_id
) AS day_totals
INNER JOIN
(
    SELECT
        toDate(start_time, 'UTC') AS day,
        user_id,
        argMax(
            (user_github_id, user_tier, $raw_tier_balance, $raw_pack_balance, start_time, event_id),
            event_id
        ) AS last_event
    FROM $raw_table
    WHERE $balance_events
        AND (user_id, start_time) IN (
            SELECT user_id, max(start_time)
            FROM $raw_table
            WHERE $balance_events
            GROUP BY toDate(start_time, 'UTC'), user_id
        )
    GROUP BY day, user_id
) AS last_events USING (day, user_id)
