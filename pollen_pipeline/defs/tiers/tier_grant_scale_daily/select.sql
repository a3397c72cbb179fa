-- Every developer-day of user_daily under every scale, its grant tier_daily's for its tier.
WITH
    toDate({start:DateTime('UTC')}, 'UTC') AS first_day,
    toDate({end:DateTime('UTC')}, 'UTC') AS end_day
SELECT
    developer.day AS day,
    developer.user_tier AS user_tier,
    grant_scale,
    count() AS users,
    sum(developer.tier_pollen) AS actual_tier_pollen,
    sum(least(developer.tier_pollen, tier.grant_per_user * grant_scale)) AS scaled_tier_pollen,
    countIf(developer.tier_pollen > tier.grant_per_user * grant_scale) AS users_capped
FROM $user_daily AS developer
INNER JOIN
(
    SELECT day, user_tier, grant_per_user
    FROM $tier_daily
    WHERE day >= first_day AND day < end_day
) AS tier ON tier.day = developer.day AND tier.user_tier = developer.user_tier
ARRAY JOIN {grant_scales:Array(Float64)} AS grant_scale
WHERE developer.day >= first_day AND developer.day < end_day
GROUP BY day, user_tier, grant_scale
