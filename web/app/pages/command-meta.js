// 指挥中心 — shared labels of the command-center pages (issue 14; docs/api/command.md).
export const LISTS = {
  supervision: '督办事项台账',
  commissions: '事项委托台账',
  commission_stats: '事项委托统计',
  coordination: '执行协调案件',
  petitions: '执行信访台账',
  duty: '值班表',
  urgent: '紧急事项登记',
  interviews: '约谈记录',
  overdue_cases: '超期未结案件',
  expiring_cases: '即将到期案件',
  courts_3p1: '3+1 指标排名',
  funds_overdue_gt5: '案款超5日未发放',
  funds_overdue_gt10: '案款超10日未发放',
  funds_overdue_gt15: '案款超15日未发放',
  funds_overdue_gt30: '案款超30日未发放',
  controls_expiring: '控制措施30日内到期',
  controls_lapsed: '控制措施已失效',
  inquiry_today: '今日查控情况',
  auctions_open: '拍卖进行中',
  auctions_sold: '本月拍卖成交',
  auctions_unsold: '本月流拍',
};
// the lists that come from another module: its own page, for the link beside the table
export const MODULE_PAGES = [
  ['funds_overdue_', '/funds', '到案款管理查看'],
  ['controls_', '/controls', '到控制措施登记簿查看'],
  ['inquiry_', '/inquiry-monitor', '到查控运行监控查看'],
  ['auctions_', '/auctions', '到网络司法拍卖查看'],
];
export const THREE_PLUS_ONE = [
  ['asset_case_on_time_rate', '有财产可供执行案件法定期限内执结率'],
  ['interim_closure_compliance_rate', '无财产可供执行案件终本合格率'],
  ['petition_closure_rate', '执行信访办结率'],
  ['three_year_closure_rate', '近三年执行案件整体结案率'],
];
export const SOURCES = [['complaint', '当事人反映'], ['petition', '信访'], ['public_opinion', '舆情'], ['review', '上级审查发现']];
export const ESCALATIONS = [['chase', '催报'], ['call_file', '调卷审查'], ['reassign', '指定其他法院办理'], ['elevate', '提级执行'],
  ['cross', '交叉执行'], ['notify', '辖区通报']];
export const TASKS = [['freeze_deposit', '冻结存款'], ['renew_deposit', '续冻存款'], ['release_deposit', '解冻存款'],
  ['deduct_deposit', '扣划存款'], ['freeze_equity', '冻结股权'], ['seize_property', '查封不动产/登记动产'], ['renew_seizure', '续封'],
  ['release_seizure', '解封'], ['transfer_property', '过户'], ['investigate', '调查财产'], ['serve_documents', '送达文书'],
  ['locate_debtor', '查找被执行人'], ['whole_case', '委托执行（整案）']];
export const RETURN_REASONS = [['incomplete_documents', '委托材料不全'], ['not_in_jurisdiction', '被执行人或财产不在本辖区'],
  ['asset_not_found', '财产不存在或已处置'], ['duplicate', '重复委托'], ['not_delegable', '不属于可委托事项'], ['other', '其他原因']];
export const CHANNELS = [['visit', '来访'], ['letter', '来信'], ['phone', '来电'], ['portal', '网上信访'], ['referral', '上级交办']];
export const URGENT_KINDS = [['debtor_located', '发现被执行人行踪'], ['vehicle_located', '发现被执行车辆'], ['asset_moving', '财产转移线索'],
  ['other', '其他紧急事项']];
