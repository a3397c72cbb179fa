-- One row per app active in the 90 days up to as_of (ROUTER excluded), with its latest name,
-- type and owner. An app is a developer key (app_id its key id) or a BYOP app's temporary keys
-- ('byop:' and the app's name, no owner: the keys are its end users'), contract.app_id.
-- Unnamed keys stay in, flagged is_named_app = 0 for rankings.
CREATE TABLE IF NOT EXISTS ${database}.app_windows
(
    as_of Date,
    app_id String,
    api_key_name String,
    api_key_type LowCardinality(String),
    is_named_app UInt8,
    user_id String,
    user_github_username String,
    $window_column_definitions,
    paid_share_30d Nullable(Float64),
    momentum Nullable(Float64)
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, app_id)
