-- The APPS.md category map (app_category_map.datasource, ours): one row per app. hostname: the
-- name of the secret keys whose events take the app's category ('' when none); github_user_id:
-- the GitHub id whose other events take the app's category and platform ('' when none). A key
-- names one app (the team's map has one entry per hostname and per GitHub id: a developer's
-- other apps leave github_user_id ''). Every load is kept, dated by loaded_at (the load time
-- when a file has none); the latest is the map. pollen init creates it only when missing and
-- never alters it. Personal data (github_user_id) stays here.
CREATE TABLE IF NOT EXISTS pollen.app_category_map ON CLUSTER pollen_cluster
(
    app String,
    category String,
    platform String,
    hostname String,
    github_user_id String,
    loaded_at DateTime DEFAULT now()
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/pollen/app_category_map', '{replica}')
PARTITION BY toYYYYMM(loaded_at)
ORDER BY (category, app)
