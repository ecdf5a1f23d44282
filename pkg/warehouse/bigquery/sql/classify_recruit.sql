-- Role classifier without a Go classifier (no WithClassifier; with one,
-- classify_recruit_go.sql replaces this file, see README.md): the same
-- narrow title patterns as DuckDB's fallback, in this order
-- (scientist before engineer: "ML 데이터 사이언티스트" is a scientist).
DELETE FROM `external.recruit_role` WHERE id IN (SELECT id FROM refresh_ids);
INSERT INTO `external.recruit_role` (id, role)
SELECT id,
    CASE
        WHEN t LIKE '%데이터 사이언티스트%' OR t LIKE '%데이터사이언티스트%' OR t LIKE '%data scientist%'
            THEN 'data_scientist'
        WHEN t LIKE '%머신러닝 엔지니어%' OR t LIKE '%머신러닝엔지니어%' OR t LIKE '%ml engineer%' OR t LIKE '%mlops%'
            THEN 'ml_engineer'
        WHEN t LIKE '%데이터 분석가%' OR t LIKE '%데이터분석가%' OR t LIKE '%data analyst%'
            THEN 'data_analyst'
        WHEN t LIKE '%데이터 엔지니어%' OR t LIKE '%데이터엔지니어%' OR t LIKE '%data engineer%'
            OR t LIKE '%빅데이터 개발%' OR t LIKE '%빅데이터개발%'
            THEN 'data_engineer'
    END
FROM (
    SELECT e.id, LOWER(coalesce(e.title, '')) AS t
    FROM `external.recruit_table` e JOIN refresh_ids USING (id)
    WHERE (e.posted_at BETWEEN refresh_lo AND refresh_hi) OR (refresh_null AND e.posted_at IS NULL)
);
