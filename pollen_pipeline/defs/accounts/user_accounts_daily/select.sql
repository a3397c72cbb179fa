-- Per UTC day and tier of the window, from the day's last d1_user snapshot (a day synced twice
-- counts once): accounts, the accounts created that day (created_at: unix seconds), banned
-- accounts, and the balances they hold (a NULL balance holds nothing). Columns are read as
-- u.<name>: the sums take their names.
SELECT
    toDate(u.synced_at, 'UTC') AS day,
    u.tier AS tier,
    count() AS accounts,
    countIf(toDate(fromUnixTimestamp(u.created_at), 'UTC') = day) AS signups,
    countIf(u.banned = 1) AS banned_accounts,
    countIf(u.pack_balance > 0) AS accounts_with_pack,
    sum(ifNull(u.tier_balance, 0)) AS tier_balance,
    sum(ifNull(u.pack_balance, 0)) AS pack_balance
FROM $d1_user AS u
WHERE u.synced_at IN (
    SELECT max(synced_at) FROM $d1_user
    WHERE synced_at >= {start:DateTime('UTC')} AND synced_at < {end:DateTime('UTC')}
    GROUP BY toDate(synced_at, 'UTC')
)
GROUP BY day, tier
