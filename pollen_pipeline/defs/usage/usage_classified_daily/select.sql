-- usage_classified_hourly's rows of the run's months grouped by UTC day (an outer query names
-- the sums: an aggregate aliased to a column name would shadow the column for the others).
SELECT
    day,
    $classified_keys,
    $classified_day_names
FROM
(
    SELECT
        toDate(hour, 'UTC') AS day,
        $classified_keys,
        $classified_day_sums
    FROM $usage_classified_hourly
    WHERE hour >= {start:DateTime('UTC')} AND hour < {end:DateTime('UTC')}
    GROUP BY day, $classified_keys
)
