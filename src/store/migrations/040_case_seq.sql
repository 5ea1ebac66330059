-- 040 search by part of a 案号's number (issue 9 item 13): "352", "执352", "辽0102执352号" are answered
-- from this index on enf_case.seq instead of the trigram index of migration 018 (digit trigrams occur
-- in nearly every 案号, so the trigram index read most of its postings for them; see
-- src/api/case_seq_query.h). enf_case.seq (migration 002) is already filled at filing, resume, import
-- and demo from the parsed 案号, so existing rows need no backfill; (seq, id) lets the candidate list
-- come from the index alone. Same SQL on both stores. Owner: search9.
CREATE INDEX enf_case_seq ON enf_case(seq, id);
