// Shared by the auction pages: the bidder's token (kept in this browser), public API calls with it,
// labels and time helpers. The public pages never use the staff session.
export const STATUS = {
  announced: '即将开始', bidding: '正在进行', closing: '正在结束', sold: '已成交', unsold: '流拍', defaulted: '买受人悔拍',
  paid: '已成交（价款已付清）', cancelled: '已撤回',
};
export const KIND = { real_estate: '不动产', movable: '动产', vehicle: '机动车', equity: '股权', other_right: '其他财产权' };
export const ROUND = (r) => (r.kind === 'fixed_sale' ? '变卖' : r.round_no === 1 ? '第一次拍卖' : '第二次拍卖');
export const DEPOSIT = { held: '冻结中', released: '已解冻退还', applied: '已抵作价款', forfeited: '悔拍不予退还' };

const KEY = 'zx_bidder';
export function bidder() {
  try { return JSON.parse(localStorage.getItem(KEY) || 'null'); } catch { return null; }
}
export function setBidder(b) { if (b) localStorage.setItem(KEY, JSON.stringify(b)); else localStorage.removeItem(KEY); }

export async function pub(method, path, body) {
  const b = bidder();
  const headers = { Accept: 'application/json' };
  if (b && b.token) headers.Authorization = 'Bearer ' + b.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch('/api/v1/public' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { }
  if (!res.ok) {
    const e = new Error((json && json.error && json.error.message) || '请求失败，请稍后重试');
    e.code = json && json.error && json.error.code;
    e.status = res.status;
    throw e;
  }
  return json;
}

const pad = (n) => String(n).padStart(2, '0');
// ISO instant → "YYYY-MM-DD HH:mm:ss" in Asia/Shanghai
export function cnTime(iso) {
  if (!iso) return '—';
  const d = new Date(Date.parse(iso) + 8 * 3600e3);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
// milliseconds → "1天 02:03:04"
export function left(ms) {
  if (ms <= 0) return '已结束';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  return (d ? d + '天 ' : '') + `${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}
