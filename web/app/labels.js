// labels.js — the ONE table of Chinese labels for codes the server sends (event kinds, statuses, audit
// actions and objects, approval kinds, data fields, measures …). Nothing in the UI shows a code:
// L(table, code) returns the label, or a neutral Chinese word when the code is unknown (never the code).
// Pages add their own codes here (one line each) rather than keeping private maps.
export const LABELS = {
  approval_status: { pending: '待审批', approved: '已批准', returned: '已退回', withdrawn: '已撤回' },
  approval_kind: {
    interim_closure: '终结本次执行程序（终本）', extension: '延长执行期限', fine: '罚款决定', detention: '拘留决定',
    dishonest_listing: '纳入失信被执行人名单决定', consumption_restriction: '限制消费令', payout: '案款发放',
  },
  case_status: { open: '在办', suspended: '中止/暂缓', closed: '已结' },
  level: { overdue: '已逾期', warning: '临期', ok: '正常', done: '已完成' },
};

export function L(table, code, fallback = '—') {
  if (code === null || code === undefined || code === '') return fallback;
  const t = LABELS[table];
  if (t && Object.prototype.hasOwnProperty.call(t, code)) return t[code];
  return fallback === '—' ? '其他' : fallback;
}

// Add labels at load time from a page module: addLabels('event', { my_kind: '我的节点' }).
export function addLabels(table, map) {
  LABELS[table] = Object.assign(LABELS[table] || {}, map);
}
