-- v2's adjustments (adjustment_costs and adjustment_units, by rule id) of the events relation's
-- requests, one row per rule a request was charged for. Without v2 columns there are none.
SELECT
    toDate(start_time, 'UTC') AS day,
    environment,
    rule_id,
    count() AS requests,
    sum(adjustment_costs[rule_id]) AS cost_usd,
    sum(adjustment_units[rule_id]) AS units
FROM
(
    SELECT start_time, environment, $optional_columns
    FROM $raw_table
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
)
ARRAY JOIN mapKeys(adjustment_costs) AS rule_id
GROUP BY day, environment, rule_id
