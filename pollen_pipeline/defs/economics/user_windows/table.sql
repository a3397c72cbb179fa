-- One row per developer active in the 90 days up to as_of (ROUTER excluded): paid (pack), free
-- (tier) and total Pollen over 1/7/30/90-day windows ending on as_of, momentum and the balance
-- cross-check, and the developer's portfolio (apps, keys by type, models) per window. Feeds the
-- "fund the right developers" panel (seed panel 9).
CREATE TABLE IF NOT EXISTS ${database}.user_windows
(
    as_of Date,
    user_id String,
    user_github_id String,
    user_github_username String,
    user_tier LowCardinality(String),
    $window_column_definitions,
    enduser_pollen_30d Float64,
    developer_pollen_30d Float64,
    enduser_share_30d Nullable(Float64),
    paid_share_30d Nullable(Float64),
    momentum Nullable(Float64),
    qualifies UInt8,
    implied_free_1d Float64,
    implied_free_30d Float64,
    $portfolio_column_definitions
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, user_id)
