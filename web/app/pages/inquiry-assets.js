// Staff: a case's 财产查控 — send a network inquiry (all kinds or some), each institution's status,
// the asset list with controls (freeze/seize, deduct, release), and companies in the clue graph.
import { reactive, ref, computed, onMounted, onUnmounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { api } from '../api.js';
import { route, go } from '../router.js';
import { view } from '../view.js';
import { yuan, yuanToFen, dateTime } from '../fmt.js';
import { ASSET_STATUS, CONTROL_STATUS, CONTROL_KIND, REQ_STATE, REQ_RESULT, OP, TRIGGER, RUN_STATUS, reason, reqState } from './inquiry-common.js';

export default view(import.meta.url, {
  setup() {
    const caseId = route.params.id;
    const c = ref(null);
    const assets = ref([]);
    const runs = ref([]);
    const ops = ref([]);
    const kinds = ref([]);
    const companies = ref([]);
    const clues = ref([]);
    const manual = ref([]);
    const busy = ref(false);
    const send = reactive({ open: false, all: true, kinds: [] });
    const dlg = reactive({ open: false, op: '', asset: null, amount: '', err: '' });
    let timer;

    async function load() {
      try {
        const [k, a, q, g] = await Promise.all([
          api('GET', '/cases/' + caseId), api('GET', '/cases/' + caseId + '/assets'),
          api('GET', '/cases/' + caseId + '/inquiries'), api('GET', '/cases/' + caseId + '/asset-graph', null, { quiet: true }).catch(() => null),
        ]);
        c.value = k.case || k;
        assets.value = a.assets;
        runs.value = q.inquiries;
        ops.value = q.operations;
        companies.value = g ? g.nodes.filter((n) => n.type === 'company') : [];
        // applicant-supplied clues and their verification clock (7 days, urgent 3: case deadlines clue_verify)
        const ev = await api('GET', '/cases/' + caseId + '/events', null, { quiet: true }).catch(() => ({ items: [] }));
        const dl = ((c.value.clocks && c.value.clocks.deadlines) || []).filter((d) => d.kind === 'clue_verify');
        // 查控 recorded by hand on the case (before this system ran the case's inquiries, or outside it)
        manual.value = (ev.items || []).filter((e) => e.kind === 'network_inquiry' && !(e.data && e.data.source === 'system'))
          .map((e) => ({ seq: e.seq, on: e.on_date, result: e.data && e.data.result === 'found' ? '发现财产' : '未发现财产', items: (e.data && e.data.items) || '' }));
        clues.value = (ev.items || []).filter((e) => e.kind === 'property_clue').map((e) => {
          const d = dl.find((x) => Number(x.ref) === Number(e.seq)) || {};
          return { seq: e.seq, text: (e.data && e.data.clue) || '', urgent: !!(e.data && e.data.urgent), on: e.on_date, due: d.due_on || '', done: !!d.done, level: d.level || '' };
        });
      } catch { /* shown by api.js */ }
    }
    async function loadKinds() {
      try { kinds.value = (await api('GET', '/inquiry/institutions')).kinds; } catch { }
    }
    onMounted(() => { load(); loadKinds(); timer = setInterval(() => { if (runs.value.some((r) => r.status === 'running') || ops.value.some((o) => o.state === 'pending' || o.state === 'sent' || o.state === 'acked')) load(); }, 2000); });
    onUnmounted(() => clearInterval(timer));

    const total = computed(() => assets.value.reduce((s, a) => s + (a.value_fen || 0), 0));
    const kindLabel = (k) => (kinds.value.find((x) => x.kind === k) || {}).label || '';
    const canFreeze = (a) => a.ops.includes('freeze') && !a.control && a.status !== 'deducted';
    const canDeduct = (a) => a.ops.includes('deduct') && a.control && a.control.kind === 'freeze' && a.control.status === 'active';
    const canRenew = (a) => a.ops.includes('renew') && a.control && (a.control.status === 'active' || a.control.status === 'queued');
    // controls near their legal end date (民诉解释 art 485; the court's warning days) and, once the case is
    // closed as 执行完毕, every live control: it should be released
    const expiring = computed(() => assets.value.filter((a) => a.control && a.control.warn_level));
    const completed = computed(() => !!c.value && c.value.status === 'closed' && c.value.closure_mode === 'completed');
    const live = computed(() => assets.value.filter((a) => a.control && (a.control.status === 'active' || a.control.status === 'queued')));
    async function renew(a) {
      try {
        await ElMessageBox.confirm(`续行对“${a.identifier}”的${CONTROL_KIND[a.control.kind]}（自原到期日 ${a.control.until} 起按法定最长期限计算）？`, '续行', { confirmButtonText: '续行', cancelButtonText: '取消' });
      } catch { return; }
      try { const x = await api('POST', `/controls/${a.control.id}/renew`, {}); ElMessage.success('续行请求已发出，新的到期日 ' + x.until); await load(); } catch { }
    }
    const outstanding = computed(() => c.value ? (c.value.claim_fen || 0) - (c.value.recovered_fen || 0) + (c.value.fee_fen || 0) : 0);

    async function startInquiry() {
      busy.value = true;
      try {
        const body = send.all ? {} : { kinds: send.kinds };
        await api('POST', '/cases/' + caseId + '/inquiries', body);
        ElMessage.success('已发起网络执行查控，各机构答复后自动汇总');
        send.open = false;
        await load();
      } catch { } finally { busy.value = false; }
    }
    function openOp(op, a) {
      const suggest = op === 'freeze' ? Math.min(a.value_fen, Math.max(outstanding.value, 0)) : (a.control ? a.control.amount_fen - (a.control.deducted_fen || 0) : 0);
      Object.assign(dlg, { open: true, op, asset: a, amount: (suggest / 100).toFixed(2), err: '' });
    }
    async function submitOp() {
      const a = dlg.asset;
      const fen = yuanToFen(dlg.amount);
      if (dlg.op !== 'release' && (fen === null || fen <= 0)) { dlg.err = '请输入正确的金额（元，最多两位小数）'; return; }
      busy.value = true;
      try {
        await api('POST', `/assets/${a.id}/${dlg.op}`, dlg.op === 'release' ? {} : { amount_fen: fen }, { quiet: true });
        ElMessage.success(dlg.op === 'freeze' ? '冻结（查封）请求已发出' : '扣划请求已发出，到账后计入本案案款账户');
        dlg.open = false;
        await load();
      } catch (e) {
        const b = e.body && e.body.error;
        dlg.err = e.message + (b && b.limit_fen !== undefined ? `（未履行债权及执行费用 ${yuan(b.limit_fen)}，已控制 ${yuan(b.controlled_fen)}，本次 ${yuan(b.asking_fen)}，超出 ${yuan(b.excess_fen)}）` : '')
          + (b && b.frozen_fen !== undefined ? `（可扣划余额 ${yuan(b.frozen_fen)}）` : '');
      } finally { busy.value = false; }
    }
    async function verifyClue(k, result) {
      try {
        await api('POST', `/cases/${caseId}/actions/clue_verified`, { clue_seq: k.seq, result });
        ElMessage.success('已记录线索核查结果');
        await load();
      } catch { }
    }
    async function release(a) {
      try {
        await ElMessageBox.confirm(`确定解除对“${a.identifier}”的${CONTROL_KIND[a.control.kind]}？`, '解除控制', { type: 'warning', confirmButtonText: '解除', cancelButtonText: '取消' });
      } catch { return; }
      try { await api('POST', `/assets/${a.id}/release`, {}); ElMessage.success('解除请求已发出'); await load(); } catch { }
    }
    return { canRenew, expiring, completed, live, renew, clues, manual, verifyClue, c, assets, runs, ops, kinds, companies, busy, send, dlg, total, kindLabel, canFreeze, canDeduct, outstanding, load, startInquiry, openOp, submitOp, release, go,
      yuan, dateTime, ASSET_STATUS, CONTROL_STATUS, CONTROL_KIND, REQ_STATE, REQ_RESULT, OP, TRIGGER, RUN_STATUS, reason, reqState };
  },
  template: `
<div class="page" data-test="inquiry-page">
  <div class="page-head">
    <h2>财产查控<span v-if="c" class="muted" style="font-size:14px;margin-left:8px" data-test="inq-case-no">{{ c.case_no }}</span></h2>
    <span class="spacer" />
    <el-button v-if="c" size="small" @click="go('/cases/' + c.id)">返回案件</el-button>
    <el-button size="small" type="primary" @click="send.open = true" data-test="open-inquiry">发起网络查控</el-button>
    <el-button size="small" @click="load">刷新</el-button>
  </div>
  <el-descriptions v-if="c" :column="4" border size="small" style="margin-bottom:12px">
    <el-descriptions-item label="执行标的">{{ yuan(c.claim_fen) }}</el-descriptions-item>
    <el-descriptions-item label="已执行到位">{{ yuan(c.recovered_fen) }}</el-descriptions-item>
    <el-descriptions-item label="未履行债权及执行费用">{{ yuan(outstanding) }}</el-descriptions-item>
    <el-descriptions-item label="查到财产合计">{{ yuan(total) }}</el-descriptions-item>
  </el-descriptions>

  <el-alert v-if="expiring.length" type="warning" :closable="false" show-icon style="margin-bottom:10px" data-test="expiry-alert"
    :title="'本案有 ' + expiring.length + ' 项冻结（查封）即将到期，最近的在 ' + Math.min(...expiring.map((a) => a.control.days_left)) + ' 天后；须在期限届满前续行，逾期自动失效（民诉法解释第四百八十五条）。'" />
  <el-alert v-if="completed && live.length" type="error" :closable="false" show-icon style="margin-bottom:10px" data-test="release-proposal"
    :title="'本案已执行完毕，建议解除尚在生效的 ' + live.length + ' 项控制措施。'" />
  <el-card shadow="never" style="margin-bottom:12px">
    <template #header><b>财产清单</b><span class="muted" style="margin-left:8px;font-size:12px">冻结（查封）不得超过未履行债权及执行费用（查封规定第十九条）</span></template>
    <el-table :data="assets" size="small" border data-test="assets" empty-text="暂未查到财产">
      <el-table-column label="类别" width="100"><template #default="{ row }">{{ row.kind_label }}</template></el-table-column>
      <el-table-column label="协助机构" prop="institution" min-width="130" show-overflow-tooltip />
      <el-table-column label="账号/权证/号牌" prop="identifier" min-width="150" />
      <el-table-column label="说明" prop="description" min-width="110" show-overflow-tooltip />
      <el-table-column label="价值/余额" width="130" align="right"><template #default="{ row }"><span v-if="!row.value_fen && !row.ops.includes('freeze')" class="muted" title="身份、通讯类信息，只作查询线索，无财产价值">—</span><span v-else class="money">{{ yuan(row.value_fen) }}</span></template></el-table-column>
      <el-table-column label="权利负担" min-width="90">
        <template #default="{ row }"><span v-for="(e, i) in row.encumbrances" :key="i" style="display:block;font-size:12px">{{ e.type === 'mortgage' ? '抵押：' + e.holder + ' ' + yuan(e.amount_fen) : '在先查封：' + e.court }}</span></template>
      </el-table-column>
      <el-table-column label="状态" width="82"><template #default="{ row }"><el-tag disable-transitions size="small" :type="row.status === 'found' ? 'info' : row.status === 'deducted' ? 'success' : 'warning'">{{ ASSET_STATUS[row.status] || '' }}</el-tag></template></el-table-column>
      <el-table-column label="控制措施" min-width="200">
        <template #default="{ row }">
          <span v-if="row.control" data-test="control-cell">{{ CONTROL_KIND[row.control.kind] }} {{ yuan(row.control.amount_fen) }}（{{ CONTROL_STATUS[row.control.status] }}<span v-if="row.control.queue_pos">，第{{ row.control.queue_pos + 1 }}顺位</span>）<br /><span class="muted" style="font-size:12px" v-if="row.control.until">至 {{ row.control.until }}</span><span v-if="row.control.deducted_fen" style="font-size:12px">，已扣划 {{ yuan(row.control.deducted_fen) }}</span><br v-if="row.control.warn_level" /><el-tag disable-transitions v-if="row.control.warn_level" size="small" :type="row.control.days_left <= 7 ? 'danger' : 'warning'" data-test="expiry-warn">{{ row.control.days_left < 0 ? '已到期' : row.control.days_left === 0 ? '今日到期' : row.control.days_left + ' 天后到期' }}，请及时续行</el-tag></span>
          <span v-else class="muted">—</span>
        </template>
      </el-table-column>
      <el-table-column label="操作" width="170" fixed="right">
        <template #default="{ row }">
          <el-button v-if="canFreeze(row)" size="small" link type="primary" @click="openOp('freeze', row)" data-test="freeze">{{ row.kind === 'real_estate' || row.kind === 'vehicle' || row.kind === 'ship' ? '查封' : '冻结' }}</el-button>
          <el-button v-if="canDeduct(row)" size="small" link type="success" @click="openOp('deduct', row)" data-test="deduct">扣划</el-button>
          <el-button v-if="canRenew(row)" size="small" link type="warning" @click="renew(row)" data-test="renew">续行</el-button>
          <el-button v-if="row.control && (row.control.status === 'active' || row.control.status === 'queued')" size="small" link type="danger" @click="release(row)">解除</el-button>
        </template>
      </el-table-column>
    </el-table>
    <div v-if="companies.length" style="margin-top:10px" data-test="companies">
      <b style="font-size:13px">线索：被执行人持股的企业</b>
      <div v-for="n in companies" :key="n.id" style="font-size:13px;margin-top:4px">{{ n.label }}（统一社会信用代码 {{ n.credit_code }}）<span v-if="n.debtor_in_cases.length" style="color:#b91c1c">，该企业另在 {{ n.debtor_in_cases.length }} 件案件中为被执行人：<a v-for="k in n.debtor_in_cases" :key="k.case_id" :href="'#/cases/' + k.case_id" style="margin-right:6px">{{ k.case_no }}</a></span></div>
    </div>
  </el-card>

  <el-card v-if="clues.length" shadow="never" style="margin-bottom:12px" data-test="clues">
    <template #header><b>财产线索核查</b><span class="muted" style="margin-left:8px;font-size:12px">申请人提供的线索应在七日内核查，紧急的三日内</span></template>
    <el-table :data="clues" size="small" border>
      <el-table-column label="线索" prop="text" min-width="220" />
      <el-table-column label="提供日期" prop="on" width="110" />
      <el-table-column label="核查期限" width="150"><template #default="{ row }">{{ row.due }}<el-tag disable-transitions v-if="row.urgent" size="small" type="danger" style="margin-left:4px">紧急</el-tag></template></el-table-column>
      <el-table-column label="状态" width="110"><template #default="{ row }"><el-tag disable-transitions size="small" :type="row.done ? 'success' : row.level === 'overdue' ? 'danger' : row.level === 'warning' ? 'warning' : 'info'">{{ row.done ? '已核查' : row.level === 'overdue' ? '已超期' : row.level === 'warning' ? '即将到期' : '待核查' }}</el-tag></template></el-table-column>
      <el-table-column label="核查结果" width="170"><template #default="{ row }"><template v-if="!row.done"><el-button size="small" link type="primary" @click="verifyClue(row, 'found')">发现财产</el-button><el-button size="small" link @click="verifyClue(row, 'none')">未发现</el-button></template></template></el-table-column>
    </el-table>
  </el-card>

  <el-card shadow="never">
    <template #header><b>查控记录</b></template>
    <el-collapse data-test="runs">
      <el-collapse-item v-for="q in runs" :key="q.id" :name="q.id">
        <template #title>
          <span style="min-width:150px">{{ TRIGGER[q.trigger] }}</span>
          <span class="muted" style="margin:0 12px">{{ dateTime(q.created_ms) }}</span>
          <el-tag disable-transitions size="small" :type="q.status === 'done' ? 'success' : 'warning'" data-test="run-status">{{ RUN_STATUS[q.status] }}</el-tag>
          <span style="margin-left:12px;font-size:13px">{{ q.answered }}/{{ q.total }} 家已答复<span v-if="q.failed">，{{ q.failed }} 家失败</span>，发现财产 {{ q.found }} 项</span>
          <el-progress :percentage="q.total ? Math.round((q.answered + q.failed) * 100 / q.total) : 0" style="width:140px;margin-left:12px" :stroke-width="6" />
        </template>
        <el-table :data="q.requests" size="small" border>
          <el-table-column label="类别" width="100"><template #default="{ row }">{{ row.kind_label }}</template></el-table-column>
          <el-table-column label="机构" prop="institution" min-width="180" />
          <el-table-column label="状态" width="190"><template #default="{ row }"><span data-test="req-state">{{ reqState(row) }}</span><div v-if="row.waiting" class="muted" style="font-size:12px" data-test="req-expected">预计 {{ dateTime(row.expected_ms) }} 前答复；最迟 {{ dateTime(row.deadline_ms) }}</div></template></el-table-column>
          <el-table-column label="结果" width="90"><template #default="{ row }">{{ REQ_RESULT[row.result] || '' }}</template></el-table-column>
          <el-table-column label="发送次数" width="80" prop="attempts" />
          <el-table-column label="答复时间" width="160"><template #default="{ row }">{{ row.answered_ms ? dateTime(row.answered_ms) : '' }}</template></el-table-column>
          <el-table-column label="说明" min-width="150"><template #default="{ row }">{{ reason(row.error) }}</template></el-table-column>
        </el-table>
      </el-collapse-item>
    </el-collapse>
    <el-empty v-if="!runs.length && !manual.length" description="尚未查控" />
    <div v-if="manual.length" style="margin-top:8px" data-test="manual-runs">
      <b style="font-size:13px">手工登记的查控</b><span class="muted" style="margin-left:8px;font-size:12px">承办人在案件中登记的网络查控结果（未经本系统发送）</span>
      <el-table :data="manual" size="small" border style="margin-top:6px">
        <el-table-column label="日期" prop="on" width="120" />
        <el-table-column label="结果" prop="result" width="120" />
        <el-table-column label="查询结果摘要" prop="items" min-width="240" />
      </el-table>
    </div>
    <div v-if="ops.length" style="margin-top:12px">
      <b style="font-size:13px">控制操作</b>
      <el-table :data="ops" size="small" border style="margin-top:6px" data-test="ops">
        <el-table-column label="操作" width="110"><template #default="{ row }">{{ OP[row.op] }}</template></el-table-column>
        <el-table-column label="机构" prop="institution" min-width="180" />
        <el-table-column label="金额" width="120" align="right"><template #default="{ row }">{{ row.amount_fen ? yuan(row.amount_fen) : '' }}</template></el-table-column>
        <el-table-column label="状态" width="190"><template #default="{ row }"><span data-test="req-state">{{ reqState(row) }}</span><div v-if="row.waiting" class="muted" style="font-size:12px" data-test="req-expected">预计 {{ dateTime(row.expected_ms) }} 前答复；最迟 {{ dateTime(row.deadline_ms) }}</div></template></el-table-column>
        <el-table-column label="结果" width="90"><template #default="{ row }">{{ REQ_RESULT[row.result] || '' }}</template></el-table-column>
        <el-table-column label="说明" min-width="150"><template #default="{ row }">{{ reason(row.error) }}</template></el-table-column>
      </el-table>
    </div>
  </el-card>

  <el-dialog v-model="send.open" title="发起网络执行查控" width="520px">
    <el-radio-group v-model="send.all">
      <el-radio :value="true">全部类别（16类）</el-radio>
      <el-radio :value="false">指定类别</el-radio>
    </el-radio-group>
    <el-checkbox-group v-if="!send.all" v-model="send.kinds" style="margin-top:10px">
      <el-checkbox v-for="k in kinds" :key="k.kind" :value="k.kind" style="width:120px">{{ k.label }}</el-checkbox>
    </el-checkbox-group>
    <template #footer>
      <el-button @click="send.open = false">取消</el-button>
      <el-button type="primary" :loading="busy" :disabled="!send.all && !send.kinds.length" @click="startInquiry" data-test="send-inquiry">发送</el-button>
    </template>
  </el-dialog>

  <el-dialog v-model="dlg.open" :title="dlg.op === 'freeze' ? '冻结（查封）财产' : '扣划已冻结款项'" width="480px">
    <div v-if="dlg.asset" style="margin-bottom:10px;font-size:13px">{{ dlg.asset.institution }} · {{ dlg.asset.identifier }} · 价值/余额 {{ yuan(dlg.asset.value_fen) }}</div>
    <el-form label-width="110px" @submit.prevent>
      <el-form-item :label="dlg.op === 'freeze' ? '冻结金额（元）' : '扣划金额（元）'"><el-input v-model="dlg.amount" data-test="op-amount" /></el-form-item>
    </el-form>
    <div v-if="dlg.op === 'freeze'" class="muted" style="font-size:12px">期限按民诉法解释第四百八十五条自动计算：存款一年，动产二年，不动产及其他财产权三年。</div>
    <el-alert v-if="dlg.err" :title="dlg.err" type="error" :closable="false" show-icon style="margin-top:10px" data-test="op-error" />
    <template #footer>
      <el-button @click="dlg.open = false">取消</el-button>
      <el-button type="primary" :loading="busy" @click="submitOp" data-test="op-submit">确定</el-button>
    </template>
  </el-dialog>
</div>`,
});
