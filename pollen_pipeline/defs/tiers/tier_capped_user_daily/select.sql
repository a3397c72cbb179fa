-- Each developer-day of user_daily against the grant tier_simulation_daily gave its tier under
-- each scenario that day (one grant per day, scenario and tier): the days over the grant.
WITH
    toDate({start:DateTime('UTC')}, 'UTC') AS first_day,
    toDate({end:DateTime('UTC')}, 'UTC') AS end_day
SELECT
    developer.day AS day,
    simulation.scenario AS scenario,
    developer.user_id AS user_id,
    developer.user_tier AS user_tier,
    developer.tier_pollen AS tier_pollen,
    simulation.grant_per_user AS grant_per_user,
    developer.tier_pollen - simulation.grant_per_user AS cut_pollen
FROM $user_daily AS developer
INNER JOIN
(
    SELECT day, scenario, user_tier, grant_per_user
    FROM $tier_simulation_daily
    WHERE day >= first_day AND day < end_day
) AS simulation ON simulation.day = developer.day AND simulation.user_tier = developer.user_tier
WHERE developer.day >= first_day AND developer.day < end_day
    AND developer.tier_pollen > simulation.grant_per_user
