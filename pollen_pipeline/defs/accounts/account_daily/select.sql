-- Per UTC day and account of the window, from the day's last d1_user snapshot (a day synced
-- twice counts once, as in user_accounts_daily). The sign-up day is created_at's UTC day (unix
-- seconds; NULL when D1 has none), signed_up_at the moment itself; a NULL balance holds
-- nothing. This copy exists because on a source a SELECT reading d1_user cannot read the
-- store's summaries: the joins of accounts to usage run in the store, on these rows.
SELECT
    toDate(u.synced_at, 'UTC') AS day,
    u.id AS user_id,
    u.tier AS tier,
    u.banned AS banned,
    toDate(fromUnixTimestamp(u.created_at), 'UTC') AS signup_day,
    toDateTime(u.created_at, 'UTC') AS signed_up_at,
    ifNull(u.tier_balance, 0) AS tier_balance,
    ifNull(u.pack_balance, 0) AS pack_balance
FROM $d1_user AS u
WHERE u.synced_at IN (
    SELECT max(synced_at) FROM $d1_user
    WHERE synced_at >= {start:DateTime('UTC')} AND synced_at < {end:DateTime('UTC')}
    GROUP BY toDate(synced_at, 'UTC')
)
