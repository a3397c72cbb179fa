-- The team's D1 apikey table, one snapshot a day (d1_apikey.datasource, SCHEMA > block): column
-- for column, type for type. pollen init creates it only when missing and never alters it.
-- Personal and secret-adjacent data (name, start, prefix, metadata) stays here.
CREATE TABLE IF NOT EXISTS ${database}.d1_apikey
(
    id String,
    name Nullable(String),
    start Nullable(String),
    prefix Nullable(String),
    user_id String,
    refill_interval Nullable(Int32),
    refill_amount Nullable(Int32),
    last_refill_at Nullable(Int64),
    enabled UInt8 DEFAULT 1,
    rate_limit_enabled UInt8 DEFAULT 1,
    rate_limit_time_window Nullable(Int32),
    rate_limit_max Nullable(Int32),
    request_count Nullable(Int32),
    remaining Nullable(Int32),
    last_request Nullable(Int64),
    expires_at Nullable(Int64),
    created_at Int64,
    updated_at Int64,
    permissions Nullable(String),
    metadata Nullable(String),
    pollen_balance Nullable(Float64),
    synced_at DateTime
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(synced_at)
ORDER BY id
