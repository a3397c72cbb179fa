-- Every account of the synthetic population, once (the events' users by rank, and ROUTER as
-- rank n_users: a real account; anonymous callers have none), with what the side sources say
-- of it besides the shared profile: when it signed up, its e-mail, trust and score.
(
    SELECT
        *,
        $user_columns,
        -- ROUTER and the base users signed up before the range, the others a few minutes
        -- into their sign-up day (sign-up is mostly their first activity).
        NOT (user_rank < n_base_users OR is_router) AS signed_up_in_range,
        {first_day_start:DateTime('UTC')} + toIntervalSecond(if(signed_up_in_range,
            toInt64(86400 * signup_day + cityHash64(hu, 'signup') % 600),
            -86400 * toInt64(1 + cityHash64(hu, 'age') % 365))) AS signed_up_at,
        concat(github_username, '@users.example') AS email,
        toUInt8(100 - cityHash64(hu, 'trust') % 30) AS trust,
        round(transform(tier, ['microbe', 'spore', 'seed', 'flower', 'nectar'],
                        [10., 30., 50., 70., 90.], 100.)
              + (cityHash64(hu, 'score') % 100) / 10, 1) AS tier_score
    FROM
    (
        SELECT number AS user_rank, user_rank = n_users AS is_router, false AS is_anon
        FROM numbers(n_users + 1)
    )
)
