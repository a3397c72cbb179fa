-- The team's periodic tier-scoring snapshots (scoring_snapshot.datasource, SCHEMA > block):
-- column for column, type for type. pollen init creates it only when missing and never alters
-- it. Personal data (github_username) stays here.
CREATE TABLE IF NOT EXISTS pollen.scoring_snapshot ON CLUSTER pollen_cluster
(
    timestamp DateTime,
    user_id String,
    github_username String,
    current_tier LowCardinality(String),
    computed_tier LowCardinality(String),
    total_score Float32,
    change LowCardinality(String),
    github_age_days UInt32 DEFAULT 0,
    pollinations_age_days UInt32 DEFAULT 0,
    spend_7d Float32 DEFAULT 0,
    trust_score UInt8 DEFAULT 100,
    commits UInt32 DEFAULT 0,
    repos UInt32 DEFAULT 0,
    stars UInt32 DEFAULT 0,
    apps_listed UInt8 DEFAULT 0,
    score_github_age_days Float32 DEFAULT 0,
    score_pollinations_age_days Float32 DEFAULT 0,
    score_spend_7d Float32 DEFAULT 0,
    score_trust_score Float32 DEFAULT 0,
    score_commits Float32 DEFAULT 0,
    score_repos Float32 DEFAULT 0,
    score_stars Float32 DEFAULT 0,
    score_apps_listed Float32 DEFAULT 0
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/scoring_snapshot', '{replica}')
PARTITION BY toYYYYMM(timestamp)
ORDER BY (timestamp, current_tier, github_username)
