-- Per tier, for each as_of of the run: the distinct refused users of demand_daily over 7/30/90
-- days (rules.py: TIER_REFUSALS), then one row per range. On long runs (defs.yaml) they are
-- running sums over each id's stretches of days instead of a fan-out: the same numbers.
WITH daily AS (SELECT * FROM $demand_daily WHERE $lookback_rows)
SELECT as_of, window_days, user_tier, refused_users, active_days
FROM ($ranges)
$ranges_join
WHERE active_days > 0
