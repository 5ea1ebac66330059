-- 004 credit: 失信被执行人名单 (dishonest list), 限制消费 (consumption restriction), the change feed
-- that partners and the in-memory snapshot follow, partner query log and interception reports.
-- One dialect for SQLite and PostgreSQL (see src/store/db.h). Ids come from the application.
-- Owner: credit engine (src/credit/). The decision rules (grounds, grace, deletion, correction) are
-- written on top of these tables by src/credit/ decision code; every change to credit_entry appends
-- one credit_change row in the same transaction (src/credit/entry.h zx_credit_entry_save()).

-- The nine restricted items of 限消规定 (法释〔2010〕8号, amended 2015) art 3 as codes. The same table
-- lives in C (src/credit/entry.h ZX_CAT_*, with bit numbers); this copy is for SQL reporting/joins.
CREATE TABLE restricted_category (
    code        TEXT PRIMARY KEY,             -- flight, train_sleeper, …
    bit         INTEGER NOT NULL UNIQUE,      -- bit in the snapshot's category mask
    item        INTEGER NOT NULL,             -- 限消规定 art 3 item (1–9)
    label       TEXT NOT NULL                 -- Chinese label used in statistics ("限制乘坐飞机")
);
INSERT INTO restricted_category (code, bit, item, label) VALUES ('flight', 0, 1, '限制乘坐飞机');
INSERT INTO restricted_category (code, bit, item, label) VALUES ('train_sleeper', 1, 1, '限制乘坐列车软卧');
INSERT INTO restricted_category (code, bit, item, label) VALUES ('ship_cabin', 2, 1, '限制乘坐轮船二等以上舱位');
INSERT INTO restricted_category (code, bit, item, label) VALUES ('hotel', 3, 2, '限制在星级以上宾馆、酒店、夜总会、高尔夫球场等场所高消费');
INSERT INTO restricted_category (code, bit, item, label) VALUES ('real_estate', 4, 3, '限制购买不动产或新建、扩建、高档装修房屋');
INSERT INTO restricted_category (code, bit, item, label) VALUES ('office_rent', 5, 4, '限制租赁高档写字楼、宾馆、公寓等场所办公');
INSERT INTO restricted_category (code, bit, item, label) VALUES ('vehicle', 6, 5, '限制购买非经营必需车辆');
INSERT INTO restricted_category (code, bit, item, label) VALUES ('travel', 7, 6, '限制旅游、度假');
INSERT INTO restricted_category (code, bit, item, label) VALUES ('private_school', 8, 7, '限制子女就读高收费私立学校');
INSERT INTO restricted_category (code, bit, item, label) VALUES ('insurance_wealth', 9, 8, '限制支付高额保费购买保险理财产品');
INSERT INTO restricted_category (code, bit, item, label) VALUES ('high_speed_rail', 10, 9, '限制乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位');
INSERT INTO restricted_category (code, bit, item, label) VALUES ('other_nonessential', 11, 9, '限制其他非生活和工作必需的消费行为');

-- One row per listing (失信) or per restricted subject of a 限消 order. A unit debtor's 限消 order
-- is one row for the unit (person_kind 'unit', id_number = 统一社会信用代码) plus one row per bound
-- person (legal_rep / principal / responsible_person / controller; 限消规定 art 3 para 2) with
-- bound_by_entry_id = the unit's row.
CREATE TABLE credit_entry (
    id                BIGINT PRIMARY KEY,
    list              TEXT NOT NULL CHECK (list IN ('dishonest', 'restricted')),
    case_id           BIGINT,                 -- enf_case.id (002); NULL for imported history
    case_no           TEXT NOT NULL,          -- 执行案号 (published, 失信规定 art 6)
    court_code        TEXT NOT NULL,          -- court.code of the deciding court
    person_kind       TEXT NOT NULL CHECK (person_kind IN ('person', 'unit')),
    name              TEXT NOT NULL,          -- as decided (may be traditional characters)
    name_norm         TEXT NOT NULL,          -- simplified, no spaces (OpenCC t2s) — name search key
    id_number         TEXT NOT NULL,          -- normalised: 18-char ID (uppercase X) or 统一社会信用代码
    legal_rep         TEXT,                   -- unit: 法定代表人/负责人 name (published, art 6)
    bound_by_entry_id BIGINT,                 -- restricted person bound by a unit's order
    bound_role        TEXT CHECK (bound_role IS NULL OR bound_role IN ('legal_rep', 'principal', 'responsible_person', 'controller')),
    ground            INTEGER CHECK (ground IS NULL OR ground BETWEEN 1 AND 6), -- 失信规定 art 1 item
    categories        TEXT,                   -- 限消: space-separated restricted_category codes; NULL/'' = all nine items; dishonest blocks all
    decided_on        TEXT NOT NULL,          -- decision date (院长 signed)
    served_on         TEXT,                   -- 送达 (法发〔2019〕35号: sign and serve)
    publish_on        TEXT NOT NULL,          -- end of the 1–3 month 宽限期 (法发〔2019〕35号); not effective before
    term_end          TEXT,                   -- 失信规定 art 2: 2 yrs (+1–3) for grounds 2–6; NULL = no fixed term
    status            TEXT NOT NULL CHECK (status IN ('grace', 'active', 'lifted', 'deleted', 'revoked')),
    status_on         TEXT NOT NULL,          -- date status last changed
    status_reason     TEXT,                   -- deletion/lifting trigger code or correction note
    permit_categories TEXT,                   -- temporary permission (法发〔2019〕35号 para 17): codes allowed …
    permit_from       TEXT,                   -- … from this date …
    permit_to         TEXT,                   -- … to this date (inclusive)
    sex               TEXT,                   -- published fields (art 6): M / F (as case_party) / NULL for units
    birth_date        TEXT,                   -- YYYY-MM-DD from the ID; age is computed when shown
    obligation        TEXT,                   -- 生效法律文书确定的义务
    performance       TEXT,                   -- 被执行人的履行情况 (全部未履行 / 部分未履行 …)
    conduct           TEXT,                   -- 失信行为具体情形
    basis_doc_no      TEXT,                   -- 执行依据文号
    basis_issuer      TEXT,                   -- 做出执行依据单位
    filed_on          TEXT,                   -- 立案时间
    created_ms        BIGINT NOT NULL,
    updated_ms        BIGINT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX credit_entry_id_number ON credit_entry(id_number);
CREATE INDEX credit_entry_name ON credit_entry(name_norm);
CREATE INDEX credit_entry_case ON credit_entry(case_id);
CREATE INDEX credit_entry_status ON credit_entry(status, publish_on);
CREATE INDEX credit_entry_bound ON credit_entry(bound_by_entry_id);
-- For the decision sweeps (term expiry, permission windows): range scans instead of walking every
-- active entry of a 10M-row table.
CREATE INDEX credit_entry_term_end ON credit_entry(term_end);
CREATE INDEX credit_entry_permit_to ON credit_entry(permit_to);

-- The change feed: append-only, seq gap-free (assigned under credit_change_head's row lock, like
-- audit_head). data = the entry row as JSON after the change. list_version = highest seq applied.
-- action: listed (new entry, also while in grace), published (grace ended, now effective),
-- lifted (限消 解除), deleted (失信 删除), corrected (更正 / temporary permission), revoked (撤销).
CREATE TABLE credit_change (
    seq         BIGINT PRIMARY KEY,
    at_ms       BIGINT NOT NULL,
    entry_id    BIGINT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('listed', 'published', 'lifted', 'deleted', 'corrected', 'revoked')),
    list        TEXT NOT NULL,
    id_number   TEXT NOT NULL,
    prev_id_number TEXT,                      -- set when a correction changed the ID number
    data        TEXT NOT NULL
);
CREATE INDEX credit_change_entry ON credit_change(entry_id);
CREATE TABLE credit_change_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    seq         BIGINT NOT NULL
);
INSERT INTO credit_change_head (id, seq) VALUES (1, 0);

-- Partner query audit (src/credit/querylog.c): per-thread buffers flushed about once a second, one
-- row per partner per flush and endpoint. records = packed little-endian 16-byte records
-- {u64 keyed digest of the normalised ID, u32 ms offset from at_ms, u16 category bit (0xffff none),
-- u8 decision (0 allow, 1 block, 2 invalid), u8 reserved} — see docs/api/credit.md.
CREATE TABLE partner_query_log (
    id          BIGINT PRIMARY KEY,
    partner_id  BIGINT NOT NULL,
    at_ms       BIGINT NOT NULL,              -- first query in the row
    until_ms    BIGINT NOT NULL,              -- last query in the row
    endpoint    TEXT NOT NULL,                -- check / check-batch / check-stream
    n_queries   BIGINT NOT NULL,
    n_blocked   BIGINT NOT NULL,
    n_invalid   BIGINT NOT NULL,
    list_version BIGINT NOT NULL,
    records     BYTEA
);
CREATE INDEX partner_query_log_partner ON partner_query_log(partner_id, at_ms);

-- Partner-reported interceptions ("purchase blocked"), counted for the command center
-- ("限制乘坐飞机 N 人次").
CREATE TABLE interception_report (
    id          BIGINT PRIMARY KEY,
    partner_id  BIGINT NOT NULL,
    at_ms       BIGINT NOT NULL,              -- when the partner blocked the purchase
    day         TEXT NOT NULL,                -- Asia/Shanghai date of at_ms
    received_ms BIGINT NOT NULL,
    id_number   TEXT NOT NULL,
    category    TEXT NOT NULL,
    case_no     TEXT,
    event       TEXT NOT NULL DEFAULT 'purchase_blocked' CHECK (event IN ('purchase_blocked')),
    count       INTEGER NOT NULL DEFAULT 1,
    ref         TEXT                          -- partner's own reference (idempotency per partner)
);
CREATE INDEX interception_report_day ON interception_report(day, category);
CREATE INDEX interception_report_partner ON interception_report(partner_id, day);
CREATE UNIQUE INDEX interception_report_ref ON interception_report(partner_id, ref);
