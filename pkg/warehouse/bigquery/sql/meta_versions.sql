-- The content hash of each meta table as last loaded (RefreshMeta).
SELECT table_name, `hash`, `rows`, loaded_at FROM `meta.versions`
