-- Files loaded by pollen load, by raw table and content hash: loading the same file into the same
-- table again adds nothing. (Older ledgers, without table_name, held generation_event's files.)
CREATE TABLE IF NOT EXISTS ${database}.load_ledger
(
    content_hash String,
    path String,
    format LowCardinality(String),
    loaded_at DateTime('UTC'),
    rows UInt64,
    rejected UInt64,
    table_name LowCardinality(String) DEFAULT 'generation_event'
)
ENGINE = MergeTree
ORDER BY content_hash
