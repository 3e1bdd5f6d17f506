SELECT
  *
FROM (
  SELECT
    `t3`.`source`,
    `t3`.`direction`,
    `t3`.`period`,
    COUNT(*) AS `events`,
    SUM(CAST(IF(`t3`.`quad_class` = 1, 1, 0) AS INT64)) AS `quad1`,
    SUM(CAST(IF(`t3`.`quad_class` = 2, 1, 0) AS INT64)) AS `quad2`,
    SUM(CAST(IF(`t3`.`quad_class` = 3, 1, 0) AS INT64)) AS `quad3`,
    SUM(CAST(IF(`t3`.`quad_class` = 4, 1, 0) AS INT64)) AS `quad4`,
    SUM(`t3`.`goldstein10`) AS `goldstein10_sum`,
    COUNT(`t3`.`goldstein10`) AS `goldstein_n`,
    SUM(CAST(IF(`t3`.`quad_class` <= 2, 1, -1) AS INT64) * `t3`.`weight`) AS `net_cooperation`,
    SUM(`t3`.`weight`) AS `weighted_events`
  FROM (
    SELECT
      `t2`.`source`,
      `t2`.`direction`,
      `t2`.`unit_key`,
      `t2`.`event_date`,
      `t2`.`quad_class`,
      `t2`.`goldstein10`,
      `t2`.`weight`,
      DATE_TRUNC(`t2`.`event_date`, MONTH) AS `period`
    FROM (
      SELECT
        `t1`.`source`,
        `t1`.`direction`,
        `t1`.`unit_key`,
        MIN(`t1`.`event_date`) AS `event_date`,
        MIN(`t1`.`quad_class`) AS `quad_class`,
        CAST(ROUND(AVG(`t1`.`goldstein10`), 0) AS INT64) AS `goldstein10`,
        MAX(`t1`.`weight`) AS `weight`
      FROM (
        SELECT
          `t0`.`event_id`,
          `t0`.`source_system`,
          `t0`.`event_date`,
          `t0`.`source_country`,
          `t0`.`target_country`,
          `t0`.`source_sector`,
          `t0`.`target_sector`,
          `t0`.`plover_type`,
          `t0`.`cameo_code`,
          `t0`.`quad_class`,
          `t0`.`goldstein`,
          `t0`.`fronts`,
          `t0`.`place_country`,
          `t0`.`n_sources`,
          `t0`.`event_cluster_id`,
          CASE
            WHEN (
              `t0`.`source_country` = 'USA'
            ) AND (
              `t0`.`target_country` = 'MEX'
            )
            THEN 'USA->MEX'
            WHEN (
              `t0`.`source_country` = 'MEX'
            ) AND (
              `t0`.`target_country` = 'USA'
            )
            THEN 'MEX->USA'
            ELSE NULL
          END AS `direction`,
          DATE_TRUNC(`t0`.`event_date`, MONTH) AS `period`,
          `t0`.`source_system` AS `source`,
          CAST(ROUND(
            COALESCE(
              `t0`.`goldstein`,
              CASE
                WHEN `t0`.`plover_type` = 'AGREE'
                THEN 5.9
                WHEN `t0`.`plover_type` = 'AID'
                THEN 7.5
                WHEN `t0`.`plover_type` = 'ASSAULT'
                THEN -9.5
                WHEN `t0`.`plover_type` = 'COERCE'
                THEN -6.7
                WHEN `t0`.`plover_type` = 'CONCEDE'
                THEN 5.0
                WHEN `t0`.`plover_type` = 'CONSULT'
                THEN 2.8
                WHEN `t0`.`plover_type` = 'COOPERATE'
                THEN 6.7
                WHEN `t0`.`plover_type` = 'DEMAND'
                THEN -5.0
                WHEN `t0`.`plover_type` = 'DISAPPROVE'
                THEN -2.0
                WHEN `t0`.`plover_type` = 'FIGHT'
                THEN -9.9
                WHEN `t0`.`plover_type` = 'INVESTIGATE'
                THEN -2.0
                WHEN `t0`.`plover_type` = 'MOBILIZE'
                THEN -7.2
                WHEN `t0`.`plover_type` = 'PROTEST'
                THEN -6.9
                WHEN `t0`.`plover_type` = 'REJECT'
                THEN -4.2
                WHEN `t0`.`plover_type` = 'RETREAT'
                THEN 8.0
                WHEN `t0`.`plover_type` = 'SANCTION'
                THEN -5.8
                WHEN `t0`.`plover_type` = 'SUPPORT'
                THEN 5.1
                WHEN `t0`.`plover_type` = 'THREATEN'
                THEN -6.2
                ELSE CAST(NULL AS FLOAT64)
              END
            ) * 10,
            0
          ) AS INT64) AS `goldstein10`,
          CAST(1 AS INT64) AS `weight`,
          COALESCE(`t0`.`event_cluster_id`, `t0`.`event_id`) AS `unit_key`
        FROM `events` AS `t0`
        WHERE
          CASE
            WHEN (
              `t0`.`source_country` = 'USA'
            ) AND (
              `t0`.`target_country` = 'MEX'
            )
            THEN 'USA->MEX'
            WHEN (
              `t0`.`source_country` = 'MEX'
            ) AND (
              `t0`.`target_country` = 'USA'
            )
            THEN 'MEX->USA'
            ELSE NULL
          END IS NOT NULL
          AND `t0`.`source_system` IN ('gdelt2')
          AND (
            COALESCE(
              EXISTS(
                SELECT
                  1
                FROM UNNEST(`t0`.`fronts`) AS ibis_bq_arr_contains_x
                WHERE
                  ibis_bq_arr_contains_x = 'fentanyl'
              ),
              FALSE
            )
            OR (
              (
                (
                  `t0`.`fronts` IS NULL
                ) OR (
                  ARRAY_LENGTH(`t0`.`fronts`) = 0
                )
              )
              AND COALESCE(`t0`.`source_sector` IN ('CRM') OR `t0`.`target_sector` IN ('CRM'), FALSE)
            )
          )
      ) AS `t1`
      GROUP BY
        1,
        2,
        3
    ) AS `t2`
  ) AS `t3`
  GROUP BY
    1,
    2,
    3
) AS `t4`
ORDER BY
  `t4`.`source` ASC NULLS LAST,
  `t4`.`direction` ASC NULLS LAST,
  `t4`.`period` ASC NULLS LAST
