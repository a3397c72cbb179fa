-- The cohort as known on each as_of of the run, from user_daily alone. The user's first pack
-- event is the minimum of the days' first pack times, so it is exact even though user_daily keeps
-- one time per day: a pack bought before the first tier event (even the same day) makes
-- first_pack_at < first_tier_at, and such a user is not converted, whatever they bought later
-- (the seed's rule: the FIRST pack event must not be earlier than the first tier event). Times
-- have second resolution: a pack in the same second as the first tier event counts as not
-- earlier. Rows before the run collapse to one per user first, so each as_of costs one row per
-- user plus the run's own days, not a rescan per day.
SELECT
    as_of,
    user_id,
    github_id AS user_github_id,
    username AS user_github_username,
    toDate(first_tier, 'UTC') AS cohort_day,
    first_tier AS first_tier_at,
    first_pack AS first_pack_at,
    days_to_pack AS days_to_first_pack,
    toUInt8(ifNull(first_pack < first_tier, 0)) AS pack_before_tier,
    $conversion_flags
FROM
(
    SELECT
        as_of,
        user_id,
        argMax(day_github_id, last_day) AS github_id,
        argMax(day_username, last_day) AS username,
        assumeNotNull(min(tier_at)) AS first_tier,
        min(pack_at) AS first_pack,
        toInt32(dateDiff('day', first_tier, first_pack, 'UTC')) AS days_to_pack
    FROM
    (
        SELECT *, $as_of_fanout_all_time AS as_of
        FROM
        (
            SELECT
                user_id,
                $run_start_day AS from_day,
                max(day) AS last_day,
                argMax(user_github_id, day) AS day_github_id,
                argMax(user_github_username, day) AS day_username,
                min(first_tier_at) AS tier_at,
                min(first_pack_at) AS pack_at
            FROM $user_daily
            WHERE day < toDate({end:DateTime('UTC')})
            GROUP BY user_id, from_day
        )
    )
    GROUP BY as_of, user_id
    HAVING countIf(tier_at IS NOT NULL) > 0
)
