-- Per developer and as_of, from the 90 days of user_daily up to each as_of of the run. The inner
-- windows (rules.py: USER) aggregate under names that no user_daily column has. On long runs
-- (defs.yaml) they are running sums instead of a fan-out: the same columns, the same numbers.
WITH daily AS (SELECT * FROM $user_daily WHERE $lookback_rows)
SELECT
    as_of,
    user_id,
    github_id AS user_github_id,
    username AS user_github_username,
    latest_tier AS user_tier,
    $window_columns,
    enduser_30d AS enduser_pollen_30d,
    developer_30d AS developer_pollen_30d,
    enduser_30d / nullIf(developer_30d + enduser_30d, 0) AS enduser_share_30d,
    $paid_share_30d AS paid_share_30d,
    $momentum AS momentum,
    $qualifies AS qualifies,
    implied_free_1d,
    implied_free_30d,
    $portfolio_columns
FROM ($windows)
