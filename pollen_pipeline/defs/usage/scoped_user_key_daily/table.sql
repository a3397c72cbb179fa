-- Per UTC day, developer (GitHub id and username) and key name, the requests the team's legacy
-- economics scope starts from: production, 2xx, priced, outside the bug window (the contract's
-- filters before the exclusion lists), with what their per-developer and per-app panels filter
-- on kept as dimensions (contract.py names the scopes: TEAM_LEGACY_*_KEY_SCOPE): ROUTER, D1's
-- banned by GitHub username in any snapshot (d1_banned, decided when the day is built, so a later
-- ban needs the days re-materialized), the event's own tier, key type and key origin (the facts'
-- key_origin: app-ecosystem's clean BYOP is a key minted by redirect-auth). An app is a key name,
-- as theirs (same-named keys of different owners merge). first_tier_at / first_pack_at: the
-- row's first event on that meter, 1970-01-01 when it has none (tier_requests / pack_requests 0).
CREATE TABLE IF NOT EXISTS ${database}.scoped_user_key_daily
(
    day Date,
    is_router UInt8,
    d1_banned UInt8,
    user_github_id String,
    user_github_username String,
    api_key_name String,
    api_key_type LowCardinality(String),
    key_origin LowCardinality(String),
    user_tier LowCardinality(String),
    $meter_columns,
    pack_requests UInt64,
    tier_requests UInt64,
    first_tier_at DateTime('UTC'),
    first_pack_at DateTime('UTC')
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, d1_banned, user_github_username, api_key_name)
