-- The BYOP-shaped requests of the events relation, every environment and status, from their own
-- narrow scan: no summary keeps the client id, the developer a key was minted for, dev_price or
-- markup_rate beside the legacy scope dimensions. d1_banned is the team's rule: a GitHub username
-- banned in any d1_user snapshot. On a raw table without the newer key columns (the defaults of
-- optional_columns stand in) the only BYOP-shaped rows are hostname keys.
SELECT
    toDate(start_time, 'UTC') AS day,
    environment,
    response_status,
    toUInt8(total_price > 0) AS is_priced,
    toUInt8($raw_in_bug_window) AS in_bug_window,
    toUInt8(user_github_username IN (
        SELECT github_username FROM $d1_user WHERE banned = 1
    )) AS d1_banned,
    selected_meter_slug,
    api_key_client_id AS client_id,
    $raw_is_byop AS has_client_id,
    api_key_created_for_user_id AS developer_id,
    toUInt8(markup_rate > 0 AND total_price > dev_price) AS is_devshare,
    toUInt8(api_key_created_via = 'redirect-auth') AS is_redirect_auth,
    if($raw_hostname_key, api_key_name, '') AS hostname,
    count() AS requests,
    sum(total_price) AS pollen,
    sum(dev_price) AS developer_price,
    sum(total_price - dev_price) AS earnings,
    sum(markup_rate * dev_price) AS markup_weighted,
    max(markup_rate) AS max_markup_rate,
    uniqStateIf(user_github_id, user_github_id NOT IN ('', 'undefined')) AS users
FROM
(
    SELECT
        start_time,
        environment,
        response_status,
        user_github_id,
        user_github_username,
        selected_meter_slug,
        api_key_type,
        api_key_name,
        total_price,
        $optional_columns
    FROM $raw_table
    WHERE start_time >= {start:DateTime('UTC')} AND start_time < {end:DateTime('UTC')}
)
WHERE $raw_is_byop = 1 OR markup_rate > 0 OR api_key_created_via = 'redirect-auth'
    OR $raw_hostname_key
GROUP BY
    day, environment, response_status, is_priced, in_bug_window, d1_banned, selected_meter_slug,
    client_id, has_client_id, developer_id, is_devshare, is_redirect_auth, hostname
