-- The sign-up cohorts as known on each as_of of the run. A cohort is D1's accounts by the UTC
-- day of created_at (account_daily.signup_day; an account without one is in none), seen in a
-- snapshot by as_of. First use: the account's first day in user_daily (an event the contract
-- counts); first pack: its first pack-metered event (user_daily.first_pack_at, the seed's paid
-- conversion; the purchase itself is a payment webhook). Beside them, the seed's first-use
-- proxy of the same day (cohort_conversion_daily: users whose first tier event fell on it).
-- Rows before the run collapse to one per user first, as in user_cohort.
SELECT
    as_of,
    signup_day,
    signups,
    used,
    used_7d,
    used_30d,
    packed,
    packed_7d,
    packed_30d,
    proxy_users,
    proxy_converted_7d,
    proxy_converted_30d
FROM
(
    SELECT
        as_of,
        signup AS signup_day,
        count() AS signups,
        $signup_milestones
    FROM
    (
        SELECT
            as_of,
            user_id,
            assumeNotNull(min(signed_up)) AS signup,
            min(used_on) AS first_use,
            min(pack_on) AS first_pack
        FROM
        (
            SELECT *, $as_of_fanout_all_time AS as_of
            FROM
            (
                SELECT
                    user_id,
                    $run_start_day AS from_day,
                    min(signup_day) AS signed_up,
                    min(use_day) AS used_on,
                    min(pack_day) AS pack_on
                FROM
                (
                    SELECT user_id, day, signup_day, CAST(NULL, 'Nullable(Date)') AS use_day,
                        CAST(NULL, 'Nullable(Date)') AS pack_day
                    FROM $account_daily
                    WHERE day < toDate({end:DateTime('UTC')})
                    UNION ALL
                    SELECT user_id, day, NULL, day, toDate(first_pack_at, 'UTC')
                    FROM $user_daily
                    WHERE day < toDate({end:DateTime('UTC')})
                )
                GROUP BY user_id, from_day
            )
        )
        GROUP BY as_of, user_id
        HAVING countIf(signed_up IS NOT NULL) > 0
    )
    GROUP BY as_of, signup_day
) AS cohorts
FULL JOIN
(
    SELECT
        as_of,
        cohort_day AS signup_day,
        users AS proxy_users,
        converted_7d AS proxy_converted_7d,
        converted_30d AS proxy_converted_30d
    FROM $cohort_conversion_daily
    WHERE $as_of_in_run
) AS proxy USING (as_of, signup_day)
