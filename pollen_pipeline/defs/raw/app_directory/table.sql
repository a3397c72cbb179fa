-- The team's app directory (app_directory.datasource, SCHEMA > block): column for column, type
-- for type, plus synced_at. Tinybird replaces the table at each daily sync, so it has no day of
-- its own; here every sync is kept, dated by synced_at (the load time when a file has none).
-- pollen init creates it only when missing and never alters it.
-- Personal data (github_username, github_user_id, discord_username, other) stays here.
CREATE TABLE IF NOT EXISTS ${database}.app_directory
(
    emoji String,
    name String,
    web_url String,
    screenshot_url String,
    description String,
    language String,
    category String,
    platform String,
    github_username String,
    github_user_id String,
    github_repository_url String,
    github_repository_stars String,
    discord_username String,
    other String,
    submitted_date String,
    issue_url String,
    approved_date String,
    byop String,
    requests_24h String,
    synced_at DateTime DEFAULT now()
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(synced_at)
ORDER BY (github_user_id, category)
