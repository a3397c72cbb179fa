-- A developer is "at grant" when their free Pollen of the day reached 99% of their grant: the
-- gateway stops free use at the grant, so they are the ones a bigger grant would serve.
SELECT
    day,
    user_tier,
    count() AS users,
    sum(requests) AS requests,
    sum(user_pack) AS pack_pollen,
    sum(user_tier_pollen) AS tier_pollen,
    sum(user_other) AS other_pollen,
    sum(user_total) AS total_pollen,
    any(grant) AS grant_per_user,
    users * grant_per_user AS grant_pollen,
    if(grant_pollen > 0, tier_pollen / grant_pollen, NULL) AS grant_used_share,
    countIf(grant > 0 AND user_tier_pollen >= 0.99 * grant) AS users_at_grant,
    tier_pollen / users AS tier_pollen_per_user,
    pack_pollen / users AS pack_pollen_per_user
FROM
(
    SELECT
        day,
        user_tier,
        requests,
        pack_pollen AS user_pack,
        tier_pollen AS user_tier_pollen,
        other_pollen AS user_other,
        total_pollen AS user_total,
        $tier_grant AS grant
    FROM $user_daily
    WHERE $days_in_run
)
GROUP BY day, user_tier
