-- One row per developer and UTC day (ROUTER excluded).
CREATE TABLE IF NOT EXISTS ${database}.user_daily
(
    day Date,
    user_id String,
    user_github_id String,
    user_github_username String,
    user_tier LowCardinality(String),
    $meter_columns,
    enduser_pollen Float64,
    developer_pollen Float64,
    models_used UInt64,
    apps_used UInt64,
    first_tier_at Nullable(DateTime('UTC')),
    first_pack_at Nullable(DateTime('UTC')),
    implied_free_pollen Float64,
    named_app_ids Array(String),
    secret_key_ids Array(String),
    publishable_key_ids Array(String),
    temporary_key_ids Array(String),
    model_names Array(String)
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, user_id)
