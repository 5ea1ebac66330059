-- rollup_rebuild.sql — the command center's roll-ups (migration 046) rebuilt from the case and petition
-- rows in ONE set-based pass: the same sums the triggers keep row by row (bench/70-command.sh checks at
-- small N that both give exactly the same rows). One dialect for both stores. Used after a bulk load
-- that ran with the roll-up triggers off (bench/command/bulk.sh).
DELETE FROM cmd_rollup;
DELETE FROM cmd_open_limit;
INSERT INTO cmd_rollup (court_id, grain, period, fy, filed, closed, closed_actual, closed_interim, closed_on_time,
                        asset_closed, asset_actual, asset_actual_on_time, interim_compliant, claim_fen, recovered_fen,
                        pet_received, pet_closed, pet_on_time, pet_resolved)
SELECT court_id, 'd', day, fy, SUM(f), SUM(c), SUM(ca), SUM(ci), SUM(ct), SUM(ac), SUM(aa), SUM(aat), SUM(ic), SUM(cf),
       SUM(rf), SUM(pr), SUM(pc), SUM(pt), SUM(pz)
FROM (
    SELECT court_id, filed_on AS day, CAST(substr(filed_on, 1, 4) AS INTEGER) AS fy, 1 AS f, 0 AS c, 0 AS ca, 0 AS ci,
           0 AS ct, 0 AS ac, 0 AS aa, 0 AS aat, 0 AS ic, 0 AS cf, 0 AS rf, 0 AS pr, 0 AS pc, 0 AS pt, 0 AS pz
    FROM enf_case WHERE type_code IN ('执','执恢','执保')
    UNION ALL
    SELECT court_id, closed_on, CAST(substr(filed_on, 1, 4) AS INTEGER), 0, 1,
           CASE WHEN closure_mode IN ('completed','termination') THEN 1 ELSE 0 END,
           CASE WHEN closure_mode = 'interim_closure' THEN 1 ELSE 0 END,
           CASE WHEN closed_on <= limit_date THEN 1 ELSE 0 END,
           CASE WHEN has_assets = 1 THEN 1 ELSE 0 END,
           CASE WHEN has_assets = 1 AND closure_mode IN ('completed','termination') THEN 1 ELSE 0 END,
           CASE WHEN has_assets = 1 AND closed_on <= limit_date AND closure_mode IN ('completed','termination') THEN 1 ELSE 0 END,
           CASE WHEN closure_mode = 'interim_closure' AND gate_passed = 1 THEN 1 ELSE 0 END,
           claim_fen, recovered_fen, 0, 0, 0, 0
    FROM enf_case WHERE type_code IN ('执','执恢','执保') AND closed_on IS NOT NULL
    UNION ALL
    SELECT court_id, received_on, CAST(substr(received_on, 1, 4) AS INTEGER), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0
    FROM petition
    UNION ALL
    SELECT court_id, closed_on, CAST(substr(received_on, 1, 4) AS INTEGER), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
           CASE WHEN closed_on <= due_on THEN 1 ELSE 0 END, resolved
    FROM petition WHERE closed_on IS NOT NULL
) u GROUP BY court_id, day, fy;
INSERT INTO cmd_rollup (court_id, grain, period, fy, filed, closed, closed_actual, closed_interim, closed_on_time,
                        asset_closed, asset_actual, asset_actual_on_time, interim_compliant, claim_fen, recovered_fen,
                        pet_received, pet_closed, pet_on_time, pet_resolved)
SELECT court_id, 'm', substr(period, 1, 7), fy, SUM(filed), SUM(closed), SUM(closed_actual), SUM(closed_interim),
       SUM(closed_on_time), SUM(asset_closed), SUM(asset_actual), SUM(asset_actual_on_time), SUM(interim_compliant),
       SUM(claim_fen), SUM(recovered_fen), SUM(pet_received), SUM(pet_closed), SUM(pet_on_time), SUM(pet_resolved)
FROM cmd_rollup WHERE grain = 'd' GROUP BY court_id, substr(period, 1, 7), fy;
INSERT INTO cmd_open_limit (court_id, limit_date, n)
SELECT court_id, COALESCE(limit_date, ''), COUNT(*) FROM enf_case
WHERE type_code IN ('执','执恢','执保') AND closed_on IS NULL GROUP BY court_id, COALESCE(limit_date, '');
