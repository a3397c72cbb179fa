-- Per developer and as_of, from the 90 days of user_daily up to each as_of of the run. The inner
-- query aggregates under names that no user_daily column has, so no alias shadows a column.
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
FROM
(
    SELECT
        as_of,
        user_id,
        argMax(user_github_id, day) AS github_id,
        argMax(user_github_username, day) AS username,
        argMax(user_tier, day) AS latest_tier,
        $window_sums,
        sumIf(enduser_pollen, $in_30d) AS enduser_30d,
        sumIf(developer_pollen, $in_30d) AS developer_30d,
        sumIf(implied_free_pollen, $in_1d) AS implied_free_1d,
        sumIf(implied_free_pollen, $in_30d) AS implied_free_30d,
        $portfolio_counts
    FROM (SELECT *, $as_of_fanout AS as_of FROM $user_daily WHERE $lookback_rows)
    GROUP BY as_of, user_id
)
