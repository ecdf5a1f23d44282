-- Fallback role classifier, used when the Warehouse has no classifier
-- (Option WithClassifier): a few unambiguous title patterns, checked in this
-- order (scientist before engineer: "ML 데이터 사이언티스트" is a scientist).
-- Deliberately narrow: it sets the role column's shape, pkg/role the rules.
DELETE FROM external.recruit_role WHERE id IN (SELECT id FROM refresh_ids);
INSERT INTO external.recruit_role (id, role)
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
    SELECT e.id, lower(coalesce(e.title, '')) AS t
    FROM external.recruit_table e JOIN refresh_ids USING (id)
);
