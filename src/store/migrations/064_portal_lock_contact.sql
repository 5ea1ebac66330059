-- 064 portal (issue 15, session 6).
-- A lawyer's sign-in locks per bar licence number (律师执业证号), as a staff account locks: wrong licence numbers
-- and wrong one-time codes of a licence's sign-ins count; 5 → locked 30 minutes; a completed sign-in clears it.
CREATE TABLE portal_licence_lock (
    licence_no      TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL DEFAULT 0,
    locked_until_ms BIGINT NOT NULL DEFAULT 0
);
-- The court's contact for parties, shown on "my case" beside the handler's name (执行局 telephone, office hours):
-- a public office number, not personal data; set by the court's chief with the node SMS settings.
ALTER TABLE portal_court_setting ADD COLUMN contact_phone TEXT;
ALTER TABLE portal_court_setting ADD COLUMN contact_note TEXT;
