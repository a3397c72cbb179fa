-- Quantiles interpolate linearly between the users' paid shares (quantileExactInclusive, as
-- numpy's default), over users whose 30 days had pack or tier use.
SELECT
    as_of,
    user_tier,
    tier_users AS users,
    tier_pollen_30d AS pollen_30d,
    tier_pack_30d AS pack_30d,
    tier_free_30d AS tier_30d,
    tier_pollen_30d / tier_users AS pollen_per_user,
    users_with_share,
    $paid_share_quantile_columns
FROM
(
    SELECT
        as_of,
        user_tier,
        count() AS tier_users,
        sum(total_30d) AS tier_pollen_30d,
        sum(pack_30d) AS tier_pack_30d,
        sum(tier_30d) AS tier_free_30d,
        count(paid_share_30d) AS users_with_share,
        $paid_share_quantiles AS shares
    FROM $user_windows
    WHERE $as_of_in_run AND total_30d > 0
    GROUP BY as_of, user_tier
)
