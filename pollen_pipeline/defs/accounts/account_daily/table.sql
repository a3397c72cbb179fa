-- Per UTC day and D1 account: what that day's last d1_user snapshot says of it, by id only (no
-- name, e-mail or GitHub account). The store's side of D1: the tables joining accounts to usage
-- read this one.
CREATE TABLE IF NOT EXISTS ${database}.account_daily
(
    day Date,
    user_id String,
    tier LowCardinality(String),
    banned UInt8,
    signup_day Nullable(Date),
    signed_up_at Nullable(DateTime('UTC')),  -- created_at to the second: the team's D7 window
    tier_balance Float64,
    pack_balance Float64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, user_id)
