-- Per UTC day and the team's classification: usage_classified_hourly's calls, Pollen, rewards
-- and usage summed (its uniq states of users and apps stay hourly). The workspace's call and
-- Pollen panels read it for the days a range covers whole (pollen_pipeline/dashboards/grafana.py:
-- hours_and_whole_days).
CREATE TABLE IF NOT EXISTS ${database}.usage_classified_daily
(
    day Date,
    $classified_key_columns,
    $classified_call_columns,
    $classified_amount_columns
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, environment, traffic_group, funding_source, business_stream, model, workload)
