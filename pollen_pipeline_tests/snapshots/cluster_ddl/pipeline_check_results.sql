-- One row per asset-check evaluation, written by the run that evaluated it (the alert sensor
-- reads Dagster's event log instead, so the embedded store is never opened by the daemon).
-- `partition` is the run's partition key, or "first..last" for a range run. A year of history
-- is plenty for the dashboard; older rows expire.
CREATE TABLE IF NOT EXISTS pollen.pipeline_check_results ON CLUSTER pollen_cluster
(
    evaluated_at DateTime64(3, 'UTC'),
    asset LowCardinality(String),
    check_name LowCardinality(String),
    partition String,
    passed UInt8,
    severity LowCardinality(String),
    description String,
    metadata String,
    run_id String
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/pipeline_check_results', '{replica}')
PARTITION BY toYYYYMM(evaluated_at)
ORDER BY (asset, check_name, evaluated_at)
TTL toDateTime(evaluated_at) + INTERVAL 365 DAY
