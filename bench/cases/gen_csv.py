#!/usr/bin/env python3
"""gen_csv.py — deterministic history-import CSV for benchmarks and tests.

usage: gen_csv.py ROWS SEED COURTS_FILE > out.csv
COURTS_FILE: one court code per line (basic courts to spread cases over).
Valid 案号 (year = filed year, per-court/type/year sequence; from 10001 in the last two years so that
they do not collide with `zhixing init --demo` cases), ID numbers (GB 11643) and
统一社会信用代码 (GB 32100), every 结案方式, log-normal-ish amounts.
"""
import random, sys, datetime

ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_C = "10X98765432"
USCC_A = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_W = [3, 7, 9, 10, 5, 8, 4, 2]
SUR = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIV = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰建国立新春燕海涛文静志强晓梅永刚淑芬"
CO1 = ["沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "盘锦", "铁岭", "朝阳", "葫芦岛"]
CO2 = ["鑫达", "宏远", "华盛", "金泰", "恒通", "瑞丰", "东方", "北方", "天成", "隆兴", "嘉禾", "盛世", "汇通", "永安"]
CO3 = ["商贸", "建筑工程", "机械制造", "房地产开发", "物流", "科技", "食品", "化工", "装饰工程", "农业发展"]
MODES = [("执行完毕", 30), ("终结本次执行程序", 45), ("终结执行", 12), ("销案", 5), ("不予执行", 3), ("驳回申请", 5)]


def idno(rng, region, birth):
    body = "%s%s%03d" % (region, birth.strftime("%Y%m%d"), rng.randrange(1, 999))
    s = sum(int(c) * w for c, w in zip(body, ID_W))
    return body + ID_C[s % 11]


def uscc(rng, region):
    org = [rng.randrange(10) for _ in range(8)]
    c = 11 - sum(a * w for a, w in zip(org, ORG_W)) % 11
    oc = "X" if c == 10 else "0" if c == 11 else str(c)
    body = "91" + region + "".join(map(str, org)) + oc
    s = sum(USCC_A.index(ch) * w for ch, w in zip(body, USCC_W))
    return body + USCC_A[(31 - s % 31) % 31]


def main():
    rows, seed, courts_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    courts = [l.strip() for l in open(courts_file, encoding="utf-8") if l.strip()]
    rng = random.Random(seed)
    today = datetime.date.today()
    start = datetime.date(today.year - 6, 1, 1)
    span = (today - start).days
    seq = {}
    out = sys.stdout
    out.write("case_no,court_code,case_type,filed_on,closed_on,closure_mode,claim,recovered,has_assets,"
              "deducted_days,non_litigation,applicant_name,debtor_name,debtor_id\n")
    mode_names = [m for m, _ in MODES]
    mode_w = [w for _, w in MODES]
    for i in range(rows):
        court = courts[i % len(courts)] if rng.random() < 0.5 else rng.choice(courts)
        t = rng.random()
        ctype = "执" if t < 0.85 else ("执恢" if t < 0.95 else "执保")
        filed = start + datetime.timedelta(days=rng.randrange(span))
        key = (court, ctype, filed.year)
        # numbers of the last two years start at 10001: the demo data (init --demo) uses 1… there
        seq[key] = seq.get(key, 10000 if filed.year >= today.year - 1 else 0) + 1
        case_no = "（%d）%s%s%d号" % (filed.year, court, ctype, seq[key])
        claim = min(5_000_000_00, max(3_000_00, int(rng.lognormvariate(11.5, 1.3) * 100)))
        has_assets = 1 if rng.random() < 0.4 else 0
        nonlit = 1 if rng.random() < 0.05 else 0
        closed, mode, rec = "", "", 0
        age = (today - filed).days
        if rng.random() < min(0.97, 0.2 + age / 200):
            d = min(age, int(rng.expovariate(1 / 120)))
            cd = filed + datetime.timedelta(days=d)
            closed = cd.isoformat()
            mode = rng.choices(mode_names, mode_w)[0]
            if mode == "执行完毕":
                rec = claim
            elif mode == "终结本次执行程序":
                rec = int(claim * rng.random() * 0.3)
            elif mode == "终结执行":
                rec = int(claim * rng.random())
        deducted = rng.choice([0, 0, 0, 0, 15, 30, 60])
        region = "2101%02d" % rng.randrange(2, 14)
        app = rng.choice(SUR) + rng.choice(GIV) + (rng.choice(GIV) if rng.random() < 0.6 else "")
        if rng.random() < 0.55:
            by = rng.randrange(1950, 2000)
            birth = datetime.date(by, rng.randrange(1, 13), rng.randrange(1, 29))
            debtor = rng.choice(SUR) + rng.choice(GIV) + (rng.choice(GIV) if rng.random() < 0.6 else "")
            did = idno(rng, region, birth) if rng.random() < 0.9 else ""
        else:
            debtor = "%s%s%s有限公司" % (rng.choice(CO1), rng.choice(CO2), rng.choice(CO3))
            did = uscc(rng, region)
        out.write("%s,%s,%s,%s,%s,%s,%d.%02d,%d.%02d,%d,%d,%d,%s,%s,%s\n" % (
            case_no, court, ctype, filed.isoformat(), closed, mode, claim // 100, claim % 100,
            rec // 100, rec % 100, has_assets, deducted, nonlit, app, debtor, did))


if __name__ == "__main__":
    main()
