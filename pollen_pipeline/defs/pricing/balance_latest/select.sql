-- Per developer and as_of of the run, the balances of their latest balance_daily day up to it.
-- Days before the run collapse to one row per developer first (its latest), so each as_of costs
-- one row per developer plus the run's own days, not a rescan of every day.
SELECT
    as_of,
    user_id,
    latest.1 AS user_github_id,
    latest.2 AS pack_balance,
    latest.3 AS tier_balance,
    latest.4 AS last_day
FROM
(
    SELECT as_of, user_id, argMax(latest_of_days, latest_of_days.4) AS latest
    FROM
    (
        -- each collapsed row stands for its days on every as_of of the run from its day on
        SELECT
            user_id,
            $run_start_day AS from_day,
            argMax((user_github_id, pack_balance, tier_balance, day), day) AS latest_of_days,
            $as_of_fanout_all_time AS as_of
        FROM $balance_daily
        WHERE day < toDate({end:DateTime('UTC')})
        GROUP BY user_id, from_day
    )
    GROUP BY as_of, user_id
)
