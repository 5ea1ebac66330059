-- 014 command center (执行指挥中心, issue 14): 督办 supervision orders and their steps, 约谈 of a
-- court's 执行局长, 事项委托 / 委托执行 commissions between courts, 执行协调 coordination cases, 执行信访
-- petitions, the 24-hour duty roster and the urgent-matter log. Owner: src/command/, src/api/command*.c.
-- One dialect for SQLite and PostgreSQL (src/store/db.h). Dates TEXT 'YYYY-MM-DD', instants BIGINT ms.

-- 督办: a superior court supervises a lower court's case (法发〔2006〕11号).
CREATE TABLE supervision_order (
    id            BIGINT PRIMARY KEY,
    order_no      TEXT NOT NULL UNIQUE,          -- 督办函号 （2026）辽01执督3号
    case_id       BIGINT NOT NULL REFERENCES enf_case(id),
    from_court_id BIGINT NOT NULL REFERENCES court(id),  -- the supervising (superior) court
    to_court_id   BIGINT NOT NULL REFERENCES court(id),  -- the supervised court (the case's court)
    source        TEXT NOT NULL,                 -- complaint petition public_opinion review
    petition_id   BIGINT,                        -- when source = petition
    complaint_on  TEXT,                          -- day the complaint / report came in
    issued_on     TEXT NOT NULL,                 -- 督办函 sent
    due_on        TEXT NOT NULL,                 -- the lower court reports by this day
    request       TEXT NOT NULL,                 -- 督办事项
    status        TEXT NOT NULL,                 -- issued handling reported closed
    handler_id    BIGINT REFERENCES app_user(id),-- named by the lower court
    report        TEXT,
    reported_on   TEXT,
    escalation    TEXT,                          -- last escalation: chase call_file reassign elevate cross
    result        TEXT,                          -- closing opinion
    closed_on     TEXT,
    created_by    BIGINT NOT NULL,
    created_ms    BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
);
CREATE INDEX supervision_order_to ON supervision_order(to_court_id, status, due_on);
CREATE INDEX supervision_order_from ON supervision_order(from_court_id, status, due_on);
CREATE INDEX supervision_order_case ON supervision_order(case_id);

-- The timeline of a supervision order: issued, handler, report, reminder, chase, call_file,
-- reassign, elevate, cross, closed.
CREATE TABLE supervision_step (
    id          BIGINT PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES supervision_order(id),
    kind        TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    user_id     BIGINT,
    court_id    BIGINT,
    note        TEXT,
    created_ms  BIGINT NOT NULL
);
CREATE INDEX supervision_step_order ON supervision_step(order_id, created_ms);

-- 约谈: a superior court interviews a lower court's 执行局长 (recorded with its outcome).
CREATE TABLE court_interview (
    id          BIGINT PRIMARY KEY,
    court_id    BIGINT NOT NULL REFERENCES court(id),    -- the court whose chief is interviewed
    by_court_id BIGINT NOT NULL REFERENCES court(id),
    person      TEXT NOT NULL,                           -- 被约谈人
    title       TEXT NOT NULL,                           -- 执行局长 …
    held_on     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    order_id    BIGINT REFERENCES supervision_order(id),
    created_by  BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL
);
CREATE INDEX court_interview_court ON court_interview(court_id, held_on);

-- 事项委托 (kind task) and 委托执行 of a whole case (kind case).
CREATE TABLE commission (
    id             BIGINT PRIMARY KEY,
    commission_no  TEXT NOT NULL UNIQUE,          -- （2026）辽0102执委5号
    kind           TEXT NOT NULL,                 -- task | case
    task           TEXT NOT NULL,                 -- freeze_deposit … (rules/command.c), 'whole_case'
    case_id        BIGINT NOT NULL REFERENCES enf_case(id),
    from_court_id  BIGINT NOT NULL REFERENCES court(id),
    to_court_id    BIGINT NOT NULL REFERENCES court(id),
    request        TEXT NOT NULL,
    documents      TEXT NOT NULL,                 -- JSON array of attached document titles
    status         TEXT NOT NULL,                 -- sent accepted returned done
    sent_on        TEXT NOT NULL,
    accept_due_on  TEXT NOT NULL,                 -- accept or return by
    due_on         TEXT NOT NULL,                 -- complete by
    accepted_on    TEXT,
    handler_id     BIGINT REFERENCES app_user(id),
    return_reason  TEXT,
    return_note    TEXT,
    returned_on    TEXT,
    result         TEXT,
    evidence       TEXT,                          -- JSON array
    done_on        TEXT,
    created_by     BIGINT NOT NULL,
    created_ms     BIGINT NOT NULL,
    updated_ms     BIGINT NOT NULL
);
CREATE INDEX commission_to ON commission(to_court_id, status, due_on);
CREATE INDEX commission_from ON commission(from_court_id, status, due_on);
CREATE INDEX commission_case ON commission(case_id);

-- 执行协调: two courts dispute one asset or case; their common superior decides.
CREATE TABLE coordination (
    id              BIGINT PRIMARY KEY,
    coordination_no TEXT NOT NULL UNIQUE,         -- （2026）辽执协2号
    case_id         BIGINT NOT NULL REFERENCES enf_case(id),   -- the applying court's case
    other_case_no   TEXT,                                      -- the other court's case (may be elsewhere)
    court_a_id      BIGINT NOT NULL REFERENCES court(id),      -- applying court
    court_b_id      BIGINT NOT NULL REFERENCES court(id),      -- the other court
    superior_id     BIGINT NOT NULL REFERENCES court(id),      -- now deciding
    common_id       BIGINT NOT NULL REFERENCES court(id),      -- lowest common superior
    asset           TEXT NOT NULL,
    dispute         TEXT NOT NULL,
    status          TEXT NOT NULL,                -- open decided
    filed_on        TEXT NOT NULL,
    level_since     TEXT NOT NULL,                -- when the current level got it
    level_due_on    TEXT NOT NULL,                -- one month per level
    decision        TEXT,
    decided_on      TEXT,
    created_by      BIGINT NOT NULL,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
);
CREATE INDEX coordination_superior ON coordination(superior_id, status);
CREATE INDEX coordination_case ON coordination(case_id);

-- 执行信访. received_on → registered (5 working days) → closed with a reply (30 working days).
CREATE TABLE petition (
    id               BIGINT PRIMARY KEY,
    petition_no      TEXT NOT NULL UNIQUE,
    court_id         BIGINT NOT NULL REFERENCES court(id),
    channel          TEXT NOT NULL,               -- visit letter phone portal referral
    petitioner_name  TEXT NOT NULL,
    content          TEXT NOT NULL,
    case_id          BIGINT REFERENCES enf_case(id),
    case_no          TEXT,
    received_on      TEXT NOT NULL,
    register_due_on  TEXT NOT NULL,
    registered_on    TEXT,
    due_on           TEXT NOT NULL,
    is_repeat        INTEGER NOT NULL DEFAULT 0,  -- 重复信访
    referred_by_id   BIGINT REFERENCES court(id), -- 上级交办
    status           TEXT NOT NULL,               -- received registered closed
    reply            TEXT,
    closed_on        TEXT,
    resolved         INTEGER NOT NULL DEFAULT 0,  -- 化解 (息访)
    imported         INTEGER NOT NULL DEFAULT 0,
    created_by       BIGINT,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
);
-- indicator scans: per court, by closed_on then received_on (docs/INDICATORS.md §8)
CREATE INDEX petition_ind ON petition(court_id, closed_on, received_on, resolved, due_on);
CREATE INDEX petition_court_status ON petition(court_id, status, due_on);
CREATE INDEX petition_case ON petition(case_id);

-- 24-hour duty (备勤): who is on call when.
CREATE TABLE duty_shift (
    id          BIGINT PRIMARY KEY,
    court_id    BIGINT NOT NULL REFERENCES court(id),
    user_id     BIGINT NOT NULL REFERENCES app_user(id),
    starts_ms   BIGINT NOT NULL,
    ends_ms     BIGINT NOT NULL,
    role_note   TEXT,                             -- 带班 / 值班 …
    created_by  BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL
);
CREATE INDEX duty_shift_court ON duty_shift(court_id, starts_ms);

-- Urgent matters (a debtor seen at an airport, a vehicle located), routed to the on-call officer.
CREATE TABLE urgent_matter (
    id            BIGINT PRIMARY KEY,
    court_id      BIGINT NOT NULL REFERENCES court(id),
    case_id       BIGINT REFERENCES enf_case(id),
    kind          TEXT NOT NULL,                  -- debtor_located vehicle_located asset_moving other
    summary       TEXT NOT NULL,
    location      TEXT,
    reported_ms   BIGINT NOT NULL,
    reported_by   BIGINT NOT NULL,
    assigned_to   BIGINT REFERENCES app_user(id), -- on call at reporting time
    status        TEXT NOT NULL,                  -- open handled
    outcome       TEXT,
    handled_ms    BIGINT
);
CREATE INDEX urgent_matter_court ON urgent_matter(court_id, status, reported_ms);
