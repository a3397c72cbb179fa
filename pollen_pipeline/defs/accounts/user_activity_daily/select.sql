-- Per UTC day (as_of) of the run and tier. Active = a row in user_daily: a developer with an
-- event the contract counts (ROUTER and excluded users out); weekly = such a row in the 7 days
-- to the day. A user's tier is D1's of that day; one missing from the day's snapshot (signed up
-- after it, or no snapshot) keeps the tier of their last event in the 7 days. Balances are D1's
-- (account_daily) of the day's active accounts: exact quantiles (inclusive, as numpy's default
-- percentile), NULL when the tier has no active account. D1 and usage meet in the store, from
-- summaries: never raw events.
SELECT
    day,
    tier,
    accounts,
    active_users,
    active_accounts,
    weekly_active_users,
    negative_balances,
    if(active_accounts > 0, tier_quantiles[1], NULL) AS tier_balance_p95,
    if(active_accounts > 0, tier_quantiles[2], NULL) AS tier_balance_p99,
    if(active_accounts > 0, pack_quantiles[1], NULL) AS pack_balance_p95,
    if(active_accounts > 0, pack_quantiles[2], NULL) AS pack_balance_p99
FROM
(
    SELECT
        as_of AS day,
        tier,
        countIf(in_d1 = 1) AS accounts,
        countIf(active = 1) AS active_users,
        countIf(active_account = 1) AS active_accounts,
        countIf(weekly = 1) AS weekly_active_users,
        countIf(active_account = 1 AND (tier_balance < 0 OR pack_balance < 0)) AS negative_balances,
        quantilesExactInclusiveIf(0.95, 0.99)(tier_balance, active_account = 1) AS tier_quantiles,
        quantilesExactInclusiveIf(0.95, 0.99)(pack_balance, active_account = 1) AS pack_quantiles
    FROM
    (
        -- one row per as_of and user: D1's row of that day and the user's days of use in the week
        SELECT
            as_of,
            user_id,
            argMax(day_tier, (from_d1, used_on)) AS tier,
            max(from_d1) AS in_d1,
            max(used_that_day) AS active,
            max(from_d1 = 0) AS weekly,
            toUInt8(in_d1 = 1 AND active = 1) AS active_account,
            sum(d1_tier_balance) AS tier_balance,
            sum(d1_pack_balance) AS pack_balance
        FROM
        (
            SELECT
                day AS as_of,
                user_id,
                tier AS day_tier,
                toUInt8(1) AS from_d1,
                toUInt8(0) AS used_that_day,
                toDate(0) AS used_on,
                tier_balance AS d1_tier_balance,
                pack_balance AS d1_pack_balance
            FROM $account_daily
            WHERE $days_in_run
            UNION ALL
            SELECT as_of, user_id, user_tier, 0, toUInt8(day = as_of), day, 0, 0
            FROM
            (
                -- each day of use counts towards the run's as_of days of the week starting on it
                SELECT
                    *,
                    arrayJoin(arrayFilter(
                        d -> d >= toDate({start:DateTime('UTC')}, 'UTC')
                            AND d < toDate({end:DateTime('UTC')}, 'UTC'),
                        arrayMap(i -> day + i, range(7)))) AS as_of
                FROM $user_daily
                WHERE day >= toDate({start:DateTime('UTC')}, 'UTC') - 6
                    AND day < toDate({end:DateTime('UTC')}, 'UTC')
            )
        )
        GROUP BY as_of, user_id
    )
    GROUP BY as_of, tier
)
