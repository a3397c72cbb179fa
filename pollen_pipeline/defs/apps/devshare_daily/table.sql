-- Per UTC day, the BYOP-shaped requests of every environment and status (a key with a client
-- id, a DevShare markup, minted by redirect-auth, or a secret key named after a host) by app
-- (the raw client id), the developer its key was minted for (the raw id) and exact meter slug,
-- with the dimensions the team's legacy byop-devshare dashboard filters on, so each of its
-- scopes is a WHERE here (contract.py: TEAM_LEGACY_DEVSHARE_*): priced (total_price > 0), inside
-- the meter:combined bug window, D1's banned accounts by GitHub username (any snapshot, decided
-- when the day is built), has_client_id (their clean BYOP), is_devshare (markup_rate > 0 and
-- total_price > dev_price: a DevShare event), is_redirect_auth and hostname (the secret key's
-- name when it holds a dot, else ''). developer_price sums dev_price, earnings
-- total_price - dev_price, markup_weighted markup_rate * dev_price (their weighted markup
-- divides it by dev_price); users is a uniq state of the valid GitHub ids, as their panels
-- count end users.
CREATE TABLE IF NOT EXISTS ${database}.devshare_daily
(
    day Date,
    environment LowCardinality(String),
    response_status UInt32,
    is_priced UInt8,
    in_bug_window UInt8,
    d1_banned UInt8,
    selected_meter_slug LowCardinality(String),
    client_id String,
    has_client_id UInt8,
    developer_id String,
    is_devshare UInt8,
    is_redirect_auth UInt8,
    hostname String,
    requests UInt64,
    pollen Float64,
    developer_price Float64,
    earnings Float64,
    markup_weighted Float64,
    max_markup_rate Float64,
    users AggregateFunction(uniq, String)
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY (day, environment, response_status, client_id, developer_id, selected_meter_slug)
