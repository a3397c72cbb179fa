-- Synthetic app_directory (synthetic.py): the daily sync (23:50 UTC) of the listed apps: about
-- a third of the accounts' own apps, under the events' app names, with their owners.
INSERT INTO ${database}.app_directory
(
    emoji, name, web_url, screenshot_url, description, language, category, platform,
    github_username, github_user_id, github_repository_url, github_repository_stars,
    discord_username, other, submitted_date, issue_url, approved_date, byop, requests_24h,
    synced_at
)
WITH $population
SELECT
    ['🎨', '🤖', '📚', '🎮', '🛠️'][1 + cityHash64(app_h, 'category') % 5] AS emoji,
    app_name,
    concat('https://', app_name, '.example') AS web_url,
    '' AS screenshot_url,
    concat(initcap(app_name), ', made with Pollinations') AS description,
    'en' AS language,
    ['creative', 'chat', 'learn', 'games', 'dev_tools'][1 + cityHash64(app_h, 'category') % 5]
        AS category,
    'web' AS platform,
    github_username,
    github_id,
    concat('https://github.com/', github_username, '/', app_name) AS repository,
    toString(cityHash64(app_h, 'stars') % 500) AS stars,
    concat(github_username, '#', toString(cityHash64(hu, 'discord') % 10000)) AS discord,
    '' AS other,
    toString(toDate(signed_up_at)) AS submitted,
    concat('https://github.com/pollinations/pollinations/issues/', toString(1000 + cityHash64(app_h, 'issue') % 9000))
        AS issue_url,
    submitted AS approved,
    'false' AS byop,
    '' AS requests_24h,
    day_start + toIntervalMinute(23 * 60 + 50) AS synced_at
FROM $user_apps
WHERE NOT is_router AND cityHash64(app_h, 'listed') % 3 = 0
