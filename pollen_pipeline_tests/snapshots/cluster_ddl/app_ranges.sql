-- One row per named app and standard range (the 7, 30 or 90 UTC days up to as_of) in which it
-- had named days: what the app rankings sum over such a range, read from one as_of instead of a
-- partition of app_daily per day. Unnamed days are left out, as the rankings do. An app is a
-- developer key (app_id its key id) or a BYOP app's temporary keys ('byop:' and the app's
-- name; user_github_username empty: the keys are its end users'), contract.app_id.
CREATE TABLE IF NOT EXISTS pollen.app_ranges ON CLUSTER pollen_cluster
(
    as_of Date,
    window_days UInt8,
    app_id String,
    api_key_name String,
    api_key_type LowCardinality(String),
    user_github_username String,
    last_day Date,
    pack_pollen Float64,
    tier_pollen Float64,
    other_pollen Float64,
    total_pollen Float64,
    provider_cost Float64,
    requests UInt64,
    tokens UInt64,
    active_days UInt64,
    models_max_per_day UInt64,
    referrer_domains UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/app_ranges', '{replica}')
PARTITION BY as_of
ORDER BY (as_of, window_days, app_id)
