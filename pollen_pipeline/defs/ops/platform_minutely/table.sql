-- The platform per UTC minute: load_minutely's production requests of every status, event type,
-- provider and model summed. One row a minute with requests, so a 90-day range of minute peaks
-- reads 129,600 rows, not load_minutely's millions.
CREATE TABLE IF NOT EXISTS ${database}.platform_minutely
(
    minute DateTime('UTC'),
    requests UInt64,
    tokens UInt64,  -- tokens_in + tokens_out
    image_requests UInt64  -- requests of event type rules.IMAGE_EVENT_TYPE
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY minute
