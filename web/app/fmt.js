// Formatting helpers. Money travels as integer fen; yuan strings are converted with string
// arithmetic only (no floating point).

// 123456 → "¥1,234.56"; negative → "-¥1,234.56"; null/undefined → "—"
export function yuan(fen, { symbol = true } = {}) {
  if (fen === null || fen === undefined || fen === '') return '—';
  let s = String(fen).trim();
  let neg = false;
  if (s.startsWith('-')) { neg = true; s = s.slice(1); }
  if (!/^\d+$/.test(s)) return '—';
  s = s.replace(/^0+(?=\d)/, '').padStart(3, '0');
  const intPart = s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const body = `${intPart}.${s.slice(-2)}`;
  return (neg ? '-' : '') + (symbol ? '¥' : '') + body;
}

// "1,234.5" → 123450 ; returns null when the text is not a valid amount (≤ 2 decimals).
export function yuanToFen(text) {
  if (text === null || text === undefined) return null;
  let s = String(text).trim().replace(/[,，\s¥￥]/g, '');
  if (s === '') return null;
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const digits = (m[1] + (m[2] || '').padEnd(2, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return null; // stays an exact integer in a JS number
  return Number(digits);
}

// validator for Element Plus forms: amount in yuan
export function yuanRule(required = true) {
  return {
    trigger: 'blur',
    validator: (_r, v, cb) => {
      if (v === '' || v === null || v === undefined) return required ? cb(new Error('请输入金额')) : cb();
      if (yuanToFen(v) === null) return cb(new Error('金额格式不正确（元，最多两位小数）'));
      cb();
    },
  };
}

export function pct(x, digits = 2) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return '—';
  return (Number(x) * 100).toFixed(digits) + '%';
}

const pad = (n) => String(n).padStart(2, '0');

// ms since epoch (UTC) → "YYYY-MM-DD HH:mm" in Asia/Shanghai
export function dateTime(ms) {
  if (ms === null || ms === undefined || ms === '') return '—';
  const d = new Date(Number(ms) + 8 * 3600 * 1000);
  if (Number.isNaN(d.getTime())) return String(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

// today in Asia/Shanghai as YYYY-MM-DD
export function today() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function addDays(ymd, n) {
  const [y, m, d] = ymd.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d) + n * 86400000);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

// days from today (Asia/Shanghai) to ymd; negative = past
export function daysUntil(ymd) {
  if (!ymd) return null;
  const [y, m, d] = String(ymd).slice(0, 10).split('-').map(Number);
  const [ty, tm, td] = today().split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(ty, tm - 1, td)) / 86400000);
}

// "110101199003071234" → "1101011990****1234" (first 10 + **** + last 4)
export function maskId(id) {
  if (!id) return '';
  const s = String(id);
  if (s.length <= 14) return s;
  return s.slice(0, 10) + '****' + s.slice(-4);
}

export function dash(v) {
  return v === null || v === undefined || v === '' ? '—' : v;
}

// GB 11643 check for an 18-digit citizen ID number → '' when fine, else a Chinese message.
// (The server validates too; this gives the message while typing.)
const ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export function idNumberError(v) {
  const s = String(v || '').trim().toUpperCase();
  if (!s) return '';
  if (!/^\d{17}[\dX]$/.test(s)) return '身份证号码应为18位（前17位数字，末位数字或X）';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * ID_W[i];
  if ('10X98765432'[sum % 11] !== s[17]) return '身份证号码校验码错误';
  const y = Number(s.slice(6, 10)), m = Number(s.slice(10, 12)), d = Number(s.slice(12, 14));
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d || y < 1900) return '身份证号码中的出生日期无效';
  return '';
}

// Statute citations come from the server as "期限规定 art 1", "终本规定 arts 1–4", "失信规定 art 1(2)";
// show them the way Chinese legal text cites: 第1条, 第1–4条, 第1条第2项.
export function article(s) {
  if (typeof s !== 'string') return s;
  return s.replace(/\barts? (\d+)(?:\((\d+)\))?(?:\s*[–-]\s*(\d+))?/g,
    (_m, a, item, b) => '第' + a + (b ? '–' + b : '') + '条' + (item ? '第' + item + '项' : ''));
}
