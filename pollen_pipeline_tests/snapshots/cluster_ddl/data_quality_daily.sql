-- Per UTC day: how many raw events there were and what each contract filter removed. Filters
-- apply in the seed's order, each event counted once under the first filter that removed it;
-- ROUTER, other meters and unnamed apps are counted among the events that passed. Events that
-- repeat an event id of the day are counted, not removed (README, "Duplicate events").
CREATE TABLE IF NOT EXISTS pollen.data_quality_daily ON CLUSTER pollen_cluster
(
    day Date,
    raw_events UInt64,
    raw_pollen Float64,
    production_events UInt64,
    non_2xx_events UInt64,
    non_2xx_pollen Float64,
    zero_price_events UInt64,
    bug_window_events UInt64,
    bug_window_pollen Float64,
    excluded_events UInt64,
    excluded_pollen Float64,
    passed_events UInt64,
    passed_pollen Float64,
    router_events UInt64,
    router_pollen Float64,
    other_meter_events UInt64,
    other_meter_pollen Float64,
    unnamed_app_events UInt64,
    unnamed_app_pollen Float64,
    economics_events UInt64,
    economics_pollen Float64,
    duplicate_event_ids UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/data_quality_daily', '{replica}')
PARTITION BY day
ORDER BY day
