// funds-common.js — what the funds pages (案款管理, a case's 案款账户) say about a payout: its status and how
// its instruction went to the bank — the CSV payment file or the bank's API (docs/api/funds-bank.md), with the
// push state (waiting to be sent, retried, taken by the bank) and the bank's refusal in Chinese.
export const PAYOUT_STATUS = {
  pending_approval: '待局长审批', approved: '已批准待付款', sent: '已发银行', paid: '已发放', failed: '银行退回',
  returned: '审批退回', cancelled: '已撤回',
};
export const CHANNEL = { file: '付款文件', api: '银行接口' };

// one line: the channel and where the instruction stands (courtChannel: the court's payout_channel, for
// approved payouts not yet sent)
export function sendText(row, courtChannel) {
  if (row.kind === 'escrow') return '提存不经银行付款';
  const via = CHANNEL[row.bank_channel] ? `${CHANNEL[row.bank_channel]}：` : '';
  if (row.status === 'paid') return `${via}银行已付款`;
  if (row.status === 'failed') return `${via}银行退回`;
  if (row.bank_channel === 'api') {
    if (row.status !== 'sent') return '银行接口';
    if (row.push_state === 'accepted') return '银行接口：银行已受理，等待付款结果';
    return row.push_attempts ? `银行接口：等待重发（已发送 ${row.push_attempts} 次）` : '银行接口：等待发送';
  }
  if (row.bank_channel === 'file') {
    if (row.status === 'approved') return row.push_error ? '银行拒收接口指令，改以付款文件办理：待导出' : '付款文件：待导出';
    return '付款文件：已导出，等待银行付款';
  }
  if (row.status === 'approved') return courtChannel === 'api' ? '银行接口：即将发送' : '付款文件：待导出';
  if (row.status === 'pending_approval') return '审批后发送银行';
  return '未发送银行';
}

// the last problem with the instruction (the bank refused it, did not answer …), or ''
export function pushProblem(row) {
  return row.push_error && (row.status === 'sent' || row.status === 'approved') ? row.push_error : '';
}

// may finance ask for the instruction to be sent again now (pushed by API, not yet answered)?
export const canResend = (row) => row.status === 'sent' && row.bank_channel === 'api';
