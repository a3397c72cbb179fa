-- What changed on as_of: for the system and every user, app and model with Pollen in the 30
-- days up to as_of, the day against its 7- and 30-day daily averages (both include as_of), and
-- whether the surge is paid growth or free burn.
CREATE TABLE IF NOT EXISTS pollen.spikes_daily ON CLUSTER pollen_cluster
(
    as_of Date,
    entity_type LowCardinality(String),
    entity_id String,  -- a user id, an app (contract.app_id) or a model
    entity_name String,
    pollen_1d Float64,
    avg_daily_7d Float64,
    avg_daily_30d Float64,
    ratio_7d Nullable(Float64),
    ratio_30d Nullable(Float64),
    paid_1d Float64,
    free_1d Float64,
    is_spike UInt8
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/spikes_daily', '{replica}')
PARTITION BY as_of
ORDER BY (as_of, entity_type, entity_id)
