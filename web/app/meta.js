// Case enumerations (GET /api/v1/case-meta), loaded once, with built-in labels as a fallback
// while loading or if the endpoint fails.
import { reactive } from 'vue';
import { get } from './api.js';

const FALLBACK = {
  stages: [['filing', '立案'], ['property_inquiry', '财产查询'], ['property_control', '财产控制与分析'], ['disposal', '司法处置'],
    ['funds', '案款管理'], ['adjudication', '执行裁决'], ['service', '执行送达'], ['commissioned', '受托案件办理'],
    ['supervision', '执行监督'], ['resumption', '恢复执行管理'], ['closure', '结案管理']],
  statuses: [['open', '在办'], ['suspended', '中止/暂缓'], ['closed', '已结']],
  tracks: [['fast', '简案'], ['complex', '繁案']],
  type_codes: [['执', '首次执行'], ['执恢', '恢复执行'], ['执保', '财产保全'], ['执异', '执行异议'], ['执复', '执行复议'],
    ['执监', '执行监督'], ['执协', '执行协调'], ['执他', '其他执行']],
  closure_modes: [['completed', '执行完毕'], ['interim_closure', '终结本次执行程序'], ['termination', '终结执行'],
    ['withdrawal', '销案'], ['non_enforcement', '不予执行'], ['rejection', '驳回申请']],
  basis_kinds: [['judgment', '判决'], ['ruling', '裁定'], ['mediation', '调解书'], ['arbitral_award', '仲裁裁决'],
    ['notarised_deed', '公证债权文书'], ['administrative', '行政决定（非诉执行）'], ['other', '其他']],
};

export const meta = reactive({ loaded: false, actions: [], termination_reasons: [], rejection_reasons: [],
  withdrawal_reasons: [], resume_reasons: [] });
for (const [k, list] of Object.entries(FALLBACK)) meta[k] = list.map(([code, label]) => ({ code, label }));

let pending = null;
export function loadMeta() {
  if (!pending) {
    pending = get('/case-meta', null, { quiet: true }).then((m) => {
      for (const [k, v] of Object.entries(m || {})) if (Array.isArray(v) && v.length) meta[k] = v;
      meta.loaded = true;
      return meta;
    }).catch(() => { pending = null; return meta; });
  }
  return pending;
}

export function label(kind, code) {
  if (code === null || code === undefined || code === '') return '—';
  const list = meta[kind] || [];
  const hit = list.find((x) => x.code === code || x.kind === code);
  return hit ? hit.label : code;
}

export const ROLE_OF_PARTY = { applicant: '申请执行人', debtor: '被执行人', agent: '委托代理人', lawyer: '律师', contact: '联系人', third_party: '第三人' };
export const ROLE_OF_UNIT = { legal_rep: '法定代表人', principal: '主要负责人', responsible: '直接责任人员', controller: '实际控制人' };
export const STATUS_TAG = { open: 'primary', suspended: 'warning', closed: 'info' };
