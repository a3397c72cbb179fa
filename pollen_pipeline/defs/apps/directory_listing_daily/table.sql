-- Per UTC day of the run: the listings of the latest directory sync before the run's end, per
-- owner, category and platform, what the team's app-ecosystem reads off its live app_directory
-- table (listings and categories) and what its joins of events to listings count per listing.
-- owner_key: a hash of the listing's GitHub id (the id stays in app_directory), matched to the
-- events' GitHub ids by the same hash (contract.OWNER_KEY); '' hashes too, as their join matches
-- an empty id. category '': a listing without one.
CREATE TABLE IF NOT EXISTS ${database}.directory_listing_daily
(
    day Date,
    owner_key UInt64,
    category LowCardinality(String),
    platform LowCardinality(String),
    listings UInt64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, owner_key, category, platform)
