// Role codes (issue 3 §9) → labels, and navigation by role.
export const ROLE_LABELS = {
  filing_clerk: '立案人员', judge: '执行法官', assistant: '执行员/法官助理', clerk: '书记员',
  finance: '财务人员', command: '指挥中心', chief: '院/局领导（审批）', sysadmin: '系统管理员',
  secadmin: '安全管理员', auditor: '审计管理员',
};

const CASE_STAFF = ['judge', 'assistant', 'clerk', 'chief', 'command'];

// route path, title, icon, roles allowed (null = every signed-in user), group
export const NAV = [
  { group: '工作台', items: [
    { path: '/', title: '首页', icon: 'HomeFilled', roles: null },
    { path: '/todo', title: '我的待办', icon: 'AlarmClock', roles: CASE_STAFF },
    { path: '/portal-inbox', title: '当事人来件', icon: 'Message', roles: ['judge', 'assistant', 'clerk', 'chief', 'filing_clerk'] },
    { path: '/approvals', title: '审批事项', icon: 'Stamp', roles: [...CASE_STAFF, 'finance'] },
  ] },
  { group: '执行办案', items: [
    { path: '/cases', title: '案件查询', icon: 'Search', roles: [...CASE_STAFF, 'filing_clerk', 'finance'] },
    { path: '/filing', title: '立案', icon: 'DocumentAdd', roles: ['filing_clerk', 'judge', 'chief'] },
    { path: '/import', title: '历史导入', icon: 'Upload', roles: ['sysadmin', 'chief'] },
    { path: '/indicators', title: '质效指标', icon: 'DataLine', roles: ['chief', 'command', 'judge'] },
    { path: '/funds', title: '案款管理', icon: 'Money', roles: ['finance', 'chief', 'judge', 'assistant', 'command'] },
    { path: '/funds/import', title: '对账单导入', icon: 'Upload', roles: ['finance'] },
    { path: '/auctions', title: '网络司法拍卖', icon: 'Sell', roles: CASE_STAFF },
    { path: '/controls', title: '控制措施登记簿', icon: 'Lock', roles: CASE_STAFF },
  ] },
  { group: '指挥中心', items: [
    { path: '/command', title: '指挥大屏', icon: 'Monitor', roles: ['command', 'chief'] },
    { path: '/inquiry-monitor', title: '查控运行监控', icon: 'Odometer', roles: ['command', 'chief'] },
    { path: '/command/list/supervision', title: '督办事项', icon: 'Flag', roles: ['command', 'chief', 'judge'] },
    { path: '/command/list/commissions', title: '事项委托', icon: 'Connection', roles: CASE_STAFF },
    { path: '/command/list/petitions', title: '信访台账', icon: 'ChatLineSquare', roles: ['command', 'chief', 'judge'] },
    { path: '/command/list/urgent', title: '值班与紧急事项', icon: 'Bell', roles: CASE_STAFF },
    { path: '/command/new', title: '登记与发起', icon: 'EditPen', roles: CASE_STAFF },
  ] },
  { group: '信用惩戒', items: [
    { path: '/credit/dishonest', title: '失信名单', icon: 'Warning', roles: CASE_STAFF },
    { path: '/credit/restrictions', title: '限制消费', icon: 'Lock', roles: CASE_STAFF },
    { path: '/credit/corrections', title: '纠错申请', icon: 'EditPen', roles: CASE_STAFF },
    { path: '/credit/special', title: '特殊主体', icon: 'UserFilled', roles: ['command', 'chief'] },
    { path: '/credit/interceptions', title: '拦截统计', icon: 'PieChart', roles: ['command', 'chief'] },
    { path: '/credit/partners', title: '合作方密钥', icon: 'Key', roles: ['secadmin'] },
  ] },
  { group: '系统管理', items: [
    { path: '/admin/users', title: '用户管理', icon: 'User', roles: ['sysadmin', 'secadmin'] },
    { path: '/admin/audit', title: '审计日志', icon: 'Document', roles: ['auditor'] },
  ] },
];

export function allowed(roles, userRoles) {
  if (!roles) return true;
  return (userRoles || []).some((r) => roles.includes(r));
}
