-- Per cohort day, from the user_cohort snapshot of the same as_of. Counts are aggregated in the
-- inner query under their own names, so no alias shadows a user_cohort column.
SELECT
    as_of,
    cohort_day,
    cohort_users AS users,
    within_7d AS converted_7d,
    within_30d AS converted_30d,
    within_7d / cohort_users AS conversion_rate_7d,
    within_30d / cohort_users AS conversion_rate_30d,
    toUInt8(dateDiff('day', cohort_day, as_of) >= 7) AS is_final_7d,
    toUInt8(dateDiff('day', cohort_day, as_of) >= 30) AS is_final_30d
FROM
(
    SELECT
        as_of,
        cohort_day,
        count() AS cohort_users,
        sum(converted_7d) AS within_7d,
        sum(converted_30d) AS within_30d
    FROM $user_cohort
    WHERE $as_of_in_run
    GROUP BY as_of, cohort_day
)
