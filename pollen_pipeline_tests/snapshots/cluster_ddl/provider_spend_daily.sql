-- The legacy provider-costs and daily-spending panels' rows per UTC day (their days are UTC, their
-- server's): every raw event, any environment and status, bug window and ROUTER kept, by what
-- their WHEREs and series read. The exact meter slug (their LIKE on 'pack' and 'tier'), the row's
-- own total_price > 0 and total_cost > 0 (has_price, has_cost) and the 2xx flag are columns, not
-- filters, so each panel's row filter is a WHERE here. No request-id state: these panels count
-- rows (count()), never distinct request ids.
CREATE TABLE IF NOT EXISTS pollen.provider_spend_daily ON CLUSTER pollen_cluster
(
    day Date,
    environment LowCardinality(String),
    is_success UInt8,  -- a 2xx status
    model_provider_used LowCardinality(String),
    model_used LowCardinality(String),
    selected_meter_slug LowCardinality(String),
    is_billed_usage UInt8,
    has_price UInt8,  -- total_price > 0
    has_cost UInt8,  -- total_cost > 0
    requests UInt64,
    provider_cost Float64,
    total_pollen Float64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/provider_spend_daily', '{replica}')
PARTITION BY day
ORDER BY (day, environment, is_success, model_provider_used, model_used, selected_meter_slug,
    is_billed_usage, has_price, has_cost)
