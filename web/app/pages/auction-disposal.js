// Staff: the disposal panel of a case (财产处置) — each lot's reference-price steps with their
// deadlines, the auction rounds, the outcome, and the actions the law allows next.
import { reactive, ref, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { get, post, download } from '../api.js';
import { route, go } from '../router.js';
import { view } from '../view.js';
import { yuan, yuanToFen, today } from '../fmt.js';
import { STATUS, KIND, ROUND, cnTime } from './auction-common.js';

const METHOD = { agreed: '当事人议价', directed_inquiry: '定向询价', online_inquiry: '网络询价', appraisal: '委托评估' };
const STEP = { open: '进行中', fixed: '已确定', failed: '未能确定', objected: '异议中' };
const RESULT = { waiting: '等待答复', delivered: '按期出具', late: '逾期出具', failed: '未委托/失败' };
const LOT = { pricing: '确定参考价', priced: '已确定参考价', auction: '拍卖中', fixed_sale: '变卖中', sold: '已成交', in_kind: '以物抵债', released: '已解除处置', withdrawn: '已撤回' };
const SKIP = { '': '（按法定顺序）', party_refused: '一方当事人拒绝议价', party_absent: '当事人下落不明或无法议价', joint_request: '双方当事人共同申请', official_price: '财产有计税基准价/政府定价', required_by_law: '法律规定必须评估' };
const GROUND = { basic_info: '财产基本信息错误', scope: '超出财产范围或遗漏财产', qualification: '评估机构或人员不具备资质', procedure: '评估程序严重违法', technical: '技术性问题（参照标准、计算方法等）', defect: '报告瑕疵（责令三日内补正）' };
const PAY = { balance: '成交余款', deposit_applied: '保证金抵作价款', deposit_forfeited: '悔拍保证金', in_kind: '以物抵债' };
const COST = { appraisal: '评估费', online_inquiry: '网络询价费', auxiliary: '拍卖辅助工作费用', announcement: '公告费', storage: '保管费', transport: '运输费', other: '其他费用' };
const PARTY = { applicant: '申请执行人', debtor: '被执行人', buyer: '买受人', none: '尚未垫付' };
const COST_ST = { due: '待从价款中返还', covered: '已由悔拍保证金支付', repaid: '已提出返还（案款发放）', settled: '无需返还' };
const AGROUND = { misdescription: '拍卖财产描述严重失实', system_fault: '系统故障致结果错误', collusion: '恶意串通', unqualified_buyer: '买受人不具备资格', unlawful_restriction: '违法限制竞买', other: '其他严重违法情形' };
const AROLE = { applicant: '申请执行人', debtor: '被执行人', interested: '利害关系人', bidder: '竞买人' };
const LIEN = { mortgage: '抵押权', pledge: '质权', construction: '建设工程价款优先受偿权', tax: '税收优先权', other: '其他优先受偿权' };
const RGROUND = { auction_revoked: '拍卖被依法撤销', basis_revoked: '执行依据被撤销' };
const OSTAGE = { filed: '待转交评估机构', forwarded: '评估机构说明中', explained: '机构已说明', industry_review: '行业协会评审中' };

// local date-time input "YYYY-MM-DD HH:mm" (Asia/Shanghai) → ISO with +08:00
const toIso = (s) => (s ? s.replace(' ', 'T') + ':00+08:00' : '');

export default view(import.meta.url, {
  setup() {
    const caseId = route.params.id;
    const c = ref(null);
    const lots = ref([]);
    const busy = ref(false);
    const dlg = reactive({ open: false, kind: '', title: '', lot: null, step: null, f: {} });

    async function load() {
      try {
        c.value = await get('/cases/' + caseId);
        lots.value = (await get('/cases/' + caseId + '/lots')).lots;
      } catch { /* shown by api.js */ }
    }
    onMounted(load);

    function open(kind, lot, step, title) {
      const f = {};
      if (kind === 'lot') Object.assign(f, { title: '', asset_kind: 'real_estate', description: '', location: '', defects: '', taxes: '', viewing: '', seized_on: today(), asset_id: '' });
      if (kind === 'step') Object.assign(f, { method: 'agreed', price: '', skip_reason: '', institutions: '', chosen_by: 'lottery', failed: false });
      if (kind === 'result') Object.assign(f, { source: step.results.find((r) => r.status === 'waiting')?.source || '', price: '' });
      if (kind === 'objection') Object.assign(f, { ground: 'technical', result_id: '', received_on: today() });
      if (kind === 'priority') Object.assign(f, { name: '', id_number: '', rank: 1, basis: '' });
      if (kind === 'round') {
        const last = lot.rounds[lot.rounds.length - 1];
        const start = last && last.status === 'unsold' ? Math.ceil(last.start_fen * 0.8) : Math.ceil((lot.reference_fen || 0) * 0.7);
        Object.assign(f, { kind: last && lot.rounds.filter((r) => r.status === 'unsold').length >= 2 ? 'fixed_sale' : 'auction', start: (start / 100).toFixed(2),
          deposit: (Math.ceil(start / 10) / 100).toFixed(2), inc: '', announced_on: today(), starts_at: '', ends_at: '', platform: 'court' });
      }
      if (kind === 'in_kind') Object.assign(f, { creditor: c.value ? c.value.applicant_name || '' : '', claim: '' });
      if (kind === 'cost') Object.assign(f, { kind: 'appraisal', provider: '', amount: '', advanced_by: 'applicant', note: '' });
      if (kind === 'repay') Object.assign(f, { cost_id: step.id, payee_name: c.value ? c.value.applicant_name || '' : '', payee_bank: '', payee_account: '' });
      if (kind === 'lien') Object.assign(f, { holder: '', kind: 'mortgage', amount: '', basis: '' });
      if (kind === 'restitution') Object.assign(f, { ground: 'auction_revoked', revoking_doc: '', note: '', refund_bank: '', refund_account: '' });
      if (kind === 'refund') Object.assign(f, { refund_bank: '', refund_account: '' });
      if (kind === 'compensate') Object.assign(f, { value: '', both_agree: false, note: '' });
      if (kind === 'aobjection') Object.assign(f, { objector: '', role: 'debtor', ground: 'misdescription', note: '' });
      Object.assign(dlg, { open: true, kind, title, lot, step, f });
    }

    async function submit() {
      const f = dlg.f;
      const lot = dlg.lot, step = dlg.step;
      let path, body;
      const money = (v) => yuanToFen(v);
      switch (dlg.kind) {
      case 'lot': path = `/cases/${caseId}/lots`; body = { ...f, asset_id: f.asset_id || undefined }; break;
      case 'step':
        path = `/lots/${lot.id}/price-steps`;
        body = { method: f.method, skip_reason: f.skip_reason || undefined };
        if (f.method === 'agreed' || f.method === 'directed_inquiry') { if (f.failed) body.failed = true; else body.price_fen = money(f.price); }
        if (f.method === 'appraisal') { body.institutions = f.institutions.split(/[，,、\s]+/).filter(Boolean); body.chosen_by = f.chosen_by; }
        break;
      case 'result': path = `/lots/${lot.id}/price-steps/${step.id}/results`; body = { source: f.source, price_fen: money(f.price) }; break;
      case 'objection': path = `/lots/${lot.id}/price-steps/${step.id}/objections`; body = { ground: f.ground, result_id: f.result_id || undefined, received_on: f.received_on }; break;
      case 'priority': path = `/lots/${lot.id}/priority-holders`; body = { ...f, rank: Number(f.rank) }; break;
      case 'round':
        path = `/lots/${lot.id}/rounds`;
        body = { kind: f.kind, start_fen: money(f.start), deposit_fen: money(f.deposit), increment_fen: money(f.inc), announced_on: f.announced_on, starts_at: toIso(f.starts_at), ends_at: f.kind === 'fixed_sale' ? undefined : toIso(f.ends_at), platform: f.platform };
        break;
      case 'in_kind': path = `/lots/${lot.id}/in-kind`; body = { creditor: f.creditor, claim_fen: money(f.claim) }; break;
      case 'cost': path = `/lots/${lot.id}/costs`; body = { kind: f.kind, provider: f.provider, amount_fen: money(f.amount), advanced_by: f.advanced_by, note: f.note }; break;
      case 'repay': path = `/lots/${lot.id}/costs/${f.cost_id}/repay`; body = { payee_name: f.payee_name, payee_bank: f.payee_bank, payee_account: f.payee_account }; break;
      case 'aobjection': path = `/lots/${lot.id}/objections`; body = { ...f }; break;
      case 'lien': path = `/lots/${lot.id}/liens`; body = { holder: f.holder, kind: f.kind, amount_fen: money(f.amount), basis: f.basis }; break;
      case 'restitution':
        path = `/lots/${lot.id}/restitution`;
        body = { ground: f.ground, revoking_doc: f.revoking_doc, note: f.note };
        if (f.refund_bank || f.refund_account) Object.assign(body, { refund_bank: f.refund_bank, refund_account: f.refund_account });
        break;
      case 'refund':
        path = `/lots/${lot.id}/restitution/refund`;
        body = f.refund_bank || f.refund_account ? { refund_bank: f.refund_bank, refund_account: f.refund_account } : {};
        break;
      case 'compensate': path = `/lots/${lot.id}/restitution/outcome`; body = { outcome: 'compensated', value_fen: money(f.value), both_agree: f.both_agree, note: f.note }; break;
      default: return;
      }
      busy.value = true;
      try {
        const res = await post(path, body);
        ElMessage.success(dlg.kind === 'round' && res && res.pending_approval ? '降价/变卖价已提交合议庭评议、院庭长审批'
          : dlg.kind === 'restitution' ? '执行回转已提交合议庭评议、院庭长审批'
          : dlg.kind === 'refund' ? '已登记退款账户；可退还的价款已发起发放' : '已办理');
        dlg.open = false;
        await load();
      } catch { /* message shown */ } finally { busy.value = false; }
    }

    async function act(lot, path, confirm, body = {}) {
      if (confirm) { try { await ElMessageBox.confirm(confirm, '确认', { type: 'warning' }); } catch { return; } }
      try { await post(`/lots/${lot.id}/${path}`, body); ElMessage.success('已办理'); await load(); } catch { /* shown */ }
    }
    async function corrected(lot, step, o) {
      let v;
      try { v = (await ElMessageBox.prompt('补正后的价格（元）', '登记补正', { inputPattern: /^\d+(\.\d{1,2})?$/, inputErrorMessage: '请输入金额' })).value; } catch { return; }
      await act(lot, 'price-steps/' + step.id + '/results/' + o.result_id + '/corrected', '', { price_fen: yuanToFen(v) });
    }
    const doc = (docId, name) => download(`/cases/${caseId}/documents/${docId}`, name);
    const lastRound = (lot) => lot.rounds[lot.rounds.length - 1];
    const pendingRest = (lot) => (lot.restitutions || []).some((x) => x.status === 'pending' || (x.in_kind && lot.status === 'in_kind'));
    const OUTCOME = { returned: '已退还原物', compensated: '经双方同意折价赔偿', terminated: '双方未能协商一致，已终结执行回转程序，申请执行人可以另行起诉' };
    const REFUND_ST = { pending_approval: '待执行局长审批', approved: '已批准，待银行付款', sent: '付款指令已发送银行', paid: '银行已付款',
      failed: '银行退回', returned: '审批退回', cancelled: '已撤回', proposed: '待审核' };
    const REFUND_BY = { ruling: '执行回转裁定发起', arrival: '执行回转案件追回款项后发起', staff: '承办人发起' };
    const refundDue = (x) => x.refund_due ? x.refund_due.from_case + x.refund_due.from_restitution : 0;
    return { caseId, c, lots, dlg, busy, open, submit, act, corrected, doc, go, lastRound, pendingRest, OUTCOME, REFUND_ST, REFUND_BY, refundDue, yuan, cnTime, METHOD, STEP, RESULT, LOT, SKIP, GROUND, PAY, STATUS, KIND, ROUND, COST, PARTY, COST_ST, AGROUND, AROLE, OSTAGE, LIEN, RGROUND };
  },
  template: `
<div>
  <el-page-header @back="go('/cases/' + caseId)" :content="'财产处置' + (c ? ' · ' + c.case_no : '')" style="margin-bottom:12px" />
  <div style="margin-bottom:12px">
    <el-button type="primary" @click="open('lot', null, null, '登记待处置财产')" data-test="new-lot">登记待处置财产</el-button>
    <a href="#/auctions" style="margin-left:12px">网络司法拍卖公开页面 →</a>
  </div>
  <el-empty v-if="!lots.length" description="本案尚无处置标的" />
  <el-card v-for="lot in lots" :key="lot.id" shadow="never" style="margin-bottom:14px" :data-test="'panel-lot-' + lot.id">
    <template #header>
      <b>{{ lot.title }}</b> <el-tag size="small" style="margin-left:6px" data-test="lot-status">{{ LOT[lot.status] || lot.status }}</el-tag>
      <span class="muted" style="margin-left:8px">{{ KIND[lot.asset_kind] }}<span v-if="lot.reference_fen"> · 参考价 {{ yuan(lot.reference_fen) }}（{{ METHOD[lot.reference_method] }}，{{ lot.reference_on }}）</span></span>
    </template>
    <el-descriptions :column="3" size="small" border>
      <el-descriptions-item label="查封日">{{ lot.seized_on || '—' }}</el-descriptions-item>
      <el-descriptions-item label="应启动定价（30日）">{{ lot.deadlines.pricing_start_by || '—' }}</el-descriptions-item>
      <el-descriptions-item label="应启动拍卖（10日）">{{ lot.deadlines.sale_start_by || '—' }}</el-descriptions-item>
      <el-descriptions-item label="参考价有效期至">{{ lot.deadlines.reference_valid_until || '—' }}</el-descriptions-item>
      <el-descriptions-item label="优先购买权人" :span="2">{{ lot.priority_holders.length ? lot.priority_holders.map((p) => p.name + '（' + (p.basis || '') + '，第' + p.rank + '顺位）').join('、') : '未登记' }}
        <el-button link type="primary" size="small" @click="open('priority', lot, null, '确认优先购买权人')">添加</el-button></el-descriptions-item>
    </el-descriptions>

    <h4>确定参考价 <el-button v-if="lot.status === 'pricing' || lot.status === 'priced'" size="small" @click="open('step', lot, null, '确定参考价')" data-test="new-step">新的定价程序</el-button></h4>
    <el-table :data="lot.price_steps" size="small" border empty-text="尚未开始">
      <el-table-column label="方式" width="100"><template #default="{ row }">{{ METHOD[row.method] }}</template></el-table-column>
      <el-table-column label="状态" width="90"><template #default="{ row }">{{ STEP[row.status] }}</template></el-table-column>
      <el-table-column label="开始/期限" width="170"><template #default="{ row }">{{ row.started_on }}<span v-if="row.due_on"> → {{ row.due_on }}</span><span v-if="row.extensions">（延期{{ row.extensions }}次）</span></template></el-table-column>
      <el-table-column label="结果">
        <template #default="{ row }">
          <div v-for="r in row.results" :key="r.id" style="font-size:12px">{{ r.source }}：{{ RESULT[r.status] }}<span v-if="r.price_fen"> {{ yuan(r.price_fen) }}</span><span v-if="r.objection_upheld" style="color:#b91c1c">（异议成立）</span>
            <el-button v-if="row.status === 'open' && (r.status === 'delivered' || r.status === 'late')" link size="small" @click="act(lot, 'price-steps/' + row.id + '/results/' + r.id + '/correction', '报告存在瑕疵，责令三日内补正？')">责令补正</el-button></div>
          <div v-for="o in row.objections" :key="o.id" style="font-size:12px;color:#92400e" data-test="price-objection">异议：{{ GROUND[o.ground] }} · {{ o.route === 'execution_objection' ? '执行行为异议程序' : o.route === 'correction' ? '报告补正' : '评估机构说明/行业协会复核' }} · {{ o.status === 'open' ? '待处理' : o.status === 'upheld' ? '成立' : '不成立' }}
            <span v-if="o.status === 'open' && o.route === 'execution_objection'">（应于 {{ o.decide_by }} 前裁定）</span>
            <span v-if="o.status === 'open' && o.route === 'correction'">（应于 {{ o.decide_by }} 前补正）<el-button link size="small" @click="corrected(lot, row, o)">登记补正价格</el-button></span>
            <span v-if="o.status === 'open' && o.route === 'institution_review'">（{{ OSTAGE[o.stage] }}<span v-if="o.stage === 'filed'">，{{ o.forward_by }} 前转交</span><span v-if="o.stage === 'forwarded'">，{{ o.explain_by }} 前说明</span>）
              <el-button v-if="o.stage === 'filed'" link size="small" @click="act(lot, 'price-steps/' + row.id + '/objections/' + o.id + '/forward', '')">转交评估机构</el-button>
              <el-button v-if="o.stage === 'forwarded'" link size="small" @click="act(lot, 'price-steps/' + row.id + '/objections/' + o.id + '/explanation', '')">机构已说明</el-button>
              <el-button v-if="o.stage === 'explained'" link size="small" @click="act(lot, 'price-steps/' + row.id + '/objections/' + o.id + '/industry-review', '')">提交行业协会评审</el-button></span>
            <template v-if="o.status === 'open' && o.route !== 'correction'"><el-button link size="small" @click="act(lot, 'price-steps/' + row.id + '/objections/' + o.id + '/decision', '', { upheld: true })">成立</el-button><el-button link size="small" @click="act(lot, 'price-steps/' + row.id + '/objections/' + o.id + '/decision', '', { upheld: false })">不成立</el-button></template></div>
          <div v-if="row.result_fen" style="font-weight:600">参考价 {{ yuan(row.result_fen) }}</div>
        </template>
      </el-table-column>
      <el-table-column label="操作" width="260">
        <template #default="{ row }">
          <template v-if="row.status === 'open'">
            <el-button link size="small" @click="open('result', lot, row, '登记结果')">登记结果</el-button>
            <el-button link size="small" @click="act(lot, 'price-steps/' + row.id + '/extension', '确认延期？')">延期</el-button>
            <el-button link size="small" @click="open('objection', lot, row, '登记异议')">异议</el-button>
            <el-button link type="primary" size="small" @click="act(lot, 'price-steps/' + row.id + '/fix', '按规定确定参考价（网络询价取平均值）？')" data-test="fix-step">确定参考价</el-button>
          </template>
        </template>
      </el-table-column>
    </el-table>

    <h4>拍卖/变卖 <el-button v-if="(lot.status === 'priced' || lot.status === 'auction') && !lot.pending_approval" size="small" @click="open('round', lot, null, '发布拍卖/变卖公告')" data-test="new-round">发布公告</el-button>
      <el-button v-if="lot.rounds.length" size="small" @click="open('aobjection', lot, null, '对拍卖的异议')">登记拍卖异议</el-button></h4>
    <el-alert v-if="lot.pending_approval" type="warning" :closable="false" show-icon style="margin-bottom:8px" data-test="pending-cut"
      :title="'待院/庭长审批：' + lot.pending_approval.summary" :description="'降价幅度、变卖价由合议庭评议确定（网拍规定第二十七条），审批通过后自动发布公告。提交日期 ' + lot.pending_approval.submitted_on" />
    <el-table :data="lot.rounds" size="small" border empty-text="尚未拍卖" data-test="rounds">
      <el-table-column label="轮次" width="100"><template #default="{ row }">{{ ROUND(row) }}</template></el-table-column>
      <el-table-column label="起拍价/保证金/加价" width="220"><template #default="{ row }">{{ yuan(row.start_fen) }} / {{ yuan(row.deposit_fen) }} / {{ yuan(row.increment_fen) }}</template></el-table-column>
      <el-table-column label="公告/通知" width="170"><template #default="{ row }">{{ row.announced_on }}（通知当事人 {{ row.notice_by }} 前）</template></el-table-column>
      <el-table-column label="竞价时间" width="300"><template #default="{ row }">{{ cnTime(row.starts_at) }} — {{ cnTime(row.ends_at) }}<span v-if="row.platform !== 'court'">（{{ row.platform }}）</span></template></el-table-column>
      <el-table-column label="状态/结果" min-width="200"><template #default="{ row }">{{ STATUS[row.status] || row.status }}<span v-if="row.current_fen"> · {{ yuan(row.current_fen) }}（{{ row.bids }}次出价<span v-if="row.leader">，{{ row.leader }}</span>）</span><span v-if="row.reauction_by"> · 应于 {{ row.reauction_by }} 前再次拍卖</span><span v-if="row.balance_due_on && row.status === 'sold'"> · 余款期限 {{ row.balance_due_on }}</span></template></el-table-column>
      <el-table-column label="文书" width="150"><template #default="{ row }"><el-button v-if="row.announcement_doc_id" link size="small" @click="doc(row.announcement_doc_id, '拍卖公告.pdf')">公告</el-button><el-button v-if="row.sale_ruling_doc_id" link size="small" @click="doc(row.sale_ruling_doc_id, '成交裁定书.pdf')">成交裁定</el-button></template></el-table-column>
    </el-table>
    <div v-if="lot.rounds.length" style="margin-top:8px">
      <template v-if="lastRound(lot).status === 'sold'">
        <el-button type="success" size="small" @click="act(lot, 'payment', '买受人已付清余款？将作出成交裁定，价款转入本案账户。')" data-test="payment">余款已付清（成交裁定）</el-button>
        <el-button v-if="lot.creditor_winner" type="success" size="small" plain @click="act(lot, 'payment', '买受人为本案申请执行人：拍卖价款在清偿优先受偿债权和执行费用后，以其债权抵付，仅补交差额。确认已交付差额？', { setoff: true })" data-test="payment-setoff">以债权抵付价款（成交裁定）</el-button>
        <el-button type="danger" size="small" plain @click="act(lot, 'default', '确认买受人悔拍？保证金不予退还，其不得参加再次拍卖。')">悔拍</el-button>
      </template>
      <template v-if="lastRound(lot).status === 'unsold'"><el-button size="small" @click="open('in_kind', lot, null, '以物抵债')">以物抵债</el-button></template>
      <el-button v-if="!['sold','in_kind','released'].includes(lot.status) && !['announced','bidding','sold'].includes(lastRound(lot).status)" size="small" @click="act(lot, 'release', '解除处置并退还被执行人？')">解除处置</el-button>
      <el-button v-if="(lastRound(lot).status === 'paid' || lot.status === 'in_kind') && !pendingRest(lot)" size="small" type="danger" plain @click="open('restitution', lot, null, '执行回转')" data-test="restitution">执行回转</el-button>
    </div>
    <div v-if="lot.setoff" style="margin-top:6px;font-size:13px" data-test="setoff">买受人{{ lot.setoff.creditor }}系申请执行人：成交价 {{ yuan(lot.setoff.price_fen) }}，先行清偿优先受偿债权 {{ yuan(lot.setoff.priority_fen) }}、执行费用 {{ yuan(lot.setoff.costs_fen) }}，以债权抵付 {{ yuan(lot.setoff.setoff_fen) }}，交付价款 {{ yuan(lot.setoff.cash_fen) }}<span v-if="lot.setoff.reversed">（已因执行回转恢复债权）</span></div>
    <div v-for="x in lot.restitutions" :key="x.id" style="margin-top:6px;font-size:13px;color:#b91c1c" data-test="restitution-row">执行回转（第{{ x.round_no }}轮，{{ RGROUND[x.ground] }}，{{ x.revoking_doc }}）：
      <template v-if="x.status === 'pending'">待院/庭长审批（合议庭评议）<span v-if="!x.refund_account && x.cash_fen">；已付价款须退还，请先登记退款账户</span>
        <el-button v-if="x.cash_fen" link size="small" @click="open('refund', lot, null, '登记退款账户')" data-test="refund-account">{{ x.refund_account ? '更正退款账户' : '登记退款账户' }}</el-button></template>
      <template v-else-if="x.in_kind">已作出执行回转裁定，{{ x.obligor }}应返还以物抵债取得的标的物<span v-if="x.returned_fen">，其补交的差额 {{ yuan(x.returned_fen) }} 从案款中退还</span>
        <el-button v-if="x.ruling_doc_id" link size="small" @click="doc(x.ruling_doc_id, '执行回转裁定书.pdf')">裁定书</el-button></template>
      <template v-else-if="x.thing">已作出执行回转裁定，{{ x.obligor }}应返还其买受的标的物；从案款中退还其已付价款 {{ yuan(x.returned_fen) }}<span v-if="x.setoff_fen">；以债权抵付的 {{ yuan(x.setoff_fen) }} 恢复为执行债权</span>
        <el-button v-if="x.ruling_doc_id" link size="small" @click="doc(x.ruling_doc_id, '执行回转裁定书.pdf')">裁定书</el-button></template>
      <template v-else>已作出执行回转裁定，从案款中退还买受人 {{ yuan(x.returned_fen) }}<span v-if="x.owed_fen">；已发放的 {{ yuan(x.owed_fen) }} 由{{ x.obligor }}返还，追回后退还买受人</span><span v-if="x.setoff_fen">；以债权抵付的 {{ yuan(x.setoff_fen) }} 恢复为执行债权</span>
        <el-button v-if="x.ruling_doc_id" link size="small" @click="doc(x.ruling_doc_id, '执行回转裁定书.pdf')">裁定书</el-button></template>
      <div v-if="x.refund_account" style="color:#374151">退款账户：{{ x.refund_payee || '买受人' }} · {{ x.refund_bank }} {{ x.refund_account }}</div>
      <div v-for="f in x.refunds || []" :key="f.payout_id" style="color:#374151" data-test="refund-row">退还价款 {{ yuan(f.amount_fen) }}（{{ f.case_no }}案款账户，{{ REFUND_BY[f.started_by] }}）：{{ REFUND_ST[f.status] || f.status }}</div>
      <div v-if="x.status === 'ruled' && refundDue(x) > 0" style="color:#374151" data-test="refund-due">尚待退还 {{ yuan(refundDue(x)) }}<span v-if="x.refund_due.from_restitution">（执行回转案件追回款项后自动发起退还）</span>
        <el-button link size="small" @click="open('refund', lot, null, '退还买受人价款')" data-test="refund-retry">发起退还 / 更正退款账户</el-button></div>
      <div v-if="x.case_id" data-test="restitution-case">执行回转已重新立案：<a :href="'#/cases/' + x.case_id">{{ x.case_no }}</a><span v-if="x.case_status === 'closed'">（已结案）</span>（执行工作规定第六十五条第二款）</div>
      <div v-if="x.thing && x.status === 'ruled'" data-test="restitution-outcome">
        <template v-if="x.outcome">{{ OUTCOME[x.outcome] }}<span v-if="x.outcome === 'compensated'">，折价 {{ yuan(x.compensation_fen) }}</span>（执行工作规定第六十六条）</template>
        <template v-else>标的物：
          <el-button link size="small" @click="act(lot, 'restitution/outcome', '申请执行人已退还原物？', { outcome: 'returned' })" data-test="outcome-returned">已退还原物</el-button>
          <el-button link size="small" @click="open('compensate', lot, null, '折价赔偿')" data-test="outcome-compensate">不能退还：折价赔偿</el-button>
          <el-button link size="small" @click="act(lot, 'restitution/outcome', '不能退还原物，双方当事人对折价赔偿不能协商一致：终结执行回转程序，申请执行人可以另行起诉。确认？', { outcome: 'terminated' })" data-test="outcome-terminate">不能退还且未能协商：终结执行回转</el-button>
        </template></div></div>
    <div v-if="lot.payments.length" style="margin-top:8px;font-size:13px">到账：<span v-for="p in lot.payments.filter((x) => x.amount_fen > 0)" :key="p.at + p.kind" style="margin-right:12px">{{ PAY[p.kind] }} {{ yuan(p.amount_fen) }}</span></div>
    <div v-for="f in lot.forfeits" :key="f.id" style="margin-top:6px;font-size:13px" data-test="forfeit">第{{ f.round_no }}次拍卖悔拍保证金 {{ yuan(f.amount_fen) }}：支付拍卖费用损失 {{ yuan(f.costs_fen) }}<template v-if="f.status === 'reserved'">，余额 {{ yuan(f.reserved_fen) }} 暂存，待重新拍卖后弥补差价、冲抵债务</template><template v-else>，弥补重新拍卖差价 {{ yuan(f.difference_fen) }}，冲抵本案债务 {{ yuan(f.debt_fen) }}</template>（网拍规定第二十四条）</div>
    <div v-for="o in lot.objections" :key="o.id" style="margin-top:6px;font-size:13px;color:#92400e" data-test="auction-objection">拍卖异议（第{{ o.round_no }}轮）：{{ o.objector }}（{{ AROLE[o.role] }}）· {{ AGROUND[o.ground] }} · {{ o.filed_on }} 提出，
      <template v-if="o.status === 'open'">应于 {{ o.decide_by }} 前裁定 <el-button link size="small" @click="act(lot, 'objections/' + o.id + '/decision', lastRound(lot).status === 'paid' ? '该次拍卖已付清价款并作出成交裁定，异议成立将提请执行回转（院庭长审批）。确认？' : '异议成立将撤销该次拍卖，保证金全部退还。确认？', { upheld: true })">成立（撤销拍卖）</el-button><el-button link size="small" @click="act(lot, 'objections/' + o.id + '/decision', '', { upheld: false })">驳回</el-button></template>
      <template v-else>{{ o.status === 'upheld' ? '异议成立，已撤销拍卖' : '已裁定驳回' }}（{{ o.decided_on }}），可于 {{ o.review_by }} 前申请复议</template></div>

    <h4>优先受偿权 <el-button size="small" @click="open('lien', lot, null, '登记优先受偿权')" data-test="new-lien">登记</el-button></h4>
    <el-table :data="lot.liens || []" size="small" border empty-text="未登记担保物权或其他优先受偿权" data-test="liens">
      <el-table-column label="权利人" prop="holder" />
      <el-table-column label="权利类型" width="200"><template #default="{ row }">{{ LIEN[row.kind] }}</template></el-table-column>
      <el-table-column label="债权金额" width="140"><template #default="{ row }">{{ yuan(row.amount_fen) }}</template></el-table-column>
      <el-table-column label="依据" prop="basis" />
    </el-table>

    <h4>处置费用 <el-button size="small" @click="open('cost', lot, null, '登记处置费用')" data-test="new-cost">登记费用</el-button></h4>
    <el-table :data="lot.costs" size="small" border empty-text="暂无费用" data-test="costs">
      <el-table-column label="费用" width="130"><template #default="{ row }">{{ COST[row.kind] }}</template></el-table-column>
      <el-table-column label="收费单位" prop="provider" />
      <el-table-column label="金额" width="120"><template #default="{ row }">{{ yuan(row.amount_fen) }}</template></el-table-column>
      <el-table-column label="垫付/负担" width="200"><template #default="{ row }">{{ PARTY[row.advanced_by] }}垫付 · {{ PARTY[row.borne_by] }}负担（{{ row.basis }}）</template></el-table-column>
      <el-table-column label="状态" width="200"><template #default="{ row }">{{ COST_ST[row.status] }}
        <el-button v-if="row.advanced_by === 'applicant' && row.borne_by === 'debtor' && (row.status === 'due' || row.status === 'covered')" link type="primary" size="small" @click="open('repay', lot, row, '从案款中返还垫付费用')">返还垫付人</el-button></template></el-table-column>
    </el-table>
  </el-card>

  <el-dialog v-model="dlg.open" :title="dlg.title" width="560px">
    <el-form label-width="120px" size="default">
      <template v-if="dlg.kind === 'lot'">
        <el-form-item label="标的物名称"><el-input v-model="dlg.f.title" data-test="lot-title-input" /></el-form-item>
        <el-form-item label="财产类别"><el-select v-model="dlg.f.asset_kind"><el-option v-for="(l, k) in KIND" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="查封日期"><el-date-picker v-model="dlg.f.seized_on" value-format="YYYY-MM-DD" /></el-form-item>
        <el-form-item label="情况说明"><el-input v-model="dlg.f.description" type="textarea" /></el-form-item>
        <el-form-item label="坐落/存放地"><el-input v-model="dlg.f.location" /></el-form-item>
        <el-form-item label="已知瑕疵"><el-input v-model="dlg.f.defects" /></el-form-item>
        <el-form-item label="税费负担"><el-input v-model="dlg.f.taxes" /></el-form-item>
        <el-form-item label="看样安排"><el-input v-model="dlg.f.viewing" /></el-form-item>
      </template>
      <template v-if="dlg.kind === 'step'">
        <el-form-item label="方式"><el-select v-model="dlg.f.method"><el-option v-for="(l, k) in METHOD" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="适用理由"><el-select v-model="dlg.f.skip_reason"><el-option v-for="(l, k) in SKIP" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <template v-if="dlg.f.method === 'agreed' || dlg.f.method === 'directed_inquiry'">
          <el-form-item label="未能确定"><el-switch v-model="dlg.f.failed" /></el-form-item>
          <el-form-item v-if="!dlg.f.failed" label="价格（元）"><el-input v-model="dlg.f.price" /></el-form-item>
        </template>
        <template v-if="dlg.f.method === 'appraisal'">
          <el-form-item label="评估机构（3家，按顺序）"><el-input v-model="dlg.f.institutions" placeholder="以逗号分隔" /></el-form-item>
          <el-form-item label="确定方式"><el-radio-group v-model="dlg.f.chosen_by"><el-radio value="agreement">协商</el-radio><el-radio value="lottery">摇号</el-radio></el-radio-group></el-form-item>
        </template>
        <div v-if="dlg.f.method === 'online_inquiry'" class="muted" style="font-size:12px">将同时向名单库中全部司法网络询价平台发出询价，平台应在三日内出具报告。</div>
      </template>
      <template v-if="dlg.kind === 'result'">
        <el-form-item label="来源"><el-select v-model="dlg.f.source"><el-option v-for="r in dlg.step.results.filter((x) => x.status === 'waiting')" :key="r.id" :label="r.source" :value="r.source" /></el-select></el-form-item>
        <el-form-item label="价格（元）"><el-input v-model="dlg.f.price" /></el-form-item>
      </template>
      <template v-if="dlg.kind === 'objection'">
        <el-form-item label="异议事由"><el-select v-model="dlg.f.ground"><el-option v-for="(l, k) in GROUND" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="针对的结果"><el-select v-model="dlg.f.result_id" clearable><el-option v-for="r in dlg.step.results.filter((x) => x.price_fen)" :key="r.id" :label="r.source" :value="r.id" /></el-select></el-form-item>
        <el-form-item label="收到报告日期"><el-date-picker v-model="dlg.f.received_on" value-format="YYYY-MM-DD" /></el-form-item>
      </template>
      <template v-if="dlg.kind === 'priority'">
        <el-form-item label="姓名/名称"><el-input v-model="dlg.f.name" /></el-form-item>
        <el-form-item label="证件号码"><el-input v-model="dlg.f.id_number" maxlength="18" /></el-form-item>
        <el-form-item label="顺位"><el-input-number v-model="dlg.f.rank" :min="1" :max="9" /></el-form-item>
        <el-form-item label="权利依据"><el-input v-model="dlg.f.basis" placeholder="按份共有人、承租人……" /></el-form-item>
      </template>
      <template v-if="dlg.kind === 'round'">
        <el-form-item label="类型"><el-radio-group v-model="dlg.f.kind"><el-radio value="auction">拍卖</el-radio><el-radio value="fixed_sale">变卖</el-radio></el-radio-group></el-form-item>
        <el-form-item :label="dlg.f.kind === 'fixed_sale' ? '变卖价（元）' : '起拍价（元）'"><el-input v-model="dlg.f.start" /></el-form-item>
        <el-form-item label="保证金（元）"><el-input v-model="dlg.f.deposit" /></el-form-item>
        <el-form-item label="加价幅度（元）"><el-input v-model="dlg.f.inc" /></el-form-item>
        <el-form-item label="公告日期"><el-date-picker v-model="dlg.f.announced_on" value-format="YYYY-MM-DD" /></el-form-item>
        <el-form-item label="开始时间"><el-date-picker v-model="dlg.f.starts_at" type="datetime" value-format="YYYY-MM-DD HH:mm" format="YYYY-MM-DD HH:mm" /></el-form-item>
        <el-form-item v-if="dlg.f.kind !== 'fixed_sale'" label="结束时间"><el-date-picker v-model="dlg.f.ends_at" type="datetime" value-format="YYYY-MM-DD HH:mm" format="YYYY-MM-DD HH:mm" /></el-form-item>
        <el-form-item label="拍卖平台"><el-select v-model="dlg.f.platform" filterable allow-create><el-option label="本院网络司法拍卖平台" value="court" /><el-option v-for="p in ['淘宝网络司法拍卖平台','京东网络司法拍卖平台','人民法院诉讼资产网','公拍网','中国拍卖行业协会网络拍卖平台']" :key="p" :label="p" :value="p" /></el-select></el-form-item>
        <div class="muted" style="font-size:12px">起拍价不低于参考价的70%；保证金为起拍价的5%–20%；不动产提前30日、动产提前15日公告（再次拍卖15日/7日）；竞价不少于24小时；流拍后30日内再次拍卖，降价不超过20%。</div>
      </template>
      <template v-if="dlg.kind === 'cost'">
        <el-form-item label="费用类别"><el-select v-model="dlg.f.kind"><el-option v-for="(l, k) in COST" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="收费单位"><el-input v-model="dlg.f.provider" /></el-form-item>
        <el-form-item label="金额（元）"><el-input v-model="dlg.f.amount" /></el-form-item>
        <el-form-item label="垫付人"><el-select v-model="dlg.f.advanced_by"><el-option v-for="(l, k) in PARTY" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="备注"><el-input v-model="dlg.f.note" /></el-form-item>
        <div class="muted" style="font-size:12px">评估、询价费由申请执行人垫付、被执行人负担（参考价规定第三十三条）；拍卖辅助工作费用由被执行人负担（网拍规定第七条）；费用直接支付给收费单位，法院不代收。</div>
      </template>
      <template v-if="dlg.kind === 'repay'">
        <el-form-item label="收款人"><el-input v-model="dlg.f.payee_name" /></el-form-item>
        <el-form-item label="开户行"><el-input v-model="dlg.f.payee_bank" /></el-form-item>
        <el-form-item label="账号"><el-input v-model="dlg.f.payee_account" /></el-form-item>
        <div class="muted" style="font-size:12px">从本案案款中优先返还申请执行人垫付的处置费用，按案款发放程序办理。</div>
      </template>
      <template v-if="dlg.kind === 'aobjection'">
        <el-form-item label="异议人"><el-input v-model="dlg.f.objector" /></el-form-item>
        <el-form-item label="身份"><el-select v-model="dlg.f.role"><el-option v-for="(l, k) in AROLE" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="异议事由"><el-select v-model="dlg.f.ground"><el-option v-for="(l, k) in AGROUND" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="具体理由"><el-input v-model="dlg.f.note" type="textarea" /></el-form-item>
        <div class="muted" style="font-size:12px">按执行行为异议审查，自受理之日起十五日内裁定；不服的，可自裁定送达之日起十日内申请复议。</div>
      </template>
      <template v-if="dlg.kind === 'lien'">
        <el-form-item label="权利人"><el-input v-model="dlg.f.holder" data-test="lien-holder" /></el-form-item>
        <el-form-item label="权利类型"><el-select v-model="dlg.f.kind"><el-option v-for="(l, k) in LIEN" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="债权金额（元）"><el-input v-model="dlg.f.amount" data-test="lien-amount" /></el-form-item>
        <el-form-item label="依据"><el-input v-model="dlg.f.basis" placeholder="抵押登记证明号等" /></el-form-item>
        <div class="muted" style="font-size:12px">拍卖财产上原有的担保物权及其他优先受偿权因拍卖而消灭，拍卖价款优先清偿（拍卖变卖规定第二十八条）。</div>
      </template>
      <template v-if="dlg.kind === 'restitution'">
        <el-form-item label="事由"><el-select v-model="dlg.f.ground"><el-option v-for="(l, k) in RGROUND" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="撤销的法律文书"><el-input v-model="dlg.f.revoking_doc" placeholder="（2026）辽0102执异1号" data-test="restitution-doc" /></el-form-item>
        <el-form-item label="说明"><el-input v-model="dlg.f.note" type="textarea" /></el-form-item>
        <el-form-item label="退款开户行"><el-input v-model="dlg.f.refund_bank" placeholder="买受人（以物抵债的为抵债承受人）收取退款的开户行" data-test="restitution-refund-bank" /></el-form-item>
        <el-form-item label="退款账号"><el-input v-model="dlg.f.refund_account" data-test="restitution-refund-account" /></el-form-item>
        <div class="muted" style="font-size:12px">经合议庭评议、院庭长审批后作出执行回转裁定：买受人返还标的物；本案账户中的价款即时发起发放退还买受人（按发放审批权限审批、银行确认付款），已发放的由取得人返还，追回后再退还买受人；以物抵债或申请执行人买受的，申请执行人返还原物（民事诉讼法第二百四十四条，网拍规定第三十一条）。需取得人返还的，重新立案执行（执行工作规定第六十五条第二款）。</div>
      </template>
      <template v-if="dlg.kind === 'refund'">
        <el-form-item label="退款开户行"><el-input v-model="dlg.f.refund_bank" data-test="refund-bank" /></el-form-item>
        <el-form-item label="退款账号"><el-input v-model="dlg.f.refund_account" data-test="refund-account-no" /></el-form-item>
        <div class="muted" style="font-size:12px">不填写账户的，按已登记的账户就尚未退还、案款账户可支付的价款发起发放；退还价款不结算申请执行费（诉讼费用交纳办法第三十八条）。</div>
      </template>
      <template v-if="dlg.kind === 'compensate'">
        <el-form-item label="折价金额（元）"><el-input v-model="dlg.f.value" data-test="compensate-value" /></el-form-item>
        <el-form-item label="双方当事人同意"><el-checkbox v-model="dlg.f.both_agree" data-test="compensate-agree">双方当事人已同意按此金额折价赔偿</el-checkbox></el-form-item>
        <el-form-item label="说明"><el-input v-model="dlg.f.note" type="textarea" /></el-form-item>
        <div class="muted" style="font-size:12px">不能退还原物的，经双方当事人同意，可以折价赔偿；不能协商一致的，应当终结执行回转程序（执行工作规定第六十六条）。折价金额作为执行回转案件的执行标的。</div>
      </template>
      <template v-if="dlg.kind === 'in_kind'">
        <el-form-item label="接受抵债的申请执行人"><el-input v-model="dlg.f.creditor" /></el-form-item>
        <el-form-item label="其债权金额（元）"><el-input v-model="dlg.f.claim" /></el-form-item>
        <div class="muted" style="font-size:12px">按该次拍卖的保留价抵债；超过债权的部分由申请执行人补交。</div>
      </template>
    </el-form>
    <template #footer><el-button @click="dlg.open = false">取消</el-button><el-button type="primary" :loading="busy" @click="submit" data-test="dlg-submit">确定</el-button></template>
  </el-dialog>
</div>`,
});
