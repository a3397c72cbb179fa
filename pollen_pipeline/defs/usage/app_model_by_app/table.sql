-- One row per app (contract.app_id: a developer key, or a BYOP app's end-user keys as one),
-- requested model and UTC day, app_model_daily's rows by month and app: what the app
-- drill-down reads for any range, for the apps the rankings list.
CREATE TABLE IF NOT EXISTS ${database}.app_model_by_app
(
    day Date,
    app_id String,
    resolved_model_requested LowCardinality(String),
    $meter_columns
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (app_id, day, resolved_model_requested)
