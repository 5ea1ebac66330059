// Credit enumerations (GET /api/v1/credit/meta) with fallbacks, and shared labels.
import { reactive } from 'vue';
import { get } from './api.js';

const E = (pairs) => pairs.map(([code, label, article]) => ({ code, label, article }));
export const cmeta = reactive({
  loaded: false,
  grounds: [
    { ground: 1, label: '有履行能力而拒不履行生效法律文书确定义务', article: '失信规定 art 1(1)', term: 'none' },
    { ground: 2, label: '以伪造证据、暴力、威胁等方法妨碍、抗拒执行', article: '失信规定 art 1(2)', term_years: 2 },
    { ground: 3, label: '以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行', article: '失信规定 art 1(3)', term_years: 2 },
    { ground: 4, label: '违反财产报告制度', article: '失信规定 art 1(4)', term_years: 2 },
    { ground: 5, label: '违反限制消费令', article: '失信规定 art 1(5)', term_years: 2 },
    { ground: 6, label: '无正当理由拒不履行执行和解协议', article: '失信规定 art 1(6)', term_years: 2 },
  ],
  exclusions: E([['security_adequate', '提供了充分有效担保', '失信规定 art 3(1)'], ['seized_sufficient', '已查封、扣押、冻结的财产足以清偿', '失信规定 art 3(2)'],
    ['later_in_order', '履行顺序在后，依法不应强制执行', '失信规定 art 3(3)']]),
  extension_reasons: E([['serious_violence', '以暴力、威胁方法妨碍、抗拒执行情节严重'], ['multiple_acts', '具有多项失信行为']]),
  deletion_triggers: E([['full_performance', '已履行全部义务'], ['settlement_performed', '和解协议履行完毕'], ['applicant_request', '申请执行人书面申请删除'],
    ['no_property_after_interim', '终本后两次以上查询未发现财产'], ['suspended_retrial_bankruptcy', '因审判监督或破产程序中止执行'],
    ['non_enforcement', '裁定不予执行'], ['termination', '裁定终结执行'], ['term_expired', '纳入期限届满'], ['credit_repair', '信用修复（提前删除）']]),
  categories: E([['flight', '乘坐飞机'], ['train_sleeper', '列车软卧'], ['ship_cabin', '轮船二等以上舱位'], ['high_speed_rail', 'G字头动车组全部座位及其他动车组一等以上座位'],
    ['hotel_luxury', '星级以上宾馆、酒店、夜总会、高尔夫球场等高消费'], ['real_estate', '购买不动产或新建、扩建、高档装修房屋'], ['office_rent', '租赁高档写字楼、宾馆、公寓办公'],
    ['vehicle', '购买非经营必需车辆'], ['travel', '旅游、度假'], ['private_school', '子女就读高收费私立学校'], ['insurance', '支付高额保费购买保险理财产品']]),
  lift_reasons: E([['security', '提供确实有效的担保', '限消规定 art 9'], ['applicant_consent', '申请执行人同意', '限消规定 art 9'], ['full_performance', '已履行全部义务', '限消规定 art 9']]),
  permit_kinds: E([['medical', '本人或近亲属重大疾病就医'], ['funeral', '近亲属丧葬'], ['official_duty', '因公出差'], ['foreign_affairs', '外事活动'], ['exam', '重要考试'],
    ['private_consumption', '以个人财产实施的消费（单位被执行人的四类人员）']]),
  correction_kinds: E([['wrong_listing', '不应纳入而纳入', '失信规定 art 11(1)'], ['inaccurate', '记载信息错误', '失信规定 art 11(2)'], ['should_delete', '应删除而未删除', '失信规定 art 11(3)']]),
  special_categories: E([['party_government_organ', '党政机关'], ['state_firm', '国有企业'], ['official', '公职人员'], ['deputy', '人大代表、政协委员']]),
});

let pending = null;
export function loadCreditMeta() {
  if (!pending) {
    pending = get('/credit/meta', null, { quiet: true }).then((m) => {
      for (const [k, v] of Object.entries(m || {})) if (v !== null && v !== undefined && (!Array.isArray(v) || v.length)) cmeta[k] = v;
      cmeta.loaded = true;
    }).catch(() => { pending = null; });
  }
  return pending;
}
export function clabel(kind, code) {
  const hit = (cmeta[kind] || []).find((x) => x.code === code || x.ground === code);
  return hit ? hit.label || hit.code : code || '—';
}
export const DECISION_STATUS = { proposed: ['待院长审批', 'warning'], approved: ['已签发待送达', 'primary'], served: ['已送达待签发', 'primary'],
  effective: ['已生效', 'success'], rejected: ['已驳回', 'info'], withdrawn: ['已撤回', 'info'] };
export const ENTRY_STATUS = { grace: ['宽限期', 'warning'], active: ['公布中', 'danger'], deleted: ['已删除', 'info'], revoked: ['已撤销', 'info'],
  lifted: ['已解除', 'info'], expired: ['已届满', 'info'] };
export const CORR_STATUS = { pending: '待审查', upheld: '纠正成立', rejected: '驳回', reconsidering: '复议中', reconsider_upheld: '复议成立', reconsider_rejected: '复议驳回' };
export const SERVICE_METHODS = [['direct', '直接送达'], ['mail', '邮寄送达'], ['electronic', '电子送达'], ['public_notice', '公告送达'], ['left_at_residence', '留置送达']];
export const LIST_LABEL = { dishonest: '失信被执行人名单', restricted: '限制消费' };
