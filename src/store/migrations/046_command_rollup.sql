-- 046 command center roll-ups (issue 14 benchmark: the dashboard and the "3+1" of a province of
-- 10,000,000 cases). The indicators need, per court, sums over days: cases filed, cases closed (with
-- mode, assets, on time, 终本 gate, claim, recovered) and petitions received / closed. These tables hold
-- exactly those sums per court per DAY and per MONTH (grain 'd' / 'm'), split by the year the cases were
-- filed (fy: the "+1" 近三年整体结案率 counts closures of cases filed since 1 January two years back).
-- A query over [from, to] reads whole months from the 'm' rows and the partial months at the edges
-- from the 'd' rows (src/command/rollup.c): its cost depends on courts × months, not on cases.
-- cmd_open_limit counts open implementation cases per court by their current deadline (limit_date):
-- the dashboard's 超期未结 / 五日内到期 without scanning open cases.
-- Kept by triggers on enf_case and petition IN THE SAME TRANSACTION as the change, so every writer
-- (filing, closure, clocks, funds arrivals, import, demo) is covered and the figures are never stale:
-- each trigger takes the row's old contribution off and puts the new one on. Only implementation-class
-- cases (执 / 执恢 / 执保) count, as in src/case/indicators.c. Owner: command14 (src/command/rollup.c).
-- Dialect lines: see migrate.c dialect_sql().
CREATE TABLE cmd_rollup (
    court_id             BIGINT NOT NULL,
    grain                TEXT NOT NULL,            -- 'd' (period YYYY-MM-DD) | 'm' (period YYYY-MM)
    period               TEXT NOT NULL,
    fy                   INTEGER NOT NULL,         -- filing year of the cases (petitions: year received)
    filed                BIGINT NOT NULL DEFAULT 0,  -- cases filed in the period
    closed               BIGINT NOT NULL DEFAULT 0,  -- cases closed in the period
    closed_actual        BIGINT NOT NULL DEFAULT 0,  -- … completed or termination
    closed_interim       BIGINT NOT NULL DEFAULT 0,  -- … interim_closure (终本)
    closed_on_time       BIGINT NOT NULL DEFAULT 0,  -- … closed_on <= limit_date
    asset_closed         BIGINT NOT NULL DEFAULT 0,  -- … with has_assets
    asset_actual         BIGINT NOT NULL DEFAULT 0,
    asset_actual_on_time BIGINT NOT NULL DEFAULT 0,
    interim_compliant    BIGINT NOT NULL DEFAULT 0,  -- 终本 with gate_passed = 1
    claim_fen            BIGINT NOT NULL DEFAULT 0,  -- Σ claim of the closed cases
    recovered_fen        BIGINT NOT NULL DEFAULT 0,  -- Σ recovered of the closed cases
    pet_received         BIGINT NOT NULL DEFAULT 0,  -- petitions received in the period
    pet_closed           BIGINT NOT NULL DEFAULT 0,  -- petitions closed in the period
    pet_on_time          BIGINT NOT NULL DEFAULT 0,  -- … by their due day
    pet_resolved         BIGINT NOT NULL DEFAULT 0,  -- … resolved (化解)
    PRIMARY KEY (court_id, grain, period, fy)
);
CREATE TABLE cmd_open_limit (
    court_id   BIGINT NOT NULL,
    limit_date TEXT NOT NULL,                      -- '' when the case has no deadline yet
    n          BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (court_id, limit_date)
);
-- @sqlite
CREATE TRIGGER cmd_rollup_case_ins AFTER INSERT ON enf_case WHEN NEW.type_code IN ('执','执恢','执保') BEGIN
    INSERT INTO cmd_rollup (court_id, grain, period, fy, filed)
        SELECT NEW.court_id, g, CASE WHEN g = 'd' THEN NEW.filed_on ELSE substr(NEW.filed_on, 1, 7) END,
               CAST(substr(NEW.filed_on, 1, 4) AS INTEGER), 1 FROM (SELECT 'd' AS g UNION ALL SELECT 'm') WHERE true
        ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET filed = filed + 1;
    INSERT INTO cmd_rollup (court_id, grain, period, fy, closed, closed_actual, closed_interim, closed_on_time,
                            asset_closed, asset_actual, asset_actual_on_time, interim_compliant, claim_fen, recovered_fen)
        SELECT NEW.court_id, g, CASE WHEN g = 'd' THEN NEW.closed_on ELSE substr(NEW.closed_on, 1, 7) END,
               CAST(substr(NEW.filed_on, 1, 4) AS INTEGER), 1, a, i, t, h, h * a, h * a * t, i * gp, NEW.claim_fen,
               NEW.recovered_fen
        FROM (SELECT 'd' AS g UNION ALL SELECT 'm'),
             (SELECT CASE WHEN NEW.closure_mode IN ('completed','termination') THEN 1 ELSE 0 END AS a,
                     CASE WHEN NEW.closure_mode = 'interim_closure' THEN 1 ELSE 0 END AS i,
                     CASE WHEN NEW.closed_on <= NEW.limit_date THEN 1 ELSE 0 END AS t,
                     CASE WHEN NEW.has_assets = 1 THEN 1 ELSE 0 END AS h,
                     CASE WHEN NEW.gate_passed = 1 THEN 1 ELSE 0 END AS gp)
        WHERE NEW.closed_on IS NOT NULL
        ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET closed = closed + excluded.closed,
            closed_actual = closed_actual + excluded.closed_actual, closed_interim = closed_interim + excluded.closed_interim,
            closed_on_time = closed_on_time + excluded.closed_on_time, asset_closed = asset_closed + excluded.asset_closed,
            asset_actual = asset_actual + excluded.asset_actual,
            asset_actual_on_time = asset_actual_on_time + excluded.asset_actual_on_time,
            interim_compliant = interim_compliant + excluded.interim_compliant, claim_fen = claim_fen + excluded.claim_fen,
            recovered_fen = recovered_fen + excluded.recovered_fen;
    INSERT INTO cmd_open_limit (court_id, limit_date, n) SELECT NEW.court_id, COALESCE(NEW.limit_date, ''), 1
        WHERE NEW.closed_on IS NULL ON CONFLICT (court_id, limit_date) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cmd_rollup_case_del AFTER DELETE ON enf_case WHEN OLD.type_code IN ('执','执恢','执保') BEGIN
    UPDATE cmd_rollup SET filed = filed - 1 WHERE court_id = OLD.court_id AND fy = CAST(substr(OLD.filed_on, 1, 4) AS INTEGER)
        AND ((grain = 'd' AND period = OLD.filed_on) OR (grain = 'm' AND period = substr(OLD.filed_on, 1, 7)));
    UPDATE cmd_rollup SET closed = closed - 1,
        closed_actual = closed_actual - (CASE WHEN OLD.closure_mode IN ('completed','termination') THEN 1 ELSE 0 END),
        closed_interim = closed_interim - (CASE WHEN OLD.closure_mode = 'interim_closure' THEN 1 ELSE 0 END),
        closed_on_time = closed_on_time - (CASE WHEN OLD.closed_on <= OLD.limit_date THEN 1 ELSE 0 END),
        asset_closed = asset_closed - (CASE WHEN OLD.has_assets = 1 THEN 1 ELSE 0 END),
        asset_actual = asset_actual - (CASE WHEN OLD.has_assets = 1 AND OLD.closure_mode IN ('completed','termination') THEN 1 ELSE 0 END),
        asset_actual_on_time = asset_actual_on_time - (CASE WHEN OLD.has_assets = 1 AND OLD.closed_on <= OLD.limit_date
                                   AND OLD.closure_mode IN ('completed','termination') THEN 1 ELSE 0 END),
        interim_compliant = interim_compliant - (CASE WHEN OLD.closure_mode = 'interim_closure' AND OLD.gate_passed = 1 THEN 1 ELSE 0 END),
        claim_fen = claim_fen - OLD.claim_fen, recovered_fen = recovered_fen - OLD.recovered_fen
        WHERE OLD.closed_on IS NOT NULL AND court_id = OLD.court_id AND fy = CAST(substr(OLD.filed_on, 1, 4) AS INTEGER)
        AND ((grain = 'd' AND period = OLD.closed_on) OR (grain = 'm' AND period = substr(OLD.closed_on, 1, 7)));
    UPDATE cmd_open_limit SET n = n - 1 WHERE OLD.closed_on IS NULL AND court_id = OLD.court_id
        AND limit_date = COALESCE(OLD.limit_date, '');
END;
-- an update = the old row's contribution off (the delete body), the new one on (the insert body);
-- only when a counted column changed
CREATE TRIGGER cmd_rollup_case_upd AFTER UPDATE OF court_id, type_code, filed_on, closed_on, closure_mode, has_assets,
    limit_date, gate_passed, claim_fen, recovered_fen ON enf_case
    WHEN (OLD.type_code IN ('执','执恢','执保') OR NEW.type_code IN ('执','执恢','执保')) AND (
        OLD.court_id IS NOT NEW.court_id OR OLD.type_code IS NOT NEW.type_code OR OLD.filed_on IS NOT NEW.filed_on
        OR OLD.closed_on IS NOT NEW.closed_on OR OLD.closure_mode IS NOT NEW.closure_mode
        OR OLD.has_assets IS NOT NEW.has_assets OR OLD.limit_date IS NOT NEW.limit_date
        OR OLD.gate_passed IS NOT NEW.gate_passed OR OLD.claim_fen IS NOT NEW.claim_fen
        OR OLD.recovered_fen IS NOT NEW.recovered_fen) BEGIN
    UPDATE cmd_rollup SET filed = filed - 1 WHERE OLD.type_code IN ('执','执恢','执保')
        AND (OLD.court_id IS NOT NEW.court_id OR OLD.filed_on IS NOT NEW.filed_on OR OLD.type_code IS NOT NEW.type_code)
        AND court_id = OLD.court_id AND fy = CAST(substr(OLD.filed_on, 1, 4) AS INTEGER)
        AND ((grain = 'd' AND period = OLD.filed_on) OR (grain = 'm' AND period = substr(OLD.filed_on, 1, 7)));
    INSERT INTO cmd_rollup (court_id, grain, period, fy, filed)
        SELECT NEW.court_id, g, CASE WHEN g = 'd' THEN NEW.filed_on ELSE substr(NEW.filed_on, 1, 7) END,
               CAST(substr(NEW.filed_on, 1, 4) AS INTEGER), 1 FROM (SELECT 'd' AS g UNION ALL SELECT 'm')
        WHERE NEW.type_code IN ('执','执恢','执保')
          AND (OLD.court_id IS NOT NEW.court_id OR OLD.filed_on IS NOT NEW.filed_on OR OLD.type_code IS NOT NEW.type_code)
        ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET filed = filed + 1;
    UPDATE cmd_rollup SET closed = closed - 1,
        closed_actual = closed_actual - (CASE WHEN OLD.closure_mode IN ('completed','termination') THEN 1 ELSE 0 END),
        closed_interim = closed_interim - (CASE WHEN OLD.closure_mode = 'interim_closure' THEN 1 ELSE 0 END),
        closed_on_time = closed_on_time - (CASE WHEN OLD.closed_on <= OLD.limit_date THEN 1 ELSE 0 END),
        asset_closed = asset_closed - (CASE WHEN OLD.has_assets = 1 THEN 1 ELSE 0 END),
        asset_actual = asset_actual - (CASE WHEN OLD.has_assets = 1 AND OLD.closure_mode IN ('completed','termination') THEN 1 ELSE 0 END),
        asset_actual_on_time = asset_actual_on_time - (CASE WHEN OLD.has_assets = 1 AND OLD.closed_on <= OLD.limit_date
                                   AND OLD.closure_mode IN ('completed','termination') THEN 1 ELSE 0 END),
        interim_compliant = interim_compliant - (CASE WHEN OLD.closure_mode = 'interim_closure' AND OLD.gate_passed = 1 THEN 1 ELSE 0 END),
        claim_fen = claim_fen - OLD.claim_fen, recovered_fen = recovered_fen - OLD.recovered_fen
        WHERE OLD.type_code IN ('执','执恢','执保') AND OLD.closed_on IS NOT NULL AND court_id = OLD.court_id
        AND fy = CAST(substr(OLD.filed_on, 1, 4) AS INTEGER)
        AND ((grain = 'd' AND period = OLD.closed_on) OR (grain = 'm' AND period = substr(OLD.closed_on, 1, 7)));
    INSERT INTO cmd_rollup (court_id, grain, period, fy, closed, closed_actual, closed_interim, closed_on_time,
                            asset_closed, asset_actual, asset_actual_on_time, interim_compliant, claim_fen, recovered_fen)
        SELECT NEW.court_id, g, CASE WHEN g = 'd' THEN NEW.closed_on ELSE substr(NEW.closed_on, 1, 7) END,
               CAST(substr(NEW.filed_on, 1, 4) AS INTEGER), 1, a, i, t, h, h * a, h * a * t, i * gp, NEW.claim_fen,
               NEW.recovered_fen
        FROM (SELECT 'd' AS g UNION ALL SELECT 'm'),
             (SELECT CASE WHEN NEW.closure_mode IN ('completed','termination') THEN 1 ELSE 0 END AS a,
                     CASE WHEN NEW.closure_mode = 'interim_closure' THEN 1 ELSE 0 END AS i,
                     CASE WHEN NEW.closed_on <= NEW.limit_date THEN 1 ELSE 0 END AS t,
                     CASE WHEN NEW.has_assets = 1 THEN 1 ELSE 0 END AS h,
                     CASE WHEN NEW.gate_passed = 1 THEN 1 ELSE 0 END AS gp)
        WHERE NEW.type_code IN ('执','执恢','执保') AND NEW.closed_on IS NOT NULL
        ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET closed = closed + excluded.closed,
            closed_actual = closed_actual + excluded.closed_actual, closed_interim = closed_interim + excluded.closed_interim,
            closed_on_time = closed_on_time + excluded.closed_on_time, asset_closed = asset_closed + excluded.asset_closed,
            asset_actual = asset_actual + excluded.asset_actual,
            asset_actual_on_time = asset_actual_on_time + excluded.asset_actual_on_time,
            interim_compliant = interim_compliant + excluded.interim_compliant, claim_fen = claim_fen + excluded.claim_fen,
            recovered_fen = recovered_fen + excluded.recovered_fen;
    UPDATE cmd_open_limit SET n = n - 1 WHERE OLD.type_code IN ('执','执恢','执保') AND OLD.closed_on IS NULL
        AND court_id = OLD.court_id AND limit_date = COALESCE(OLD.limit_date, '');
    INSERT INTO cmd_open_limit (court_id, limit_date, n) SELECT NEW.court_id, COALESCE(NEW.limit_date, ''), 1
        WHERE NEW.type_code IN ('执','执恢','执保') AND NEW.closed_on IS NULL
        ON CONFLICT (court_id, limit_date) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cmd_rollup_pet_ins AFTER INSERT ON petition BEGIN
    INSERT INTO cmd_rollup (court_id, grain, period, fy, pet_received)
        SELECT NEW.court_id, g, CASE WHEN g = 'd' THEN NEW.received_on ELSE substr(NEW.received_on, 1, 7) END,
               CAST(substr(NEW.received_on, 1, 4) AS INTEGER), 1 FROM (SELECT 'd' AS g UNION ALL SELECT 'm') WHERE true
        ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET pet_received = pet_received + 1;
    INSERT INTO cmd_rollup (court_id, grain, period, fy, pet_closed, pet_on_time, pet_resolved)
        SELECT NEW.court_id, g, CASE WHEN g = 'd' THEN NEW.closed_on ELSE substr(NEW.closed_on, 1, 7) END,
               CAST(substr(NEW.received_on, 1, 4) AS INTEGER), 1,
               CASE WHEN NEW.closed_on <= NEW.due_on THEN 1 ELSE 0 END, NEW.resolved
        FROM (SELECT 'd' AS g UNION ALL SELECT 'm') WHERE NEW.closed_on IS NOT NULL
        ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET pet_closed = pet_closed + 1,
            pet_on_time = pet_on_time + excluded.pet_on_time, pet_resolved = pet_resolved + excluded.pet_resolved;
END;
CREATE TRIGGER cmd_rollup_pet_del AFTER DELETE ON petition BEGIN
    UPDATE cmd_rollup SET pet_received = pet_received - 1 WHERE court_id = OLD.court_id
        AND fy = CAST(substr(OLD.received_on, 1, 4) AS INTEGER)
        AND ((grain = 'd' AND period = OLD.received_on) OR (grain = 'm' AND period = substr(OLD.received_on, 1, 7)));
    UPDATE cmd_rollup SET pet_closed = pet_closed - 1,
        pet_on_time = pet_on_time - (CASE WHEN OLD.closed_on <= OLD.due_on THEN 1 ELSE 0 END),
        pet_resolved = pet_resolved - OLD.resolved
        WHERE OLD.closed_on IS NOT NULL AND court_id = OLD.court_id AND fy = CAST(substr(OLD.received_on, 1, 4) AS INTEGER)
        AND ((grain = 'd' AND period = OLD.closed_on) OR (grain = 'm' AND period = substr(OLD.closed_on, 1, 7)));
END;
CREATE TRIGGER cmd_rollup_pet_upd AFTER UPDATE OF court_id, received_on, closed_on, due_on, resolved ON petition
    WHEN OLD.court_id IS NOT NEW.court_id OR OLD.received_on IS NOT NEW.received_on OR OLD.closed_on IS NOT NEW.closed_on
        OR OLD.due_on IS NOT NEW.due_on OR OLD.resolved IS NOT NEW.resolved BEGIN
    UPDATE cmd_rollup SET pet_received = pet_received - 1 WHERE court_id = OLD.court_id
        AND fy = CAST(substr(OLD.received_on, 1, 4) AS INTEGER)
        AND ((grain = 'd' AND period = OLD.received_on) OR (grain = 'm' AND period = substr(OLD.received_on, 1, 7)));
    UPDATE cmd_rollup SET pet_closed = pet_closed - 1,
        pet_on_time = pet_on_time - (CASE WHEN OLD.closed_on <= OLD.due_on THEN 1 ELSE 0 END),
        pet_resolved = pet_resolved - OLD.resolved
        WHERE OLD.closed_on IS NOT NULL AND court_id = OLD.court_id AND fy = CAST(substr(OLD.received_on, 1, 4) AS INTEGER)
        AND ((grain = 'd' AND period = OLD.closed_on) OR (grain = 'm' AND period = substr(OLD.closed_on, 1, 7)));
    INSERT INTO cmd_rollup (court_id, grain, period, fy, pet_received)
        SELECT NEW.court_id, g, CASE WHEN g = 'd' THEN NEW.received_on ELSE substr(NEW.received_on, 1, 7) END,
               CAST(substr(NEW.received_on, 1, 4) AS INTEGER), 1 FROM (SELECT 'd' AS g UNION ALL SELECT 'm') WHERE true
        ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET pet_received = pet_received + 1;
    INSERT INTO cmd_rollup (court_id, grain, period, fy, pet_closed, pet_on_time, pet_resolved)
        SELECT NEW.court_id, g, CASE WHEN g = 'd' THEN NEW.closed_on ELSE substr(NEW.closed_on, 1, 7) END,
               CAST(substr(NEW.received_on, 1, 4) AS INTEGER), 1,
               CASE WHEN NEW.closed_on <= NEW.due_on THEN 1 ELSE 0 END, NEW.resolved
        FROM (SELECT 'd' AS g UNION ALL SELECT 'm') WHERE NEW.closed_on IS NOT NULL
        ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET pet_closed = pet_closed + 1,
            pet_on_time = pet_on_time + excluded.pet_on_time, pet_resolved = pet_resolved + excluded.pet_resolved;
END;
-- @postgres
-- one function applies a case row's contribution with a sign (+1 / −1) to both grains
CREATE FUNCTION cmd_rollup_case_apply(r enf_case, sgn INTEGER, with_filed BOOLEAN, with_rest BOOLEAN) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_fy INTEGER := CAST(substr(r.filed_on, 1, 4) AS INTEGER);
    a INTEGER := CASE WHEN r.closure_mode IN ('completed','termination') THEN 1 ELSE 0 END;
    i INTEGER := CASE WHEN r.closure_mode = 'interim_closure' THEN 1 ELSE 0 END;
    t INTEGER := CASE WHEN r.closed_on <= r.limit_date THEN 1 ELSE 0 END;
    h INTEGER := CASE WHEN r.has_assets = 1 THEN 1 ELSE 0 END;
    gp INTEGER := CASE WHEN r.gate_passed = 1 THEN 1 ELSE 0 END;
BEGIN
    IF r.type_code NOT IN ('执','执恢','执保') THEN
        RETURN;
    END IF;
    IF with_filed THEN
        INSERT INTO cmd_rollup AS x (court_id, grain, period, fy, filed)
            VALUES (r.court_id, 'd', r.filed_on, v_fy, sgn), (r.court_id, 'm', substr(r.filed_on, 1, 7), v_fy, sgn)
            ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET filed = x.filed + EXCLUDED.filed;
    END IF;
    IF NOT with_rest THEN
        RETURN;
    END IF;
    IF r.closed_on IS NOT NULL THEN
        INSERT INTO cmd_rollup AS x (court_id, grain, period, fy, closed, closed_actual, closed_interim, closed_on_time,
                                     asset_closed, asset_actual, asset_actual_on_time, interim_compliant, claim_fen,
                                     recovered_fen)
            SELECT r.court_id, g, CASE WHEN g = 'd' THEN r.closed_on ELSE substr(r.closed_on, 1, 7) END, v_fy, sgn,
                   sgn * a, sgn * i, sgn * t, sgn * h, sgn * h * a, sgn * h * a * t, sgn * i * gp,
                   sgn * r.claim_fen, sgn * r.recovered_fen
            FROM (VALUES ('d'), ('m')) AS gg(g)
            ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET closed = x.closed + EXCLUDED.closed,
                closed_actual = x.closed_actual + EXCLUDED.closed_actual,
                closed_interim = x.closed_interim + EXCLUDED.closed_interim,
                closed_on_time = x.closed_on_time + EXCLUDED.closed_on_time,
                asset_closed = x.asset_closed + EXCLUDED.asset_closed, asset_actual = x.asset_actual + EXCLUDED.asset_actual,
                asset_actual_on_time = x.asset_actual_on_time + EXCLUDED.asset_actual_on_time,
                interim_compliant = x.interim_compliant + EXCLUDED.interim_compliant,
                claim_fen = x.claim_fen + EXCLUDED.claim_fen, recovered_fen = x.recovered_fen + EXCLUDED.recovered_fen;
    ELSE
        INSERT INTO cmd_open_limit AS x (court_id, limit_date, n) VALUES (r.court_id, COALESCE(r.limit_date, ''), sgn)
            ON CONFLICT (court_id, limit_date) DO UPDATE SET n = x.n + EXCLUDED.n;
    END IF;
END $$;
CREATE FUNCTION cmd_rollup_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    filed_moved BOOLEAN;
    rest_moved BOOLEAN;
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM cmd_rollup_case_apply(NEW, 1, true, true);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM cmd_rollup_case_apply(OLD, -1, true, true);
    ELSE
        filed_moved := OLD.court_id IS DISTINCT FROM NEW.court_id OR OLD.filed_on IS DISTINCT FROM NEW.filed_on
                       OR OLD.type_code IS DISTINCT FROM NEW.type_code;
        rest_moved := filed_moved OR OLD.closed_on IS DISTINCT FROM NEW.closed_on
                      OR OLD.closure_mode IS DISTINCT FROM NEW.closure_mode OR OLD.has_assets IS DISTINCT FROM NEW.has_assets
                      OR OLD.limit_date IS DISTINCT FROM NEW.limit_date OR OLD.gate_passed IS DISTINCT FROM NEW.gate_passed
                      OR OLD.claim_fen IS DISTINCT FROM NEW.claim_fen OR OLD.recovered_fen IS DISTINCT FROM NEW.recovered_fen;
        IF filed_moved OR rest_moved THEN
            PERFORM cmd_rollup_case_apply(OLD, -1, filed_moved, rest_moved);
            PERFORM cmd_rollup_case_apply(NEW, 1, filed_moved, rest_moved);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER cmd_rollup_case AFTER INSERT OR DELETE OR UPDATE OF court_id, type_code, filed_on, closed_on, closure_mode,
    has_assets, limit_date, gate_passed, claim_fen, recovered_fen ON enf_case
    FOR EACH ROW EXECUTE FUNCTION cmd_rollup_case();
CREATE FUNCTION cmd_rollup_pet_apply(r petition, sgn INTEGER) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_fy INTEGER := CAST(substr(r.received_on, 1, 4) AS INTEGER);
BEGIN
    INSERT INTO cmd_rollup AS x (court_id, grain, period, fy, pet_received)
        VALUES (r.court_id, 'd', r.received_on, v_fy, sgn), (r.court_id, 'm', substr(r.received_on, 1, 7), v_fy, sgn)
        ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET pet_received = x.pet_received + EXCLUDED.pet_received;
    IF r.closed_on IS NOT NULL THEN
        INSERT INTO cmd_rollup AS x (court_id, grain, period, fy, pet_closed, pet_on_time, pet_resolved)
            SELECT r.court_id, g, CASE WHEN g = 'd' THEN r.closed_on ELSE substr(r.closed_on, 1, 7) END, v_fy, sgn,
                   sgn * (CASE WHEN r.closed_on <= r.due_on THEN 1 ELSE 0 END), sgn * r.resolved
            FROM (VALUES ('d'), ('m')) AS gg(g)
            ON CONFLICT (court_id, grain, period, fy) DO UPDATE SET pet_closed = x.pet_closed + EXCLUDED.pet_closed,
                pet_on_time = x.pet_on_time + EXCLUDED.pet_on_time, pet_resolved = x.pet_resolved + EXCLUDED.pet_resolved;
    END IF;
END $$;
CREATE FUNCTION cmd_rollup_pet() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM cmd_rollup_pet_apply(NEW, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM cmd_rollup_pet_apply(OLD, -1);
    ELSIF OLD.court_id IS DISTINCT FROM NEW.court_id OR OLD.received_on IS DISTINCT FROM NEW.received_on
          OR OLD.closed_on IS DISTINCT FROM NEW.closed_on OR OLD.due_on IS DISTINCT FROM NEW.due_on
          OR OLD.resolved IS DISTINCT FROM NEW.resolved THEN
        PERFORM cmd_rollup_pet_apply(OLD, -1);
        PERFORM cmd_rollup_pet_apply(NEW, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER cmd_rollup_pet AFTER INSERT OR DELETE OR UPDATE OF court_id, received_on, closed_on, due_on, resolved
    ON petition FOR EACH ROW EXECUTE FUNCTION cmd_rollup_pet();
-- @both
-- existing cases and petitions (stores created before this migration); also `zhixing command rollup`
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
