-- Synthetic d1_user (synthetic.py): one snapshot a day, at 23:50 UTC, of every account signed
-- up by then, with the events' user ids, tiers and GitHub accounts.
INSERT INTO ${database}.d1_user
(
    id, name, email, email_verified, image, created_at, updated_at, role, banned, ban_reason,
    ban_expires, github_id, github_username, tier, tier_balance, pack_balance, crypto_balance,
    last_tier_grant, trust_score, score, score_checked_at, synced_at
)
WITH $population
SELECT
    uid AS user_id,
    if(is_router, 'Pollen Router',
       concat(initcap(name_first[1 + cityHash64(hu, 'n1') % length(name_first)]), ' ',
              upper(substring(name_second[1 + cityHash64(hu, 'n2') % length(name_second)], 1, 1)),
              '.')) AS display_name,
    email,
    toUInt8(1) AS email_verified,
    concat('https://avatars.githubusercontent.com/u/', github_id) AS image,
    toUnixTimestamp(signed_up_at) AS created,
    created AS updated,
    if(is_router, 'admin', 'user') AS role,
    -- a few light users are banned (their events remain: the team's exclusions list decides)
    toUInt8(NOT is_router AND user_rank >= 5 AND cityHash64(hu, 'banned') % 100 < 2) AS is_banned,
    if(is_banned = 1, 'abuse of the free tier', NULL) AS ban_reason,
    CAST(NULL, 'Nullable(Int64)') AS ban_expires,
    toInt32(github_id) AS github_number,
    github_username,
    tier,
    round(tier_grant * (0.3 + 0.7 * (cityHash64(hu, day_index, 'tier-balance') % 1000) / 1000), 6)
        AS tier_balance,
    if(converted AND day_index >= pack_from_day,
       round(pack_size * (0.05 + 0.95 * (cityHash64(hu, day_index, 'pack-balance') % 1000) / 1000), 4),
       0.) AS pack_balance,
    0. AS crypto_balance,
    toUnixTimestamp(day_start) AS last_tier_grant,
    toInt32(trust) AS trust_score,
    tier_score AS score,
    toUnixTimestamp(day_start) AS score_checked_at,
    day_start + toIntervalMinute(23 * 60 + 50) AS synced_at
FROM $snapshot_users
