// Shared labels of the 网络执行查控 pages (inquiry-assets.js, inquiry-controls.js).
export const ASSET_STATUS = { found: '已查到', frozen: '已冻结', seized: '已查封', queued: '轮候查封', deducted: '已扣划', released: '已解除' };
export const CONTROL_STATUS = { requested: '已发出', active: '生效中', queued: '轮候', released: '已解除', lapsed: '已失效', failed: '未成功' };
export const CONTROL_KIND = { freeze: '冻结', seizure: '查封' };
export const REQ_STATE = { pending: '办理中', sent: '已发送', acked: '等待答复', done: '已答复', failed: '失败' };
// a request the institution acknowledged: 等待答复 until its answer window closes (API: waiting, expected_ms, deadline_ms)
export const reqState = (row) => (row.waiting ? '等待答复' : REQ_STATE[row.state]);
export const REQ_RESULT = { found: '有财产', none: '未发现', ok: '已执行', rejected: '机构拒绝' };
export const OP = { query: '查询', freeze: '冻结（查封）', renew: '续行', release: '解除', deduct: '扣划' };
export const TRIGGER = { filing: '立案当日自动查询', manual: '人工发起', reinquiry: '终本后定期查询' };
export const RUN_STATUS = { running: '进行中', done: '已完成' };
// "BAD_SIGNATURE：答复签章验证失败" → "答复签章验证失败" (no internal codes on screen)
export const reason = (e) => (e ? String(e).replace(/^[A-Z_]+：/, '') : '');
