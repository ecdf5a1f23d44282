-- Read one clean NDJSON file of certification rows (cert.Stat per line)
-- into the batch's temp table.
INSERT INTO batch_cert
SELECT exam, jmcd, coalesce(stage, ''), year, coalesce(round, 0), applicants, examinees, passers,
       pass_rate, source, quality, note, coalesce(synthetic, false), origin
FROM read_json($path,
    format = 'newline_delimited',
    records = true,
    columns = {
        exam: 'VARCHAR', jmcd: 'VARCHAR', stage: 'VARCHAR', year: 'INTEGER', round: 'INTEGER',
        applicants: 'BIGINT', examinees: 'BIGINT', passers: 'BIGINT', pass_rate: 'DOUBLE',
        source: 'VARCHAR', quality: 'VARCHAR', note: 'VARCHAR', synthetic: 'BOOLEAN', origin: 'VARCHAR'
    });
