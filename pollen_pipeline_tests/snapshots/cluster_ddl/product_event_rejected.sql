-- Lines of loaded files that could not become a row of a raw table (pollen load), kept with
-- the file, the line number, the raw text and the reason, so nothing a file held is lost. One
-- such table per raw table: <raw table>_rejected.
CREATE TABLE IF NOT EXISTS pollen.product_event_rejected ON CLUSTER pollen_cluster
(
    file String,
    line UInt64,
    raw String,
    reason String,
    content_hash String,
    loaded_at DateTime('UTC')
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/product_event_rejected', '{replica}')
ORDER BY (content_hash, line)
