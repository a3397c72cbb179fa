-- Every developer-day of user_daily is simulated under every scenario (ARRAY JOIN over the bound
-- scenario arrays). A fixed scenario grants scale x the tier's grant; a dynamic one grants each
-- developer an equal part of their tier's share of clamp(base x ln(1 + R7), floor, ceiling).
-- Capping assumes the capped free use is simply not served: what part would move to packs is
-- what the table cannot know.
WITH
    toDate({start:DateTime('UTC')}, 'UTC') AS first_day,
    toDate({end:DateTime('UTC')}, 'UTC') AS end_day
SELECT
    day,
    scenario,
    user_tier,
    count() AS users,
    sum(actual) AS actual_tier_pollen,
    sum(least(actual, grant)) AS simulated_tier_pollen,
    countIf(actual > grant) AS users_capped,
    any(grant) AS grant_per_user,
    users * grant_per_user AS budget_pollen,
    any(r7) AS r7_pack_pollen
FROM
(
    SELECT
        developer.day AS day,
        developer.user_tier AS user_tier,
        developer.tier_pollen AS actual,
        {scenario_names:Array(String)}[s] AS scenario,
        r7_pack.r7 AS r7,
        if(
            {scenario_dynamic:Array(UInt8)}[s] = 1,
            greatest(
                {scenario_floors:Array(Float64)}[s],
                least({scenario_ceilings:Array(Float64)}[s],
                      {scenario_base_budgets:Array(Float64)}[s] * ln(1 + r7))
            )
            * {scenario_shares:Array(Array(Float64))}[s][indexOf({tier_names:Array(String)}, toString(user_tier))]
            / tier_users.users,
            {scenario_scales:Array(Float64)}[s] * $tier_grant
        ) AS grant
    FROM $user_daily AS developer
    INNER JOIN
    (
        SELECT day, user_tier, count() AS users
        FROM $user_daily
        WHERE day >= first_day AND day < end_day
        GROUP BY day, user_tier
    ) AS tier_users ON tier_users.day = developer.day AND tier_users.user_tier = developer.user_tier
    LEFT JOIN
    (
        -- pack Pollen of the 7 days before each day of the window (0 before the first data)
        SELECT pack_day + offset AS day, sum(pack) AS r7
        FROM
        (
            SELECT day AS pack_day, sum(pack_pollen) AS pack
            FROM $user_daily
            WHERE day >= first_day - 7 AND day < end_day - 1
            GROUP BY day
        )
        ARRAY JOIN range(1, 8) AS offset
        GROUP BY day
    ) AS r7_pack ON r7_pack.day = developer.day
    ARRAY JOIN arrayEnumerate({scenario_names:Array(String)}) AS s
    WHERE developer.day >= first_day AND developer.day < end_day
)
GROUP BY day, scenario, user_tier
