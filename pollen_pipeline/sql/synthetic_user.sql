-- SELECT items shared by the synthetic events and side sources: a user's stable profile,
-- derived only from its rank (user_rank; is_router, is_anon), so every source agrees on it.
                    if(is_router, cityHash64({seed:UInt64}, 'router'),
                       cityHash64({seed:UInt64}, 'user', user_rank)) AS hu,
                    -- ROUTER and the base users exist before the range.
                    if(user_rank < n_base_users OR is_router, 0,
                       intDiv((user_rank - n_base_users) * {total_days:UInt32},
                              n_users - n_base_users)) AS signup_day,
                    cityHash64(hu, 'tier') % 100 AS tier_roll,
                    -- The five heaviest users cover the paying tiers so even tiny data
                    -- sets contain every tier.
                    multiIf(is_anon, 'anonymous', is_router, 'router',
                            user_rank < 5,
                            ['nectar', 'flower', 'seed', 'spore', 'microbe'][user_rank + 1],
                            tier_roll < 10, 'microbe', tier_roll < 45, 'spore',
                            tier_roll < 75, 'seed', tier_roll < 93, 'flower', 'nectar') AS tier,
                    transform(tier, ['microbe', 'spore', 'seed', 'flower', 'nectar', 'router'],
                              [0.1, 1., 3., 10., 20., 500.], 0.) AS tier_grant,
                    if(is_anon, 'undefined', lower(hex(sipHash128(hu, 'user-id')))) AS uid,
                    multiIf(is_anon, 'undefined', is_router, '241978997',
                            toString(100000 + cityHash64(hu, 'github') % 250000000)) AS github_id,
                    multiIf(is_anon, 'undefined', is_router, 'pollen-router',
                            concat(name_first[1 + cityHash64(hu, 'n1') % length(name_first)],
                                   name_second[1 + cityHash64(hu, 'n2') % length(name_second)],
                                   toString(cityHash64(hu, 'n3') % 1000))) AS github_username,
                    -- ~25% of users buy a pack 1..40 days after sign-up; on those days the
                    -- tier grant runs out at a random time of day and later calls use the pack.
                    -- Three of the heaviest users always do, so even a small demo has
                    -- developers above the seed's 10-Pollen momentum threshold.
                    NOT is_router AND NOT is_anon
                        AND (user_rank BETWEEN 1 AND 3 OR cityHash64(hu, 'convert') % 100 < 25)
                        AS converted,
                    signup_day + 1 + cityHash64(hu, 'delay') % 40 AS pack_from_day,
                    [5., 10., 25., 50., 100.][1 + cityHash64(hu, 'pack') % 5] AS pack_size
