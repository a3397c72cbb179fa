-- Every stored day up to the run's end is summed (payments_daily and model_daily hold few rows a
-- day), then running sums give the to-date columns. Each day of the run is added with zeros so
-- a run day with neither sales nor usage still has its row once the ledger has started
-- (stored_rows_to_date > 0).
SELECT
    day,
    packs_sold,
    sold_pollen,
    pack_pollen,
    sold_pollen_to_date,
    pack_pollen_to_date,
    sold_pollen_to_date - pack_pollen_to_date AS paid_liability,
    b.pack_balance_estimate AS pack_balance_estimate,
    b.pack_holders AS pack_holders
FROM
(
    SELECT
        day,
        packs_sold,
        sold_pollen,
        pack_pollen,
        sum(sold_pollen) OVER (ORDER BY day) AS sold_pollen_to_date,
        sum(pack_pollen) OVER (ORDER BY day) AS pack_pollen_to_date,
        sum(stored_rows) OVER (ORDER BY day) AS stored_rows_to_date
    FROM
    (
        SELECT day, sum(packs) AS packs_sold, sum(sold) AS sold_pollen,
            sum(spent) AS pack_pollen, sum(stored) AS stored_rows
        FROM
        (
            SELECT day, payments AS packs, amount AS sold, toFloat64(0) AS spent, toUInt64(1) AS stored
            FROM $payments_daily
            WHERE day < toDate({end:DateTime('UTC')}, 'UTC')
                AND event_type IN {sold_event_types:Array(String)} AND status = {sold_status:String}
            UNION ALL
            SELECT day, toUInt64(0), toFloat64(0), pack_pollen, toUInt64(1)
            FROM $model_daily
            WHERE day < toDate({end:DateTime('UTC')}, 'UTC')
            UNION ALL
            SELECT arrayJoin($run_days), toUInt64(0), toFloat64(0), toFloat64(0), toUInt64(0)
        )
        GROUP BY day
    )
) AS ledger
LEFT JOIN
(
    SELECT as_of AS day, sum(pack_balance) AS pack_balance_estimate,
        countIf(pack_balance > 0) AS pack_holders
    FROM $balance_latest
    WHERE as_of >= toDate({start:DateTime('UTC')}, 'UTC') AND as_of < toDate({end:DateTime('UTC')}, 'UTC')
    GROUP BY as_of
) AS b USING (day)
WHERE $days_in_run AND stored_rows_to_date > 0
