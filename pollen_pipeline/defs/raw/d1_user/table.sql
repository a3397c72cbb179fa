-- The team's D1 user table, one snapshot a day (d1_user.datasource, SCHEMA > block): column
-- for column, type for type. pollen init creates it only when missing and never alters it.
-- Personal data (name, email, image, github_id, github_username, ban_reason) stays here.
CREATE TABLE IF NOT EXISTS ${database}.d1_user
(
    id String,
    name String,
    email String,
    email_verified UInt8 DEFAULT 0,
    image Nullable(String),
    created_at Nullable(Int64),
    updated_at Nullable(Int64),
    role Nullable(String),
    banned UInt8 DEFAULT 0,
    ban_reason Nullable(String),
    ban_expires Nullable(Int64),
    github_id Nullable(Int32),
    github_username Nullable(String),
    tier String DEFAULT 'microbe',
    tier_balance Nullable(Float64),
    pack_balance Nullable(Float64),
    crypto_balance Nullable(Float64),
    last_tier_grant Nullable(Int64),
    trust_score Nullable(Int32),
    score Nullable(Float64),
    score_checked_at Nullable(Int64),
    synced_at DateTime
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(synced_at)
ORDER BY id
