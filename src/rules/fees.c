/* fees.c — 诉讼费用交纳办法 art 14 fee schedules as tables. */
#include "rules/fees.h"

/* A cumulative band: the part of the amount above `from_fen` (up to the next band) pays
 * rate_permille / 1000. */
struct fee_band {
    int64_t from_fen;
    int rate_permille;
};

/* 申请执行费, 诉讼费用交纳办法 art 14(1). */
#define ENF_FLAT_FEN 5000                      /* art 14(1): ≤ ¥10,000 → ¥50 per case */
static const struct fee_band enforcement_bands[] = {
    { 1000000LL, 15 },                          /* art 14(1): ¥10,000–500,000 part → 1.5% */
    { 50000000LL, 10 },                         /* art 14(1): ¥500,000–5,000,000 part → 1% */
    { 500000000LL, 5 },                         /* art 14(1): ¥5,000,000–10,000,000 part → 0.5% */
    { 1000000000LL, 1 },                        /* art 14(1): above ¥10,000,000 → 0.1% */
};

/* 申请保全措施费, 诉讼费用交纳办法 art 14(2). */
#define PRES_FLAT_FEN 3000                      /* art 14(2): ≤ ¥1,000 or no amount → ¥30 */
#define PRES_CAP_FEN 500000                     /* art 14(2): at most ¥5,000 */
static const struct fee_band preservation_bands[] = {
    { 100000LL, 10 },                           /* art 14(2): ¥1,000–100,000 part → 1% */
    { 10000000LL, 5 },                          /* art 14(2): above ¥100,000 → 0.5% */
};

/* flat + Σ band parts, exact in 1/1000 fen, rounded half up once at the end. */
static int64_t banded(int64_t amount, int64_t flat, const struct fee_band *b, int n)
{
    __int128 milli = (__int128)flat * 1000;
    for (int i = 0; i < n; i++) {
        if (amount <= b[i].from_fen) break;
        int64_t top = i + 1 < n && amount > b[i + 1].from_fen ? b[i + 1].from_fen : amount;
        milli += (__int128)(top - b[i].from_fen) * b[i].rate_permille;
    }
    return (int64_t)((milli + 500) / 1000); /* ≤ amount, so it fits */
}

int64_t zx_fee_enforcement(int64_t amount_fen)
{
    if (amount_fen < 0) return -1;
    return banded(amount_fen, ENF_FLAT_FEN, enforcement_bands,
                  (int)(sizeof enforcement_bands / sizeof enforcement_bands[0]));
}

bool zx_fee_enforcement_no_amount_valid(int64_t fee_fen)
{
    return fee_fen >= ZX_FEE_NO_AMOUNT_MIN_FEN && fee_fen <= ZX_FEE_NO_AMOUNT_MAX_FEN;
}

int64_t zx_fee_preservation(int64_t amount_fen)
{
    if (amount_fen < 0) return -1;
    int64_t fee = banded(amount_fen, PRES_FLAT_FEN, preservation_bands,
                         (int)(sizeof preservation_bands / sizeof preservation_bands[0]));
    return fee > PRES_CAP_FEN ? PRES_CAP_FEN : fee;
}
