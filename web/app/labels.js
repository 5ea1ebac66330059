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
  // case events whose label the server does not send (approvals, credit)
  event: {
    approval_submitted: '提交院长审批', approval_approved: '院长审批通过', approval_returned: '院长审批退回',
    approval_withdrawn: '撤回审批申请', credit_proposed: '提出纳入失信名单', restriction_proposed: '提出限制消费',
    credit_approved: '院长签发', credit_rejected: '院长不予签发', credit_served: '决定送达', credit_withdrawn: '撤回决定',
    credit_effective: '决定生效', objection_filed: '执行异议立案', restitution_filed: '执行回转重新立案', court_moved: '案件移送其他法院办理', transferred_out: '移送执行（本案终结执行）',
  },
  // keys of event data / audit details
  field: Object.assign({ with_report_order: '含报告财产令', result: '结果', listed: '已纳入失信', reason: '理由', clue: '线索', urgent: '紧急',
  clue_seq: '线索序号', place: '地点', description: '描述', value_fen: '估值', measure: '措施', target: '对象', amount_fen: '金额',
  type: '类型', upheld: '异议成立', applicant_view: '申请人意见', target_kind: '对象类型', target_name: '对象', days: '天数',
  approver_id: '批准人', approver: '批准人', found: '已找到', referred_for_crime: '移送刑事', approve: '批准', for: '事项',
  signed_on: '签字日期', stage: '阶段', text: '内容', note: '备注', mode: '结案方式', case_no: '案号', handler: '承办人', team: '团队',
  claim_fen: '标的', track: '繁简', new_case_no: '新案号', documents: '文书', objection_kind: '异议类型', new_case_id: '新案件', parent_case_no: '原案号' }, {
    opinion: '审批意见', summary: '内容', label: '事项', approval_kind: '审批事项', due_on: '审批期限', list: '名单',
    name: '姓名/名称', ground: '失信情形', status: '状态', rows: '行数', results: '结果数', fields: '字段', months: '月数',
    kind: '类别', count: '数量', reason_code: '事由', on_date: '日期', court: '法院',
  }, {
    // command center events (src/command)
    order_no: '督办函号', from_court: '督办法院', commission_no: '委托函号', task_label: '委托事项', to_court: '受托法院',
    by_court: '办理法院', coordination_no: '协调案号', other_court: '对方法院', superior: '协调法院', decision: '协调决定',
    petition_no: '信访编号', channel: '渠道', repeat: '重复信访', resolved: '已化解', on_call: '值班人员',
    transfer_reason: '移送事由', transferred_from: '原执行法院', controls_moved: '随案移送控制措施', assets_moved: '随案移送财产',
    requests_moved: '随案移送查控请求', held_fen: '随案划转案款',
  }),
  // coded values in event data / audit details
  value: Object.assign({ found: '发现财产', none: '未发现', received: '已报告', verified: '已核实', not_reported: '拒不报告',
  false_report: '虚假报告', freeze: '冻结', seize: '查封', distrain: '扣押', sold: '成交', unsold: '流拍', suspension: '中止',
  deferral: '暂缓', jurisdiction: '管辖权异议', coordination: '执行协调', fine: '罚款', detention: '拘留', person: '自然人', unit: '单位',
  interim_closure: '终结本次执行程序', completed: '执行完毕', fast: '简案', complex: '繁案',
  elevated: '提级执行', designated: '指定执行' }, {
    dishonest: '失信被执行人名单', restricted: '限制消费', pending: '待审批', approved: '已批准', returned: '已退回',
    open: '在办', closed: '已结', active: '有效', grace: '宽限期', ok: '成功', denied: '拒绝', failed: '失败',
    direct: '直接送达', mail: '邮寄送达', electronic: '电子送达', public_notice: '公告送达',
  }),
  audit_action: { 'auth.login': '登录', 'auth.logout': '退出', 'auth.password': '修改密码', 'auth.login_failed': '登录失败',
  'user.create': '创建账户', 'user.roles': '分配角色', 'user.unlock': '解锁账户', 'user.reset_password': '重置密码',
  'user.disable': '停用账户', 'user.enable': '启用账户', 'partner.create': '签发合作方密钥', 'partner.revoke': '吊销合作方密钥',
  'case.file': '立案', 'case.close': '结案', 'case.action': '办理', 'case.resume': '恢复执行', 'case.objection': '执行异议立案', 'case.assign': '分案',
  'pii.read': '查看个人信息', 'pii.search': '按证件号查询', 'audit.search': '检索审计', 'audit.export': '导出审计',
  'audit.verify': '校验审计链', 'system.init': '系统初始化', 'auth.lock': '连续失败锁定', 'case.read': '查看案件', 'case.import': '历史导入',
  'case.triage.set': '设置繁简分流规则', 'calendar.set_day': '设置节假日', 'case.refused': '拒绝访问案件',
  'credit.propose': '提出失信决定', 'credit.restrict_propose': '提出限消决定', 'credit.decision.approve': '院长签发',
  'credit.decision.reject': '院长驳回', 'credit.decision.withdraw': '撤回决定', 'credit.decision.serve': '登记送达', 'credit.list': '纳入失信名单',
  'credit.restrict': '限制消费生效', 'credit.extend': '延长失信期限', 'credit.deletion_trigger': '登记删除事由', 'credit.delete': '删除失信信息',
  'credit.revoke': '撤销失信信息', 'credit.correct': '更正失信信息', 'credit.lift': '解除限制消费', 'credit.permit': '临时许可',
  'credit.permit_revoke': '撤销临时许可', 'credit.correction_add': '登记纠错申请', 'credit.correction_step': '纠错申请办理',
  'credit.special.import': '导入特殊主体', 'credit.special.read': '查看特殊主体匹配', 'credit.special.delete': '删除特殊主体',
  'credit.repair_settings': '设置信用修复规则', 'credit.interception_report': '合作方拦截报告' },
  audit_object: Object.assign({ user: '账户', case: '案件', audit_log: '审计日志', holiday_calendar: '节假日历', import_file: '导入文件', partner: '合作方', audit: '审计', credit_entry: '名单条目', credit_decision: '信用决定',
  credit_deletion: '删除', credit_permit: '临时许可', credit_correction: '纠错申请', special_subject: '特殊主体', setting: '设置',
  court: '法院', calendar: '日历', document: '文书', party: '当事人' }, { approval: '审批事项' }),
  audit_result: { ok: '成功', denied: '拒绝', failed: '失败' },
  // who acted when no person did (src: zx_audit_rec.username of the server, the CLI, demo data, a bidder)
  audit_user: { system: '系统', cli: '命令行工具', demo: '演示数据', bidder: '竞买人' },
};
Object.assign(LABELS.audit_action, {
  'approval.submit': '提交院长审批', 'approval.approve': '院长审批通过', 'approval.return': '院长审批退回',
  'approval.withdraw': '撤回审批申请', 'case.export': '导出案件清单', 'case.write': '办理案件',
});

// party portal (issue 15; src/api/portal_*.c): audit actions, event data, inbox codes
Object.assign(LABELS.audit_action, {
  'portal.login': '当事人登录', 'portal.view': '当事人查看案件', 'portal.document': '当事人下载文书', 'portal.logout': '当事人退出',
  'portal.codes': '查看当事人查询码', 'portal.message': '当事人留言', 'portal.clue': '当事人提交财产线索',
  'portal.application': '当事人网上申请', 'portal.reward_apply': '申请悬赏', 'portal.order_apply': '申请律师调查令',
  'portal.sms_optout': '退订节点短信', 'portal.sms_optin': '恢复节点短信', 'portal.reply': '答复当事人留言',
  'portal.application_decide': '处理网上申请', 'portal.reward_decide': '悬赏申请决定', 'portal.reward_tips': '查看悬赏线索登记',
  'portal.tip_assess': '认定悬赏线索', 'portal.order_decide': '审查律师调查令', 'portal.order_pdf': '律师下载调查令',
  'portal.lawyer_confirm': '确认律师代理', 'portal.lawyer_revoke': '撤销律师代理', 'portal.settings': '修改执行公开设置',
  'portal.reward_tip': '悬赏线索登记',
});
Object.assign(LABELS.field, {
  due_on: '期限', from: '来源', ref_seq: '关联节点', accepted: '已受理', approved: '准许', published_on: '公告日期', ends_on: '公告截止',
  tip_seq: '线索登记序号', useful: '线索有效', institution: '被调查单位', issued: '已签发', valid_until: '有效期至',
  licence_no: '执业证号', firm: '律师事务所', percent_bp: '悬赏比例（万分比）',
});
Object.assign(LABELS.value, { party: '当事人', lawyer: '代理律师', resume: '恢复执行', interim_objection: '终本异议', act_objection: '执行行为异议' });
LABELS.portal_app_kind = { resume: '申请恢复执行', interim_objection: '对终结本次执行程序的异议', act_objection: '执行行为异议' };
LABELS.portal_status = { pending: '待处理', accepted: '已受理', rejected: '不予受理', applied: '待决定', approved: '已准许（公告中）',
  closed: '已结束', issued: '已签发', found: '经核查属实', none: '未发现财产', registered: '已登记', useful: '有效', useless: '无效',
  rewarded: '已发放悬赏金' };
LABELS.party_role = { applicant: '申请执行人', debtor: '被执行人', lawyer: '代理律师' };
// a case moved to another court: what followed it (src/auction/transfer.c, src/credit/transfer.c, command rollup-rebuild)
Object.assign(LABELS.field, { lots_moved: '随案移送的处置财产', entries_moved: '随案移送的失信/限消信息', moved_to: '移送至' });
Object.assign(LABELS.event, { credit_moved_out: '失信、限消信息随案移送新案', credit_moved_in: '原案失信、限消信息移入本案' });
Object.assign(LABELS.audit_action, { 'auction.lot_moved': '处置财产随案移送', 'credit.moved': '名单信息随案移送',
  'command.rollup_rebuild': '重算指挥中心汇总数据' });
Object.assign(LABELS.audit_object, { cmd_rollup: '指挥中心汇总表' });

// network inquiry and control (issue 12; src/api/inquiry*.c, src/inquiry): audit actions, objects, event data
Object.assign(LABELS.audit_action, {
  'inquiry.start': '发起网络执行查控', 'inquiry.answer': '查控答复入库', 'inquiry.callback': '协助执行单位异步答复',
  'asset.view': '查看财产清单', 'asset.freeze': '冻结（查封）财产', 'asset.deduct': '扣划存款', 'asset.release': '解除冻结（查封）',
  'asset.renew': '续行冻结（查封）', 'asset.lapse': '冻结（查封）期限届满失效', 'asset.queue_effective': '轮候查封生效',
});
Object.assign(LABELS.audit_object, { inquiry: '查控批次', asset_control: '控制措施', asset: '财产', institution: '协助执行单位' });
Object.assign(LABELS.value, { release: '解除', renew: '续行', lapse: '期限届满失效', deduct: '扣划', system: '系统' });
Object.assign(LABELS.field, { until: '期限至', asset_id: '财产', inquiry_id: '查控批次', trigger: '发起方式', kinds: '查询类别',
  complete: '查询完整', source: '来源', items: '情况' });

// an audit action without its own label: the label of its family ("case.action.note" → 办理)
export const FAMILIES = { case: '案件办理', credit: '信用惩戒', user: '账户管理', auth: '登录与会话', audit: '审计', pii: '个人信息',
  partner: '合作方', approval: '审批', funds: '案款', inquiry: '查控', auction: '司法拍卖', command: '指挥中心', system: '系统' };
export function auditAction(a) {
  if (!a) return '—';
  if (LABELS.audit_action[a]) return LABELS.audit_action[a];
  const parts = a.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const p = parts.slice(0, i).join('.');
    if (LABELS.audit_action[p]) return LABELS.audit_action[p];
  }
  return FAMILIES[parts[0]] || '其他操作';
}

// key: value pairs of event data or audit details, in Chinese; keys without a label and ids are left out,
// coded values without a label are left out (never shown as codes); money keys (*_fen) in yuan.
export function describe(data, { yuan } = {}) {
  if (!data || typeof data !== 'object') return '';
  const parts = [];
  for (const [k, v] of Object.entries(data)) {
    if (v === null || v === undefined || v === '' || typeof v === 'object') continue;
    if (/_id$/.test(k) || k === 'id' || k === 'seq') continue;
    const key = LABELS.field[k];
    if (!key) continue;
    let s;
    if (/_fen$/.test(k) && yuan) s = yuan(v);
    else if (typeof v === 'boolean') s = v ? '是' : '否';
    else if (typeof v === 'string' && /^[a-z][a-z0-9_]*$/.test(v)) { s = LABELS.value[v]; if (!s) continue; }
    else s = String(v);
    parts.push(`${key}：${s}`);
  }
  return parts.join('；');
}

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
