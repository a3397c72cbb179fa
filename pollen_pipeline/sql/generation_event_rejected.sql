-- Lines of loaded files that could not become a generation_event row (pollen load), kept with
-- the file, the line number, the raw text and the reason, so nothing a file held is lost.
CREATE TABLE IF NOT EXISTS ${database}.generation_event_rejected
(
    file String,
    line UInt64,
    raw String,
    reason String,
    content_hash String,
    loaded_at DateTime('UTC')
)
ENGINE = MergeTree
ORDER BY (content_hash, line)
