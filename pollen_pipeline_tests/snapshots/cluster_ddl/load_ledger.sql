-- Files loaded by pollen load, by content hash: loading the same file again adds nothing.
CREATE TABLE IF NOT EXISTS pollen.load_ledger ON CLUSTER pollen_cluster
(
    content_hash String,
    path String,
    format LowCardinality(String),
    loaded_at DateTime('UTC'),
    rows UInt64,
    rejected UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/load_ledger', '{replica}')
ORDER BY content_hash
