-- Users the team keeps out of every usage and economics table and panel, like ROUTER (e.g. the
-- banned users of D1), from the next materialization on; data_quality_daily counts what they
-- removed. Kept by `pollen exclude GITHUB_ID --reason ...`; one row per user.
CREATE TABLE IF NOT EXISTS pollen.excluded_users ON CLUSTER pollen_cluster
(
    user_github_id String,
    reason String,
    added_at DateTime('UTC')
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/pollen/excluded_users', '{replica}', added_at)
ORDER BY user_github_id
