-- True sign-up cohorts as known on each as_of day: per UTC day of D1's created_at, the accounts
-- signed up, how many used the platform and bought a pack (in all, within 7 / 30 days), beside
-- the seed's first-use proxy cohort of the same day. Every partition is a full snapshot.
CREATE TABLE IF NOT EXISTS ${database}.signup_cohort
(
    as_of Date,
    signup_day Date,
    signups UInt64,
    used UInt64,
    used_7d UInt64,
    used_30d UInt64,
    packed UInt64,
    packed_7d UInt64,
    packed_30d UInt64,
    proxy_users UInt64,
    proxy_converted_7d UInt64,
    proxy_converted_30d UInt64
)
ENGINE = MergeTree
PARTITION BY as_of
ORDER BY (as_of, signup_day)
