-- 018 search as a clerk types (issue 9 item 13): any part of a 案号 ("执352", "352") or of a party's
-- name ("建设银行") finds the case, from each engine's own text index — not a table scan.
-- One row per case (its 案号) and per party (its name): rowid = the enf_case / case_party id (ids are
-- unique across tables, core/ids.h), case_id = the case. Both stores answer the same query
--     SELECT case_id FROM case_search WHERE doc LIKE '%…%'
-- SQLite: an FTS5 table with the trigram tokenizer (SQLite ≥ 3.34 answers LIKE from it);
-- PostgreSQL: a plain table with a pg_trgm GIN index (pg_trgm is a trusted extension since PG 13).
-- Patterns under 3 characters cannot use a trigram index: the API sends those to the prefix search.
-- Kept by triggers on enf_case and case_party, so every writer (filing, import, demo) is covered.
-- Owner: ui9 (search, src/api/cases.c case_search). Dialect lines: see migrate.c dialect_sql().
-- @sqlite
CREATE VIRTUAL TABLE case_search USING fts5(doc, case_id UNINDEXED, tokenize = 'trigram');
CREATE TRIGGER case_search_case_ins AFTER INSERT ON enf_case BEGIN
    INSERT INTO case_search (rowid, case_id, doc) VALUES (NEW.id, NEW.id, NEW.case_no);
END;
CREATE TRIGGER case_search_case_upd AFTER UPDATE OF case_no ON enf_case BEGIN
    UPDATE case_search SET doc = NEW.case_no WHERE rowid = NEW.id;
END;
CREATE TRIGGER case_search_case_del AFTER DELETE ON enf_case BEGIN
    DELETE FROM case_search WHERE rowid = OLD.id;
END;
CREATE TRIGGER case_search_party_ins AFTER INSERT ON case_party BEGIN
    INSERT INTO case_search (rowid, case_id, doc) VALUES (NEW.id, NEW.case_id, NEW.name);
END;
CREATE TRIGGER case_search_party_upd AFTER UPDATE OF name ON case_party BEGIN
    UPDATE case_search SET doc = NEW.name WHERE rowid = NEW.id;
END;
CREATE TRIGGER case_search_party_del AFTER DELETE ON case_party BEGIN
    DELETE FROM case_search WHERE rowid = OLD.id;
END;
-- @postgres
-- in schema public, so that a store whose search_path names its own schema (tests, tenants) still
-- finds the operator class after another schema holding it was dropped
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE TABLE case_search (
    rowid   BIGINT PRIMARY KEY,
    case_id BIGINT NOT NULL,
    doc     TEXT NOT NULL
);
CREATE FUNCTION case_search_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO case_search (rowid, case_id, doc) VALUES (NEW.id, NEW.id, NEW.case_no);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE case_search SET doc = NEW.case_no WHERE rowid = NEW.id;
    ELSE
        DELETE FROM case_search WHERE rowid = OLD.id;
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION case_search_party() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO case_search (rowid, case_id, doc) VALUES (NEW.id, NEW.case_id, NEW.name);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE case_search SET doc = NEW.name WHERE rowid = NEW.id;
    ELSE
        DELETE FROM case_search WHERE rowid = OLD.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER case_search_case AFTER INSERT OR UPDATE OF case_no OR DELETE ON enf_case
    FOR EACH ROW EXECUTE FUNCTION case_search_case();
CREATE TRIGGER case_search_party AFTER INSERT OR UPDATE OF name OR DELETE ON case_party
    FOR EACH ROW EXECUTE FUNCTION case_search_party();
-- @both
-- existing cases and parties (stores created before this migration)
INSERT INTO case_search (rowid, case_id, doc) SELECT id, id, case_no FROM enf_case;
INSERT INTO case_search (rowid, case_id, doc) SELECT id, case_id, name FROM case_party;
-- @postgres
-- the index after the bulk fill (faster than maintaining it row by row)
CREATE INDEX case_search_doc ON case_search USING gin (doc public.gin_trgm_ops);
CREATE INDEX case_search_case ON case_search (case_id);
