-- Per UTC day: packs sold against pack Pollen spent, the paid liability to date, and the balance
-- estimate of the same day. The liability counts from the first stored day: the difference
-- from the estimate is the balance held before it (and anything either side misses).
CREATE TABLE IF NOT EXISTS ${database}.pack_liability_daily
(
    day Date,
    packs_sold UInt64,
    sold_pollen Float64,
    pack_pollen Float64,
    sold_pollen_to_date Float64,
    pack_pollen_to_date Float64,
    paid_liability Float64,
    pack_balance_estimate Float64,
    pack_holders UInt64
)
ENGINE = MergeTree
PARTITION BY day
ORDER BY day
