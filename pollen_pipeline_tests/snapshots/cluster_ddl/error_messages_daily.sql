-- Production error messages per UTC day by error code, provider and status. `message` is
-- error_message normalised (contract.RAW_ERROR_MESSAGE: digit runs -> '#', first 200
-- characters), so one kind of error is one row however many ids and amounts it carries.
-- Messages left unset ('undefined', '') are kept: the rows add up to every error.
CREATE TABLE IF NOT EXISTS pollen.error_messages_daily ON CLUSTER pollen_cluster
(
    day Date,
    error_response_code LowCardinality(String),
    model_provider_used LowCardinality(String),
    response_status UInt32,
    message String,
    events UInt64,
    -- Pollen charged for these failed requests: 0 unless billing charges errors
    total_pollen Float64,
    first_at DateTime('UTC'),
    last_at DateTime('UTC')
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/error_messages_daily', '{replica}')
PARTITION BY day
ORDER BY (day, error_response_code, model_provider_used, response_status, message)
