#!/usr/bin/env python3
"""gen_petitions.py — deterministic petition history CSV for the command-center benchmark.

usage: gen_petitions.py ROWS SEED COURTS_FILE > petitions.csv
One petition per line over the basic courts of COURTS_FILE, received over the last three years
(before today), ~92 % closed (most within 30 working days), ~80 % of those resolved, repeats and
referrals. Columns as docs/INDICATORS.md §5.1.
"""
import random, sys, datetime

rows, seed, courts_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
courts = [l.strip() for l in open(courts_file, encoding="utf-8") if l.strip()]
rng = random.Random(seed)
today = datetime.date.today()
SUR = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
CH = ["来访", "来信", "来电", "网上信访", "网上信访", "上级交办"]
out = sys.stdout
out.write("petition_no,court_code,channel,petitioner_name,received_on,registered_on,closed_on,resolved,is_repeat,case_no,content\n")
for i in range(rows):
    rec = today - datetime.timedelta(days=rng.randrange(1, 3 * 365))
    reg = min(rec + datetime.timedelta(days=rng.randrange(0, 4)), today)
    closed = ""
    resolved = 0
    if rng.random() < 0.92:
        c = rec + datetime.timedelta(days=rng.randrange(2, 50))
        if c <= today:
            closed = c.isoformat()
            resolved = 1 if rng.random() < 0.8 else 0
    out.write("BP-%d-%08d,%s,%s,%s某,%s,%s,%s,%d,%d,,反映执行进展\n" % (
        seed, i, rng.choice(courts), rng.choice(CH), rng.choice(SUR), rec.isoformat(), reg.isoformat(), closed,
        resolved, 1 if rng.random() < 0.1 else 0))
