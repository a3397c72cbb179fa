-- Synthetic tier_event (synthetic.py): a registration (at the default tier, microbe) for every
-- account signed up in the range, then its move to its tier a minute later; and each day at
-- midnight one refill per tier, with the tier's grant and the accounts it reached.
INSERT INTO ${database}.tier_event
(event_type, environment, user_id, tier, pollen_amount, previous_balance, user_count, timestamp)
WITH $population
SELECT * FROM
(
    -- every column named: a subquery's columns of one name (two NULLs) would collapse into one
    SELECT 'user_registration' AS kind, 'production' AS environment, uid AS user_id,
           'microbe' AS tier_moved_to, CAST(NULL, 'Nullable(Int32)') AS pollen_amount,
           CAST(NULL, 'Nullable(Float64)') AS previous_balance,
           CAST(NULL, 'Nullable(Int32)') AS user_count, signed_up_at AS at
    FROM $users
    WHERE signed_up_in_range AND signup_day < {days:UInt32}
    UNION ALL
    SELECT 'tier_change', 'production', uid, tier, NULL, NULL, NULL,
           signed_up_at + toIntervalMinute(1)
    FROM $users
    WHERE signed_up_in_range AND signup_day < {days:UInt32} AND tier != 'microbe'
    UNION ALL
    SELECT 'tier_refill', 'production', NULL, tier, toInt32(round(any(tier_grant))), NULL,
           toInt32(count()), day_start
    FROM $snapshot_users
    GROUP BY day_start, tier
)
