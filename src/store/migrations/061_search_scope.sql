-- 061 search as a clerk types on PostgreSQL (issue 9 item 13): the search rows carry their case's court
-- and filing date, so a q= walk over pg_trgm's matches checks the court scope and the filing dates on the
-- search row it has already read for the recheck, and needs no enf_case look-up per match (EXPLAIN at 1M:
-- ~4 of every 5 buffers of the walk were the enf_case index and heap visits). The case row is read only
-- for a filter the search row does not carry (status, stage, handler …) and for the page shown.
-- SQLite keeps its FTS5 table as it is: there an UNINDEXED column is read from the content table by rowid,
-- which costs what the enf_case look-up costs (and SQLite already walks below the prefix search's cost).
-- Every writer of case_search (the triggers below, the history import, the benches' bulk loaders) fills
-- both columns on PostgreSQL. Owner: lead (src/api/cases.c case_search).
-- @postgres
ALTER TABLE case_search ADD COLUMN court_id BIGINT;
ALTER TABLE case_search ADD COLUMN filed_on TEXT;
UPDATE case_search SET court_id = e.court_id, filed_on = e.filed_on FROM enf_case e WHERE e.id = case_search.case_id;
CREATE OR REPLACE FUNCTION case_search_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO case_search (rowid, case_id, doc, court_id, filed_on) VALUES (NEW.id, NEW.id, NEW.case_no, NEW.court_id, NEW.filed_on);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE case_search SET doc = NEW.case_no, court_id = NEW.court_id, filed_on = NEW.filed_on WHERE rowid = NEW.id;
        IF NEW.court_id IS DISTINCT FROM OLD.court_id OR NEW.filed_on IS DISTINCT FROM OLD.filed_on THEN
            UPDATE case_search SET court_id = NEW.court_id, filed_on = NEW.filed_on WHERE case_id = NEW.id AND rowid <> NEW.id;
        END IF;
    ELSE
        DELETE FROM case_search WHERE rowid = OLD.id;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION case_search_party() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO case_search (rowid, case_id, doc, court_id, filed_on) VALUES (NEW.id, NEW.case_id, NEW.name, NEW.court_id, NEW.filed_on);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE case_search SET doc = NEW.name, court_id = NEW.court_id, filed_on = NEW.filed_on WHERE rowid = NEW.id;
    ELSE
        DELETE FROM case_search WHERE rowid = OLD.id;
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER case_search_case ON enf_case;
DROP TRIGGER case_search_party ON case_party;
CREATE TRIGGER case_search_case AFTER INSERT OR UPDATE OF case_no, court_id, filed_on OR DELETE ON enf_case
    FOR EACH ROW EXECUTE FUNCTION case_search_case();
CREATE TRIGGER case_search_party AFTER INSERT OR UPDATE OF name, court_id, filed_on OR DELETE ON case_party
    FOR EACH ROW EXECUTE FUNCTION case_search_party();
