// 案款管理 — the finance desk and the 执行局长's weekly list: 待认领款, 发放审批与付款, 超期未发放,
// 暂缓发放, 对账. Data: /api/v1/funds/* (docs/api/funds.md).
import { reactive, ref, computed, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { get, post, put, hasRole } from '../api.js';
import { go, route } from '../router.js';
import { view } from '../view.js';
import { yuan, yuanToFen, today } from '../fmt.js';
import { PAYOUT_STATUS, CHANNEL, sendText, pushProblem, canResend } from './funds-common.js';
const LEVEL = { ok: '期限内', warning: '临近期限', overdue: '超过本院期限', overdue_legal: '超过30日', deferred: '暂缓发放' };
const ARR_STATUS = { unidentified: '待认领', matched: '已匹配', claimed: '已认领', held: '暂存', reversed: '已冲回' };
const SOURCE = { bank_notice: '银行通知', statement: '对账单', deduction: '网络扣划', auction: '拍卖款', deposit: '保证金', manual: '手工登记' };
const REASON = {
  distribution: '需要进行案款分配', frozen_elsewhere: '执行款被另案保全或冻结', not_collecting: '申请执行人经通知未领取',
  suspended: '案件中止或暂缓执行', other: '其他正当理由',
};
const DSTATUS = { pending_approval: '待审批', active: '暂缓中', ended: '事由已消除', returned: '未获批准' };
const CSTATUS = { pending_approval: '待局长审批', done: '已更正', returned: '审批退回', cancelled: '已撤回' };

export default view(import.meta.url, {
  setup() {
    const tab = ref(route.query.tab || (hasRole('chief') ? 'payouts' : 'unidentified'));
    const isChief = computed(() => hasRole('chief'));
    const isFinance = computed(() => hasRole('finance'));
    const arrivals = ref([]);
    const payouts = ref([]);
    const overdue = ref(null);
    const deferrals = ref([]);
    const recon = ref(null);
    const settings = ref(null);
    const corrections = ref([]);
    const loading = ref(false);
    const arrFilter = ref('unidentified');
    async function loadArrivals() { arrivals.value = (await get('/funds/arrivals', { status: arrFilter.value })).items; }
    async function loadPayouts() { payouts.value = (await get('/funds/payouts')).items; }
    async function loadOverdue() { overdue.value = await get('/funds/overdue'); }
    async function loadDeferrals() { deferrals.value = (await get('/funds/deferrals')).items; }
    async function loadSettings() { settings.value = await get('/funds/settings'); }
    async function loadCorrections() {
      if (hasRole('finance') || hasRole('chief')) corrections.value = (await get('/funds/corrections')).items;
    }
    async function loadAll() {
      loading.value = true;
      try { await Promise.all([loadArrivals(), loadPayouts(), loadOverdue(), loadDeferrals(), loadSettings(), loadCorrections()]); } catch { /* shown */ } finally { loading.value = false; }
    }
    async function runRecon() {
      try { recon.value = await get('/funds/reconcile'); } catch { /* shown */ }
    }
    // 认领
    const claim = reactive({ open: false, row: null, case_no: '', busy: false });
    function openClaim(row) { Object.assign(claim, { open: true, row, case_no: '' }); }
    async function doClaim() {
      claim.busy = true;
      try {
        await post(`/funds/arrivals/${claim.row.id}/claim`, { case_no: claim.case_no.trim() });
        claim.open = false; ElMessage.success('已认领入案'); loadArrivals();
      } catch { /* shown */ } finally { claim.busy = false; }
    }
    // 审批 / 付款结果
    const dec = reactive({ open: false, row: null, mode: 'approve', approve: true, opinion: '', ok: true, bank_ref: '', reason: '', busy: false });
    function openDecide(row) { Object.assign(dec, { open: true, row, mode: 'approve', approve: true, opinion: '' }); }
    function openResult(row) { Object.assign(dec, { open: true, row, mode: 'result', ok: true, bank_ref: '', reason: '' }); }
    async function submitDecide() {
      dec.busy = true;
      try {
        if (dec.mode === 'approve') await post(`/funds/payouts/${dec.row.id}/approve`, { approve: dec.approve, opinion: dec.opinion });
        else await post(`/funds/payouts/${dec.row.id}/result`, { ok: dec.ok, bank_ref: dec.bank_ref, reason: dec.reason });
        dec.open = false; ElMessage.success('已办理'); loadPayouts(); loadOverdue();
      } catch { /* shown */ } finally { dec.busy = false; }
    }
    // 立即重发: an instruction pushed by API and not yet answered is sent again now (the same signed
    // instruction; the bank keeps instruction ids, so nothing is paid twice)
    async function resend(row) {
      try { await post(`/funds/payouts/${row.id}/resend`, {}); ElMessage.success('已安排立即重发付款指令'); loadPayouts(); } catch { /* shown */ }
    }
    async function cancel(row) {
      try { await post(`/funds/payouts/${row.id}/cancel`, {}); ElMessage.success('已撤回'); loadPayouts(); } catch { /* shown */ }
    }
    async function exportFile() {
      try {
        const r = await fetch('/api/v1/funds/payouts-file', { credentials: 'same-origin' });
        if (!r.ok) { ElMessage.error('导出失败'); return; }
        const blob = await r.blob();
        const a = document.createElement('a');
        a.href = URL.createObjectURL(blob); a.download = `付款文件-${today()}.csv`; a.click();
        ElMessage.success('已导出付款文件，相关发放已标记为已发银行'); loadPayouts();
      } catch { ElMessage.error('导出失败'); }
    }
    // 暂缓事由消除: the case's handler records the day the cause ended; pay within 10 days (法发〔2017〕6号)
    const isCaseWorker = computed(() => ['judge', 'assistant', 'clerk', 'chief'].some((x) => hasRole(x)));
    const dend = reactive({ open: false, row: null, on: today(), busy: false });
    function openEnd(row) { Object.assign(dend, { open: true, row, on: today() }); }
    async function submitEnd() {
      dend.busy = true;
      try {
        const r = await post(`/funds/deferrals/${dend.row.id}/end`, { ended_on: dend.on });
        dend.open = false; ElMessage.success(r.resume_due_on ? `已登记，应于 ${r.resume_due_on} 前发放` : '已登记，应于十日内发放'); loadDeferrals(); loadOverdue();
      } catch { /* shown */ } finally { dend.busy = false; }
    }
    async function decideDeferral(row, approve) {
      try { await post(`/funds/deferrals/${row.id}/approve`, { approve }); ElMessage.success('已办理'); loadDeferrals(); loadOverdue(); } catch { /* shown */ }
    }
    // 更正：局长审批 / 财务撤回
    const cdec = reactive({ open: false, row: null, approve: true, opinion: '', busy: false });
    function openCorrection(row) { Object.assign(cdec, { open: true, row, approve: true, opinion: '' }); }
    async function submitCorrection() {
      cdec.busy = true;
      try {
        await post(`/funds/corrections/${cdec.row.id}/approve`, { approve: cdec.approve, opinion: cdec.opinion });
        cdec.open = false; ElMessage.success(cdec.approve ? '已批准，更正已入账' : '已退回'); loadCorrections(); loadArrivals();
      } catch { /* shown */ } finally { cdec.busy = false; }
    }
    async function cancelCorrection(row) {
      try { await post(`/funds/corrections/${row.id}/cancel`, {}); ElMessage.success('已撤回'); loadCorrections(); } catch { /* shown */ }
    }
    // 设置
    const st = reactive({ open: false, local_limit_days: 7, local_limit_working: true, tier: '', claim_working_days: 3, warning_days: 3, payout_channel: 'file', busy: false });
    function openSettings() {
      const s = settings.value || {};
      Object.assign(st, { open: true, local_limit_days: s.local_limit_days, local_limit_working: s.local_limit_working,
        tier: yuan(s.chief_tier_fen, { symbol: false }), claim_working_days: s.claim_working_days, warning_days: s.warning_days,
        payout_channel: s.payout_channel || 'file' });
    }
    async function saveSettings() {
      const tier = yuanToFen(st.tier);
      if (tier === null) { ElMessage.error('审批金额格式不正确'); return; }
      st.busy = true;
      try {
        settings.value = await put('/funds/settings', { local_limit_days: st.local_limit_days, local_limit_working: st.local_limit_working,
          chief_tier_fen: tier, claim_working_days: st.claim_working_days, warning_days: st.warning_days, payout_channel: st.payout_channel });
        st.open = false; ElMessage.success('已保存');
      } catch { /* shown */ } finally { st.busy = false; }
    }
    const bucketRows = computed(() => {
      const b = overdue.value?.buckets || {};
      return ['gt30', 'gt15', 'gt10', 'gt5', 'le5'].filter((k) => b[k]).map((k) => ({ key: k, ...b[k] }));
    });
    onMounted(loadAll);
    return {
      go, tab, isChief, isFinance, arrivals, payouts, overdue, deferrals, recon, settings, loading, arrFilter, loadArrivals,
      runRecon, claim, openClaim, doClaim, dec, openDecide, openResult, submitDecide, cancel, exportFile, decideDeferral,
      resend, CHANNEL, sendText, pushProblem, canResend, isCaseWorker, dend, openEnd, submitEnd,
      st, openSettings, saveSettings, bucketRows, yuan, PAYOUT_STATUS, LEVEL, ARR_STATUS, SOURCE, REASON, DSTATUS,
      corrections, cdec, openCorrection, submitCorrection, cancelCorrection, CSTATUS,
    };
  },
  template: `
<div class="page" data-test="funds-desk">
  <div class="page-head"><h2>案款管理</h2>
    <span class="muted">一案一账号：每一笔执行款经执行款专户入账、匹配到案、发放到申请执行人；到账后30日内发放（本院期限{{ settings ? settings.local_limit_days + (settings.local_limit_working ? '个工作日' : '日') : '' }}），待认领款{{ settings ? settings.claim_working_days : 3 }}个工作日内认领。<span v-if="settings" data-test="payout-channel">付款指令发送方式：{{ CHANNEL[settings.payout_channel] || '付款文件' }}。</span></span>
    <el-button v-if="isFinance" size="small" type="primary" @click="go('/funds/import')" data-test="open-import">对账单导入</el-button>
    <el-button v-if="isChief" size="small" @click="openSettings">发放设置</el-button>
  </div>
  <el-tabs v-model="tab">
    <el-tab-pane label="待认领款" name="unidentified">
      <el-radio-group v-model="arrFilter" size="small" @change="loadArrivals" style="margin-bottom:8px">
        <el-radio-button value="unidentified">待认领</el-radio-button><el-radio-button value="all">全部到账</el-radio-button>
      </el-radio-group>
      <el-table :data="arrivals" v-loading="loading" size="small" border empty-text="暂无记录" data-test="arrivals"
        :row-class-name="({ row }) => row.claim_overdue ? 'row-overdue' : ''">
        <el-table-column label="记账日期" prop="booked_on" width="100" />
        <el-table-column label="金额" width="170" align="right"><template #default="{ row }">{{ yuan(row.amount_fen) }}</template></el-table-column>
        <el-table-column label="付款人" prop="payer_name" min-width="140" />
        <el-table-column label="付款账号" prop="payer_account" width="170" />
        <el-table-column label="附言" prop="remark" min-width="140" show-overflow-tooltip />
        <el-table-column label="来源" width="90"><template #default="{ row }">{{ SOURCE[row.source] || '其他' }}</template></el-table-column>
        <el-table-column label="状态" width="90"><template #default="{ row }">{{ ARR_STATUS[row.status] || '—' }}</template></el-table-column>
        <el-table-column label="案号" min-width="170"><template #default="{ row }"><a v-if="row.case_id" :href="'#/cases/' + row.case_id + '/funds'">{{ row.case_no }}</a></template></el-table-column>
        <el-table-column label="认领期限" width="110"><template #default="{ row }"><span :class="row.claim_overdue ? 'danger' : ''">{{ row.claim_due_on || '' }}</span></template></el-table-column>
        <el-table-column label="操作" width="90"><template #default="{ row }">
          <el-button v-if="row.status === 'unidentified'" link type="primary" size="small" @click="openClaim(row)">认领</el-button>
        </template></el-table-column>
      </el-table>
    </el-tab-pane>
    <el-tab-pane label="发放与审批" name="payouts">
      <div style="margin-bottom:8px" v-if="isFinance"><el-button size="small" type="primary" @click="exportFile">导出银行付款文件</el-button>
        <span class="muted" style="margin-left:8px">{{ settings && settings.payout_channel === 'api' ? '本院付款指令经银行接口自动发送（电子签章）；银行拒收的指令改列入付款文件。' : '本院以付款文件向银行发送付款指令；导出后相关发放标记为已发银行。' }}</span></div>
      <el-table :data="payouts" size="small" border empty-text="暂无发放申请" data-test="payouts">
        <el-table-column label="案号" min-width="170"><template #default="{ row }"><a :href="'#/cases/' + row.case_id + '/funds'">{{ row.case_no }}</a></template></el-table-column>
        <el-table-column label="类型" width="60"><template #default="{ row }">{{ row.kind === 'escrow' ? '提存' : '发放' }}</template></el-table-column>
        <el-table-column label="收款人" min-width="110"><template #default="{ row }">{{ row.payee_name }}
          <div v-if="row.payee_role" class="muted" style="font-size:12px" data-test="payout-role">{{ row.payee_role }}</div></template></el-table-column>
        <el-table-column label="收款账号" prop="payee_account" width="95" />
        <el-table-column label="金额" width="170" align="right"><template #default="{ row }">{{ yuan(row.amount_fen) }}
          <div v-if="row.fee_fen" class="muted" style="font-size:12px">另结算执行费 {{ yuan(row.fee_fen) }}</div></template></el-table-column>
        <el-table-column label="最早到账" prop="oldest_arrival_on" width="100" />
        <el-table-column label="状态" width="100"><template #default="{ row }">{{ PAYOUT_STATUS[row.status] || '—' }}</template></el-table-column>
        <el-table-column label="发送银行" min-width="190"><template #default="{ row }">
          <span data-test="send-state">{{ sendText(row, settings && settings.payout_channel) }}</span>
          <div v-if="pushProblem(row)" class="danger" style="font-size:12px" data-test="push-error">{{ pushProblem(row) }}</div>
          <div v-if="row.bank_ref" class="muted" style="font-size:12px">银行流水号 {{ row.bank_ref }}</div>
        </template></el-table-column>
        <el-table-column label="操作" width="150"><template #default="{ row }">
          <el-button v-if="canResend(row) && isFinance" link type="primary" size="small" @click="resend(row)" data-test="resend">立即重发</el-button>
          <el-button v-if="row.status === 'pending_approval' && isChief" link type="primary" size="small" @click="openDecide(row)">审批</el-button>
          <el-button v-if="(row.status === 'approved' || row.status === 'sent') && isFinance" link type="primary" size="small" @click="openResult(row)">登记付款结果</el-button>
          <el-button v-if="row.status === 'pending_approval' || row.status === 'approved'" link size="small" @click="cancel(row)">撤回</el-button>
        </template></el-table-column>
      </el-table>
    </el-tab-pane>
    <el-tab-pane label="超期未发放" name="overdue">
      <div v-if="overdue" data-test="overdue">
        <div class="muted" style="margin-bottom:8px">截至 {{ overdue.as_of }}，在账未发放 {{ overdue.cases }} 案 {{ yuan(overdue.total_fen) }}，其中超期 {{ overdue.overdue_cases }} 案。</div>
        <el-row :gutter="12" style="margin-bottom:12px">
          <el-col :span="4" v-for="b in bucketRows" :key="b.key">
            <el-card shadow="never" :data-test="'bucket-' + b.key"><div class="muted">{{ b.label }}</div><div style="font-size:20px">{{ b.cases }} 案</div><div>{{ yuan(b.amount_fen) }}</div></el-card>
          </el-col>
        </el-row>
        <el-row :gutter="12">
          <el-col :span="12"><el-table :data="overdue.by_court" size="small" border empty-text="无">
            <el-table-column label="法院" prop="name" /><el-table-column label="案件数" prop="cases" width="80" /><el-table-column label="超期" prop="overdue" width="70" />
            <el-table-column label="金额" align="right" width="140"><template #default="{ row }">{{ yuan(row.amount_fen) }}</template></el-table-column>
          </el-table></el-col>
          <el-col :span="12"><el-table :data="overdue.by_judge" size="small" border empty-text="无">
            <el-table-column label="承办人" prop="name" /><el-table-column label="案件数" prop="cases" width="80" /><el-table-column label="超期" prop="overdue" width="70" />
            <el-table-column label="金额" align="right" width="140"><template #default="{ row }">{{ yuan(row.amount_fen) }}</template></el-table-column>
          </el-table></el-col>
        </el-row>
        <el-table :data="overdue.items" size="small" border style="margin-top:12px" empty-text="无在账未发放案款"
          :row-class-name="({ row }) => row.level.startsWith('overdue') ? 'row-overdue' : row.level === 'warning' ? 'row-warn' : ''">
          <el-table-column label="案号" min-width="170"><template #default="{ row }"><a :href="'#/cases/' + row.case_id + '/funds'">{{ row.case_no }}</a></template></el-table-column>
          <el-table-column label="法院" prop="court_name" min-width="140" />
          <el-table-column label="承办人" prop="handler_name" width="90" />
          <el-table-column label="在账金额" width="130" align="right"><template #default="{ row }">{{ yuan(row.amount_fen) }}</template></el-table-column>
          <el-table-column label="最早到账" prop="oldest_arrival_on" width="100" />
          <el-table-column label="已在账（日）" prop="days" width="100" />
          <el-table-column label="应发放日" prop="due_on" width="100" />
          <el-table-column label="状态" width="110"><template #default="{ row }">{{ LEVEL[row.level] || '—' }}</template></el-table-column>
        </el-table>
      </div>
    </el-tab-pane>
    <el-tab-pane label="暂缓发放" name="deferrals">
      <el-table :data="deferrals" size="small" border empty-text="暂无暂缓发放" data-test="deferrals">
        <el-table-column label="案号" min-width="170"><template #default="{ row }"><a :href="'#/cases/' + row.case_id + '/funds'">{{ row.case_no }}</a></template></el-table-column>
        <el-table-column label="事由" min-width="200"><template #default="{ row }">{{ row.reason_label }}<span v-if="row.detail" class="muted">（{{ row.detail }}）</span></template></el-table-column>
        <el-table-column label="状态" width="100"><template #default="{ row }">{{ DSTATUS[row.status] || '—' }}</template></el-table-column>
        <el-table-column label="开始" width="100"><template #default="{ row }">{{ row.started_on || '—' }}</template></el-table-column>
        <el-table-column label="事由消除" width="100"><template #default="{ row }">{{ row.ended_on || '—' }}</template></el-table-column>
        <el-table-column label="应于此前发放" width="110"><template #default="{ row }">{{ row.resume_due_on || '—' }}</template></el-table-column>
        <el-table-column label="操作" width="130"><template #default="{ row }">
          <template v-if="row.status === 'pending_approval' && isChief">
            <el-button link type="primary" size="small" @click="decideDeferral(row, true)">批准</el-button>
            <el-button link size="small" @click="decideDeferral(row, false)">不批准</el-button>
          </template>
          <el-button v-if="row.status === 'active' && isCaseWorker" link type="primary" size="small" @click="openEnd(row)" data-test="deferral-end">事由消除</el-button>
        </template></el-table-column>
      </el-table>
    </el-tab-pane>
    <el-tab-pane v-if="isFinance || isChief" label="案款更正" name="corrections">
      <div class="muted" style="margin-bottom:8px">错误匹配或错误入账不修改原记录，而以一笔反向转账更正（改记到正确案件、退回待认领或冲回专户），经执行局长批准后入账。财务人员在案件的案款账户中对相应转账申请更正。</div>
      <el-table :data="corrections" size="small" border empty-text="暂无更正申请" data-test="corrections">
        <el-table-column label="记账日期" prop="booked_on" width="100" />
        <el-table-column label="更正方式" prop="action_label" width="120" />
        <el-table-column label="原入账案件" min-width="170"><template #default="{ row }"><a v-if="row.from_case_id" :href="'#/cases/' + row.from_case_id + '/funds'">{{ row.from_case_no }}</a><span v-else>待认领</span></template></el-table-column>
        <el-table-column label="更正到" min-width="170"><template #default="{ row }"><a v-if="row.to_case_id" :href="'#/cases/' + row.to_case_id + '/funds'">{{ row.to_case_no }}</a><span v-else>{{ row.action === 'reverse' ? '执行款专户' : '待认领' }}</span></template></el-table-column>
        <el-table-column label="金额" width="170" align="right"><template #default="{ row }">{{ yuan(row.amount_fen) }}</template></el-table-column>
        <el-table-column label="理由" prop="reason" min-width="180" show-overflow-tooltip />
        <el-table-column label="状态" width="100"><template #default="{ row }">{{ CSTATUS[row.status] || '—' }}</template></el-table-column>
        <el-table-column label="操作" width="120"><template #default="{ row }">
          <el-button v-if="row.status === 'pending_approval' && isChief" link type="primary" size="small" @click="openCorrection(row)" data-test="correction-decide">审批</el-button>
          <el-button v-if="row.status === 'pending_approval' && isFinance" link size="small" @click="cancelCorrection(row)">撤回</el-button>
        </template></el-table-column>
      </el-table>
    </el-tab-pane>
    <el-tab-pane label="对账" name="recon">
      <el-button size="small" type="primary" @click="runRecon" data-test="run-recon">立即对账</el-button>
      <div v-if="recon" style="margin-top:12px" data-test="recon-result">
        <el-alert :type="recon.ok ? 'success' : 'error'" :closable="false" :title="recon.ok ? '对账一致：专户余额等于各分户合计，各账户余额与转账记录相符' : '对账不一致'" />
        <ul v-if="!recon.ok"><li v-for="p in recon.problems" :key="p">{{ p }}</li></ul>
        <el-table :data="recon.courts" size="small" border style="margin-top:8px">
          <el-table-column label="法院" prop="court_name" />
          <el-table-column label="专户余额" align="right"><template #default="{ row }">{{ yuan(row.bank_fen) }}</template></el-table-column>
          <el-table-column label="各分户合计" align="right"><template #default="{ row }">{{ yuan(row.accounts_fen) }}</template></el-table-column>
          <el-table-column label="差额" align="right"><template #default="{ row }">{{ yuan(row.difference_fen) }}</template></el-table-column>
        </el-table>
      </div>
    </el-tab-pane>
  </el-tabs>
  <el-dialog v-model="claim.open" title="认领入案" width="460px">
    <div v-if="claim.row" class="muted" style="margin-bottom:8px">{{ claim.row.booked_on }} {{ claim.row.payer_name }} {{ yuan(claim.row.amount_fen) }}</div>
    <el-form label-width="70px"><el-form-item label="案号"><el-input v-model="claim.case_no" placeholder="（2024）辽0102执123号" data-test="claim-case-no" /></el-form-item></el-form>
    <template #footer><el-button @click="claim.open = false">取消</el-button><el-button type="primary" :loading="claim.busy" @click="doClaim" data-test="claim-submit">确定认领</el-button></template>
  </el-dialog>
  <el-dialog v-model="dec.open" :title="dec.mode === 'approve' ? '审批发放' : '登记银行付款结果'" width="480px">
    <div v-if="dec.row" class="muted" style="margin-bottom:8px">{{ dec.row.case_no }}：{{ dec.row.payee_role || '' }}{{ dec.row.payee_name }} {{ yuan(dec.row.amount_fen) }}</div>
    <el-form label-width="90px">
      <template v-if="dec.mode === 'approve'">
        <el-form-item label="决定"><el-radio-group v-model="dec.approve"><el-radio :value="true">批准</el-radio><el-radio :value="false">退回</el-radio></el-radio-group></el-form-item>
        <el-form-item label="意见"><el-input v-model="dec.opinion" type="textarea" :rows="2" /></el-form-item>
      </template>
      <template v-else>
        <el-form-item label="结果"><el-radio-group v-model="dec.ok"><el-radio :value="true">已付款</el-radio><el-radio :value="false">付款失败退回</el-radio></el-radio-group></el-form-item>
        <el-form-item v-if="dec.ok" label="银行流水号"><el-input v-model="dec.bank_ref" /></el-form-item>
        <el-form-item v-else label="退回原因"><el-input v-model="dec.reason" /></el-form-item>
      </template>
    </el-form>
    <template #footer><el-button @click="dec.open = false">取消</el-button><el-button type="primary" :loading="dec.busy" @click="submitDecide">确定</el-button></template>
  </el-dialog>
  <el-dialog v-model="cdec.open" title="审批案款更正" width="480px">
    <div v-if="cdec.row" class="muted" style="margin-bottom:8px">{{ cdec.row.action_label }}：{{ cdec.row.from_case_no || '待认领' }} {{ yuan(cdec.row.amount_fen) }}；理由：{{ cdec.row.reason }}</div>
    <el-form label-width="70px">
      <el-form-item label="决定"><el-radio-group v-model="cdec.approve"><el-radio :value="true">批准</el-radio><el-radio :value="false">退回</el-radio></el-radio-group></el-form-item>
      <el-form-item label="意见"><el-input v-model="cdec.opinion" type="textarea" :rows="2" /></el-form-item>
    </el-form>
    <template #footer><el-button @click="cdec.open = false">取消</el-button><el-button type="primary" :loading="cdec.busy" @click="submitCorrection" data-test="correction-submit">确定</el-button></template>
  </el-dialog>
  <el-dialog v-model="dend.open" title="暂缓发放事由消除" width="440px">
    <div v-if="dend.row" class="muted" style="margin-bottom:8px">{{ dend.row.case_no }}：{{ dend.row.reason_label }}</div>
    <el-form label-width="110px"><el-form-item label="事由消除日期"><el-date-picker v-model="dend.on" type="date" value-format="YYYY-MM-DD" /></el-form-item></el-form>
    <div class="muted">暂缓发放的事由消除后，应在十日内发放（法发〔2017〕6号）。</div>
    <template #footer><el-button @click="dend.open = false">取消</el-button><el-button type="primary" :loading="dend.busy" @click="submitEnd" data-test="deferral-end-submit">确定</el-button></template>
  </el-dialog>
  <el-dialog v-model="st.open" title="发放设置" width="600px">
    <el-form label-width="140px">
      <el-form-item label="本院发放期限"><el-input-number v-model="st.local_limit_days" :min="1" :max="30" /> <el-checkbox v-model="st.local_limit_working" style="margin-left:8px">按工作日计算</el-checkbox></el-form-item>
      <el-form-item label="局长审批金额（元）"><el-input v-model="st.tier" /></el-form-item>
      <el-form-item label="认领期限（工作日）"><el-input-number v-model="st.claim_working_days" :min="1" :max="30" /></el-form-item>
      <el-form-item label="付款指令发送方式"><el-radio-group v-model="st.payout_channel" data-test="settings-channel">
        <el-radio value="file">付款文件（财务导出后交银行）</el-radio><el-radio value="api">银行接口（自动发送，电子签章）</el-radio>
      </el-radio-group></el-form-item>
      <el-form-item label="临期提醒（日）"><el-input-number v-model="st.warning_days" :min="0" :max="15" data-test="warning-days" /><span class="muted" style="margin-left:8px">应发放日前多少日列为临近期限</span></el-form-item>
    </el-form>
    <template #footer><el-button @click="st.open = false">取消</el-button><el-button type="primary" :loading="st.busy" @click="saveSettings">保存</el-button></template>
  </el-dialog>
</div>
`,
});
