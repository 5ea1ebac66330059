// tests/api/ids.mjs — valid identifiers for tests: GB 11643-1999 ID numbers (ISO 7064 MOD 11-2
// check character) and GB 32100-2015 统一社会信用代码 (MOD 31 check character). Same algorithms as
// src/rules/id_number.c and src/rules/credit_code.c, written independently so tests check the server.
export function idNumber(region, ymd, seq) {
  const body = `${region}${ymd}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...body].reduce((a, ch, i) => a + Number(ch) * w[i], 0);
  return body + '10X98765432'[s % 11];
}
const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export function creditCode(first17) {
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const s = [...first17].reduce((a, ch, i) => a + USCC.indexOf(ch) * w[i], 0);
  return first17 + USCC[(31 - (s % 31)) % 31];
}
