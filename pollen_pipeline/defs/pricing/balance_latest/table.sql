-- One row per developer ever seen in balance_daily up to as_of: the balances of their latest day
-- on or before as_of. The balance panels read one as_of instead of every day of balance_daily.
CREATE TABLE IF NOT EXISTS ${database}.balance_latest
(
    as_of Date,
    user_id String,
    user_github_id String,
    pack_balance Float64,
    tier_balance Float64,
    last_day Date
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, user_id)
