-- Files loaded by pollen load, by content hash: loading the same file again adds nothing.
CREATE TABLE IF NOT EXISTS ${database}.load_ledger
(
    content_hash String,
    path String,
    format LowCardinality(String),
    loaded_at DateTime('UTC'),
    rows UInt64,
    rejected UInt64
)
ENGINE = MergeTree
ORDER BY content_hash
