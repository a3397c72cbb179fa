-- Per UTC day, ROUTER, D1-banned, category and platform: the Pollen of the developers who list
-- apps in the directory, joined as the team's app-ecosystem joins it (event GitHub id = listing
-- GitHub id), so a developer's Pollen counts once per listing, in the listing's category and
-- platform; a developer listing nothing is one row of category and platform ''. Over the
-- legacy scope of scoped_user_key_daily (production, 2xx, priced, outside the bug window).
-- users is a uniq state of the non-empty GitHub ids, as their panels count users. legacy_byop:
-- the key's legacy BYOP signal (contract.LEGACY_BYOP), what their BYOP user counts filter on.
CREATE TABLE IF NOT EXISTS ${database}.directory_usage_daily
(
    day Date,
    is_router UInt8,
    d1_banned UInt8,
    category LowCardinality(String),
    platform LowCardinality(String),
    legacy_byop LowCardinality(String),
    $meter_columns,
    users AggregateFunction(uniq, String)
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, is_router, d1_banned, category, platform, legacy_byop)
