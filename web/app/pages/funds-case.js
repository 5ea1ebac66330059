// 案款账户 of one case (#/cases/:id/funds): the virtual account number (一案一账号) with every transfer,
// the payout / 提存 proposals, 暂缓发放, and 参与分配 plans with their PDF.
import { reactive, ref, computed, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { get, post, hasRole } from '../api.js';
import { view } from '../view.js';
import { route, go } from '../router.js';
import { yuan, yuanToFen, dateTime, today } from '../fmt.js';
import { PAYOUT_STATUS, sendText, pushProblem } from './funds-common.js';

const STATUS = { posted: '已入账', pending: '待确认', voided: '已撤销' };
const REASONS = [
  ['distribution', '需要进行案款分配'], ['frozen_elsewhere', '执行款被另案保全或冻结'], ['not_collecting', '申请执行人经通知未领取'],
  ['suspended', '案件中止或暂缓执行'], ['other', '其他正当理由'],
];
const ESCROW = [
  ['refused', '申请执行人无正当理由拒绝领取'], ['missing', '申请执行人下落不明'], ['no_heir', '死亡未确定继承人'],
  ['no_guardian', '丧失民事行为能力未确定监护人'], ['unreachable', '无法联系'], ['disputed', '争议款项'],
];
const CLASS = { cost: '执行费用', priority: '优先受偿', ordinary: '普通债权' };
// 参与分配 plans: where each stands in the objection procedure (民诉解释 arts 509–510)
const DIST_STATUS = { draft: '待送达', served: '异议期内', objected: '已提出异议（待其他债权人、被执行人反对）', opposed: '有反对意见（待异议人起诉）',
  litigating: '分配方案异议之诉审理中', final: '方案已确定' };
const DIST_OUTCOME = { no_objection: '期满无异议，按方案分配', revised: '无反对意见，按异议修正后分配', no_suit: '异议人未起诉，按原方案分配',
  judgment: '按诉讼结果分配', objection: '已提出异议', opposition: '已提出反对意见', suit_filed: '异议人已起诉' };
// the steps each state allows: [outcome, button, needs a date, the date's label]
const DIST_STEPS = {
  served: [['no_objection', '期满无异议', false], ['objection', '登记异议', true, '通知其他债权人、被执行人之日']],
  objected: [['revised', '期满无反对意见', false], ['opposition', '登记反对意见', true, '通知异议人之日']],
  opposed: [['no_suit', '期满未起诉', false], ['suit_filed', '登记已起诉', true, '起诉日']],
  litigating: [['judgment', '登记诉讼结果', false]],
};

function groupNo(no) { return (no || '').replace(/(\d{4})(?=\d)/g, '$1 '); }

export default view(import.meta.url, {
  setup() {
    const id = computed(() => route.params.id);
    const acc = ref(null);
    const payouts = ref([]);
    const loading = ref(false);
    const plans = ref([]);
    const channel = ref('file');
    async function load() {
      loading.value = true;
      get('/funds/settings', {}, { quiet: true }).then((x) => { channel.value = x.payout_channel; }).catch(() => {});
      try {
        acc.value = await get(`/cases/${id.value}/account`);
        payouts.value = (await get(`/cases/${id.value}/payouts`)).items;
        plans.value = (await get(`/cases/${id.value}/distributions`)).items;
      } catch { /* shown */ } finally { loading.value = false; }
    }
    // a plan's next step in the objection procedure
    const step = reactive({ open: false, plan: null, outcome: '', label: '', dated: false, dateLabel: '', on: today(), disputed: '', busy: false });
    function openStep(plan, st) { Object.assign(step, { open: true, plan, outcome: st[0], label: st[1], dated: st[2], dateLabel: st[3] || '', on: today(), disputed: '' }); }
    async function submitStep() {
      const body = step.dated ? { outcome: step.outcome, on: step.on } : { outcome: step.outcome };
      if (step.outcome === 'suit_filed') {
        body.disputed_fen = yuanToFen(step.disputed);
        if (!body.disputed_fen) { ElMessage.error('请填写争议债权数额（元）'); return; }
      }
      step.busy = true;
      try {
        const r = await post(`/funds/distributions/${step.plan.id}/outcome`, body);
        step.open = false; ElMessage.success(r.escrow_payout_id ? '已登记；争议款项的提存已提交执行局长审批' : '已登记'); load();
      } catch { /* shown */ } finally { step.busy = false; }
    }
    async function servePlan(plan, on) {
      try { await post(`/funds/distributions/${plan.id}/serve`, { served_on: on }); ElMessage.success('已登记送达'); load(); } catch { /* shown */ }
    }
    const leftover = (p) => p.amount_fen - p.lines.reduce((a, l) => a + l.share_fen, 0);
    // the window now running for a plan (its due date and the article)
    function planWindow(p) {
      if (p.status === 'served') return `异议期至 ${p.objection_due_on}（民诉解释第509条）`;
      if (p.status === 'objected') return `反对意见期至 ${p.counter_due_on}（民诉解释第510条）`;
      if (p.status === 'opposed') return `起诉期至 ${p.suit_due_on}（民诉解释第510条）`;
      if (p.status === 'litigating') return '诉讼期间分配的，与争议债权数额相应的款项应予提存（民诉解释第510条）';
      return p.outcome ? DIST_OUTCOME[p.outcome] || '' : '';
    }
    const pf = reactive({ open: false, kind: 'payout', payee_name: '', payee_bank: '', payee_account: '', amount: '', reason: 'unreachable', line: null, busy: false });
    function openPayout(kind) { Object.assign(pf, { open: true, kind, payee_name: '', payee_bank: '', payee_account: '', amount: '', reason: 'unreachable', line: null }); }
    // 按方案发放: a line of a final plan, the creditor and what is still to pay filled in (民诉解释 arts 508–510)
    function openPlanPayout(plan, l) {
      Object.assign(pf, { open: true, kind: 'payout', payee_name: l.creditor, payee_bank: '', payee_account: '', amount: yuan(l.remaining_fen, { symbol: false }),
        reason: 'unreachable', line: { plan_id: plan.id, ord: l.ord, creditor: l.creditor, share_fen: l.share_fen, remaining_fen: l.remaining_fen } });
    }
    // a line's payouts: paid, in flight, still to pay
    const lineDone = (l) => l.share_fen > 0 && l.paid_fen >= l.share_fen;
    async function submitPayout() {
      const amount_fen = yuanToFen(pf.amount);
      if (!amount_fen) { ElMessage.error('请填写正确的金额（元）'); return; }
      pf.busy = true;
      try {
        const body = pf.kind === 'escrow' ? { kind: 'escrow', amount_fen, reason: pf.reason }
          : { payee_name: pf.payee_name, payee_bank: pf.payee_bank, payee_account: pf.payee_account, amount_fen };
        if (pf.line) Object.assign(body, { distribution_id: pf.line.plan_id, distribution_ord: pf.line.ord });
        const r = await post(`/cases/${id.value}/payouts`, body);
        pf.open = false;
        ElMessage.success(r.status === 'pending_approval' ? '已提交执行局长审批' : '已生成发放指令，待财务付款');
        load();
      } catch { /* shown */ } finally { pf.busy = false; }
    }
    const df = reactive({ open: false, reason: 'distribution', detail: '', busy: false });
    async function submitDeferral() {
      df.busy = true;
      try { await post(`/cases/${id.value}/deferrals`, { reason: df.reason, detail: df.detail }); df.open = false; ElMessage.success('已提交执行局长审批'); } catch { /* shown */ } finally { df.busy = false; }
    }
    const dist = reactive({ open: false, amount: '', enterprise: false, claims: [], busy: false, plan: null, served_on: today() });
    function openDist() {
      Object.assign(dist, { open: true, amount: yuan(acc.value?.available_fen, { symbol: false }), enterprise: false, plan: null,
        claims: [{ creditor: '执行费用', class: 'cost', amount: '', seized_on: '' }, { creditor: '', class: 'ordinary', amount: '', seized_on: '' }] });
    }
    function addClaim() { dist.claims.push({ creditor: '', class: 'ordinary', amount: '', seized_on: '' }); }
    async function submitDist() {
      const amount_fen = yuanToFen(dist.amount);
      const claims = dist.claims.map((c) => ({ creditor: c.creditor, class: c.class, claim_fen: yuanToFen(c.amount), seized_on: c.seized_on || undefined }));
      if (!amount_fen || claims.some((c) => !c.claim_fen || !c.creditor)) { ElMessage.error('请填写分配金额和每项债权的债权人、金额'); return; }
      dist.busy = true;
      try { dist.plan = await post(`/cases/${id.value}/distributions`, { amount_fen, enterprise: dist.enterprise, claims }); ElMessage.success('已生成分配方案'); load(); } catch { /* shown */ } finally { dist.busy = false; }
    }
    async function serveDist() {
      try { dist.plan = await post(`/funds/distributions/${dist.plan.id}/serve`, { served_on: dist.served_on }); ElMessage.success('已登记送达'); load(); } catch { /* shown */ }
    }
    // 更正 (finance): a wrong match or posting is answered by a reversal transfer, approved by the chief
    const isFinance = computed(() => hasRole('finance'));
    const correctable = (row) => row.direction === 'in' && row.status === 'posted' && ['arrival', 'claim', 'deduction'].includes(row.kind);
    const cf = reactive({ open: false, row: null, action: 'move_case', case_no: '', amount: '', reason: '', busy: false });
    function openCorrect(row) { Object.assign(cf, { open: true, row, action: 'move_case', case_no: '', amount: yuan(row.amount_fen, { symbol: false }), reason: '' }); }
    async function submitCorrect() {
      const amount_fen = yuanToFen(cf.amount);
      if (!amount_fen) { ElMessage.error('请填写正确的金额（元）'); return; }
      if (!cf.reason.trim()) { ElMessage.error('请填写更正理由'); return; }
      const body = { action: cf.action === 'reverse' ? 'reverse' : 'move', amount_fen, reason: cf.reason.trim() };
      if (cf.action === 'move_case') {
        if (!cf.case_no.trim()) { ElMessage.error('请填写应入账的案号'); return; }
        body.to_case_no = cf.case_no.trim();
      }
      cf.busy = true;
      try { await post(`/funds/transfers/${cf.row.id}/corrections`, body); cf.open = false; ElMessage.success('已提交执行局长审批，款项已冻结待更正'); load(); } catch { /* shown */ } finally { cf.busy = false; }
    }
    onMounted(load);
    return { isFinance, correctable, cf, openCorrect, submitCorrect, id, acc, payouts, loading, load, pf, openPayout, submitPayout, df, submitDeferral, dist, openDist, addClaim, submitDist,
      serveDist, yuan, dateTime, groupNo, go, STATUS, PAYOUT_STATUS, REASONS, ESCROW, CLASS, sendText, pushProblem,
      channel, plans, leftover, openPlanPayout, lineDone, step, openStep, submitStep, servePlan, planWindow, DIST_STATUS, DIST_STEPS, today };
  },
  template: `
<div class="page" data-test="funds-case">
  <div class="page-head"><h2>案款账户</h2>
    <span v-if="acc" class="muted">{{ acc.case_no }}</span>
    <el-button size="small" @click="go('/cases/' + id)">返回案件</el-button>
  </div>
  <el-card v-if="acc" shadow="never" v-loading="loading">
    <el-descriptions :column="4" border size="small">
      <el-descriptions-item label="案款账号（一案一账号）"><b data-test="account-no">{{ groupNo(acc.account_no) }}</b></el-descriptions-item>
      <el-descriptions-item label="账户余额"><span data-test="balance">{{ yuan(acc.balance_fen) }}</span></el-descriptions-item>
      <el-descriptions-item label="可发放余额">{{ yuan(acc.available_fen) }}</el-descriptions-item>
      <el-descriptions-item label="待结算执行费">{{ yuan(acc.fee_due_fen) }}</el-descriptions-item>
      <el-descriptions-item label="累计到账">{{ yuan(acc.received_fen) }}</el-descriptions-item>
      <el-descriptions-item label="累计发放">{{ yuan(acc.paid_out_fen) }}</el-descriptions-item>
      <el-descriptions-item label="执行到位">{{ yuan(acc.recovered_fen) }}</el-descriptions-item>
      <el-descriptions-item label="未到位">{{ yuan(acc.outstanding_fen) }}</el-descriptions-item>
    </el-descriptions>
    <div class="muted" style="margin:8px 0">被执行人向执行款专户付款时请在附言中注明上述案款账号或案号；账号末位为校验码，填错一位即无法入账到本案，款项将列入待认领。<span v-if="acc.oldest_unpaid_on">最早一笔未发放款项到账日：{{ acc.oldest_unpaid_on }}。</span>
      <span v-if="acc.recovered_fen > acc.received_fen" data-test="direct-paid">执行到位含未经专户、由被执行人直接交付申请执行人的 {{ yuan(acc.recovered_fen - acc.received_fen) }}。</span></div>
    <div style="margin-bottom:8px">
      <el-button size="small" type="primary" :disabled="!acc.available_fen" @click="openPayout('payout')" data-test="open-payout">拟发放</el-button>
      <el-button size="small" :disabled="!acc.available_fen" @click="openPayout('escrow')">提存</el-button>
      <el-button size="small" @click="df.open = true">申请暂缓发放</el-button>
      <el-button size="small" :disabled="!acc.available_fen" @click="openDist" data-test="open-dist">参与分配方案</el-button>
    </div>
    <h4>转账明细</h4>
    <el-table :data="acc.transfers" size="small" border empty-text="暂无到账" data-test="transfers">
      <el-table-column label="记账日期" prop="booked_on" width="100" />
      <el-table-column label="摘要" prop="label" width="110" />
      <el-table-column label="收入" width="130" align="right"><template #default="{ row }">{{ row.direction === 'in' ? yuan(row.amount_fen) : '' }}</template></el-table-column>
      <el-table-column label="支出" width="130" align="right"><template #default="{ row }">{{ row.direction === 'out' ? yuan(row.amount_fen) : '' }}</template></el-table-column>
      <el-table-column label="对方账户" prop="counterparty" min-width="160" />
      <el-table-column label="状态" width="80"><template #default="{ row }">{{ STATUS[row.status] || '—' }}</template></el-table-column>
      <el-table-column label="记录时间" width="150"><template #default="{ row }">{{ dateTime(row.at_ms) }}</template></el-table-column>
      <el-table-column v-if="isFinance" label="操作" width="80"><template #default="{ row }">
        <el-button v-if="correctable(row)" link type="primary" size="small" @click="openCorrect(row)" data-test="open-correct">更正</el-button>
      </template></el-table-column>
    </el-table>
    <h4>发放与提存</h4>
    <el-table :data="payouts" size="small" border empty-text="暂无发放申请">
      <el-table-column label="类型" width="70"><template #default="{ row }">{{ row.kind === 'escrow' ? '提存' : '发放' }}</template></el-table-column>
      <el-table-column label="收款人" min-width="110"><template #default="{ row }">{{ row.payee_name }}
        <div v-if="row.distribution_ord" class="muted" style="font-size:12px">参与分配方案第{{ row.distribution_ord }}项</div></template></el-table-column>
      <el-table-column label="收款账号" prop="payee_account" width="170" />
      <el-table-column label="金额" width="130" align="right"><template #default="{ row }">{{ yuan(row.amount_fen) }}</template></el-table-column>
      <el-table-column label="结算执行费" width="110" align="right"><template #default="{ row }">{{ yuan(row.fee_fen) }}</template></el-table-column>
      <el-table-column label="状态" width="120"><template #default="{ row }">{{ PAYOUT_STATUS[row.status] || '—' }}</template></el-table-column>
      <el-table-column label="发送银行" min-width="200"><template #default="{ row }">
        <span data-test="case-send-state">{{ sendText(row, channel) }}</span>
        <div v-if="pushProblem(row)" class="danger" style="font-size:12px">{{ pushProblem(row) }}</div>
        <div v-if="row.fail_reason" class="danger" style="font-size:12px">{{ row.fail_reason }}</div>
      </template></el-table-column>
    </el-table>
    <h4>参与分配方案</h4>
    <el-table :data="plans" size="small" border empty-text="暂无参与分配方案" data-test="plans">
      <el-table-column label="制作时间" width="150"><template #default="{ row }">{{ dateTime(row.created_ms) }}</template></el-table-column>
      <el-table-column label="分配金额" width="130" align="right"><template #default="{ row }">{{ yuan(row.amount_fen) }}</template></el-table-column>
      <el-table-column label="债权" min-width="200"><template #default="{ row }">
        <div v-for="l in row.lines" :key="l.ord" style="font-size:12px" data-test="plan-line">{{ l.ord }}. {{ l.creditor }}（{{ CLASS[l.class] }}）分得 {{ yuan(l.share_fen) }}
          <template v-if="row.status === 'final' && l.share_fen > 0">
            <span v-if="lineDone(l)" class="muted" data-test="plan-line-done">　已发放完毕</span>
            <template v-else>
              <span class="muted" data-test="plan-line-progress">　已发放 {{ yuan(l.paid_fen) }} · 在途 {{ yuan(l.held_fen) }} · 待发放 {{ yuan(l.remaining_fen) }}</span>
              <el-button v-if="l.remaining_fen > 0" link type="primary" size="small" style="margin-left:6px" @click="openPlanPayout(row, l)" data-test="plan-line-pay">按方案发放</el-button>
            </template>
          </template>
        </div>
        <div v-if="leftover(row) > 0" class="muted" style="font-size:12px">各债权全额受偿后余款 {{ yuan(leftover(row)) }}，不在本次分配之列</div>
      </template></el-table-column>
      <el-table-column label="状态" min-width="200"><template #default="{ row }">
        <div data-test="plan-status">{{ DIST_STATUS[row.status] || '—' }}</div>
        <div class="muted" style="font-size:12px">{{ planWindow(row) }}</div>
      </template></el-table-column>
      <el-table-column label="操作" min-width="220"><template #default="{ row }">
        <a :href="'/api/v1/funds/distributions/' + row.id + '/pdf'" target="_blank">方案（PDF）</a>
        <el-button v-if="row.status === 'draft'" link type="primary" size="small" style="margin-left:8px" @click="servePlan(row, today())" data-test="plan-serve">今日送达</el-button>
        <el-button v-for="st in (DIST_STEPS[row.status] || [])" :key="st[0]" link type="primary" size="small" style="margin-left:8px"
          @click="openStep(row, st)" :data-test="'plan-' + st[0]">{{ st[1] }}</el-button>
      </template></el-table-column>
    </el-table>
  </el-card>
  <el-dialog v-model="step.open" :title="'分配方案：' + step.label" width="440px">
    <el-form label-width="170px" v-if="step.dated">
      <el-form-item :label="step.dateLabel"><el-date-picker v-model="step.on" type="date" value-format="YYYY-MM-DD" data-test="plan-step-on" /></el-form-item>
      <el-form-item v-if="step.outcome === 'suit_filed'" label="争议债权数额（元）"><el-input v-model="step.disputed" data-test="plan-disputed" /></el-form-item>
      <div v-if="step.outcome === 'suit_filed'" class="muted" style="margin-bottom:8px">诉讼期间进行分配的，与争议债权数额相应的款项予以提存，提交后由执行局长审批。</div>
    </el-form>
    <div class="muted">民诉解释第509条、第510条：送达后十五日内可提出书面异议；异议通知后十五日内其他债权人、被执行人可提出反对意见；反对意见通知后十五日内异议人可提起诉讼，逾期按原方案分配。</div>
    <template #footer><el-button @click="step.open = false">取消</el-button><el-button type="primary" :loading="step.busy" @click="submitStep" data-test="plan-step-submit">确定</el-button></template>
  </el-dialog>
  <el-dialog v-model="pf.open" :title="pf.kind === 'escrow' ? '提存' : pf.line ? '按参与分配方案发放' : '拟发放执行款'" width="520px">
    <el-form label-width="100px">
      <el-form-item v-if="pf.line" label="发放依据"><span data-test="payout-plan-ref">参与分配方案第{{ pf.line.ord }}项（{{ pf.line.creditor }}），分配额 {{ yuan(pf.line.share_fen) }}，待发放 {{ yuan(pf.line.remaining_fen) }}</span></el-form-item>
      <template v-if="pf.kind === 'payout'">
        <el-form-item label="收款人"><el-input v-model="pf.payee_name" data-test="payee-name" /></el-form-item>
        <el-form-item label="开户行"><el-input v-model="pf.payee_bank" /></el-form-item>
        <el-form-item label="收款账号"><el-input v-model="pf.payee_account" data-test="payee-account" /></el-form-item>
      </template>
      <el-form-item v-else label="提存事由"><el-select v-model="pf.reason"><el-option v-for="r in ESCROW" :key="r[0]" :value="r[0]" :label="r[1]" /></el-select></el-form-item>
      <el-form-item label="金额（元）"><el-input v-model="pf.amount" data-test="payout-amount" /></el-form-item>
      <div v-if="pf.line" class="muted">按方案发放不超过该项待发放金额；执行费用已列入方案（民诉解释第508条），不另行结算申请执行费。达到审批金额的发放须执行局长审批。</div>
      <div v-else class="muted">可发放 {{ yuan(acc && acc.available_fen) }}，其中应先结算申请执行费 {{ yuan(acc && acc.fee_due_fen) }}（诉讼费用交纳办法第14条，由被执行人负担）。达到审批金额的发放及全部提存须执行局长审批。</div>
    </el-form>
    <template #footer><el-button @click="pf.open = false">取消</el-button><el-button type="primary" :loading="pf.busy" @click="submitPayout" data-test="payout-submit">提交</el-button></template>
  </el-dialog>
  <el-dialog v-model="cf.open" title="申请案款更正" width="520px">
    <div v-if="cf.row" class="muted" style="margin-bottom:8px">{{ cf.row.booked_on }} {{ cf.row.label }} {{ yuan(cf.row.amount_fen) }}（{{ cf.row.counterparty }}）</div>
    <el-form label-width="90px">
      <el-form-item label="更正方式"><el-radio-group v-model="cf.action" data-test="correct-action">
        <el-radio value="move_case">改记到其他案件</el-radio><el-radio value="move_unidentified">退回待认领</el-radio>
        <el-radio v-if="cf.row && cf.row.kind !== 'claim'" value="reverse">冲回专户（银行未实际入账）</el-radio>
      </el-radio-group></el-form-item>
      <el-form-item v-if="cf.action === 'move_case'" label="应入账案号"><el-input v-model="cf.case_no" placeholder="（2024）辽0102执123号" data-test="correct-case-no" /></el-form-item>
      <el-form-item label="金额（元）"><el-input v-model="cf.amount" data-test="correct-amount" /></el-form-item>
      <el-form-item label="更正理由"><el-input v-model="cf.reason" type="textarea" :rows="2" data-test="correct-reason" /></el-form-item>
      <div class="muted">原转账记录不作修改，以一笔反向转账更正；提交后该款项即被冻结，经执行局长批准后入账，退回则解除冻结。</div>
    </el-form>
    <template #footer><el-button @click="cf.open = false">取消</el-button><el-button type="primary" :loading="cf.busy" @click="submitCorrect" data-test="correct-submit">提交审批</el-button></template>
  </el-dialog>
  <el-dialog v-model="df.open" title="申请暂缓发放" width="480px">
    <el-form label-width="80px">
      <el-form-item label="事由"><el-select v-model="df.reason" style="width:100%"><el-option v-for="r in REASONS" :key="r[0]" :value="r[0]" :label="r[1]" /></el-select></el-form-item>
      <el-form-item label="说明"><el-input v-model="df.detail" type="textarea" :rows="2" /></el-form-item>
    </el-form>
    <template #footer><el-button @click="df.open = false">取消</el-button><el-button type="primary" :loading="df.busy" @click="submitDeferral">提交</el-button></template>
  </el-dialog>
  <el-dialog v-model="dist.open" title="参与分配方案" width="760px">
    <el-form label-width="100px" v-if="!dist.plan">
      <el-form-item label="分配金额（元）"><el-input v-model="dist.amount" style="width:200px" /></el-form-item>
      <el-form-item label="被执行人类型"><el-checkbox v-model="dist.enterprise">企业法人（普通债权按查封先后清偿）</el-checkbox></el-form-item>
      <el-table :data="dist.claims" size="small" border data-test="dist-claims">
        <el-table-column label="债权人"><template #default="{ row }"><el-input v-model="row.creditor" size="small" /></template></el-table-column>
        <el-table-column label="类别" width="130"><template #default="{ row }"><el-select v-model="row.class" size="small"><el-option v-for="(v, k) in CLASS" :key="k" :value="k" :label="v" /></el-select></template></el-table-column>
        <el-table-column label="确认债权（元）" width="150"><template #default="{ row }"><el-input v-model="row.amount" size="small" /></template></el-table-column>
        <el-table-column label="查封日期" width="150"><template #default="{ row }"><el-date-picker v-model="row.seized_on" type="date" value-format="YYYY-MM-DD" size="small" style="width:130px" /></template></el-table-column>
      </el-table>
      <el-button size="small" style="margin-top:8px" @click="addClaim">增加债权</el-button>
    </el-form>
    <div v-else>
      <el-table :data="dist.plan.lines" size="small" border>
        <el-table-column label="债权人" prop="creditor" />
        <el-table-column label="类别" width="100"><template #default="{ row }">{{ CLASS[row.class] }}</template></el-table-column>
        <el-table-column label="确认债权" align="right" width="140"><template #default="{ row }">{{ yuan(row.claim_fen) }}</template></el-table-column>
        <el-table-column label="分配金额" align="right" width="140"><template #default="{ row }">{{ yuan(row.share_fen) }}</template></el-table-column>
      </el-table>
      <div style="margin-top:8px">
        <a :href="'/api/v1/funds/distributions/' + dist.plan.id + '/pdf'" target="_blank">查看分配方案（PDF）</a>
        <span v-if="dist.plan.objection_due_on" class="muted" style="margin-left:12px">异议期至 {{ dist.plan.objection_due_on }}（民诉解释第509条）</span>
        <span v-else style="margin-left:12px">送达日期 <el-date-picker v-model="dist.served_on" type="date" value-format="YYYY-MM-DD" size="small" /> <el-button size="small" @click="serveDist" data-test="dist-serve">登记送达</el-button></span>
      </div>
    </div>
    <template #footer><el-button @click="dist.open = false">关闭</el-button><el-button v-if="!dist.plan" type="primary" :loading="dist.busy" @click="submitDist" data-test="dist-submit">生成方案</el-button></template>
  </el-dialog>
</div>
`,
});
