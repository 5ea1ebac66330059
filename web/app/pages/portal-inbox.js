// 当事人来件 (issue 15 items 3, 5, 6; staff): what parties and lawyers sent on the portal — messages with their
// reply clock, property clues with attachments (7 / urgent 3 days), applications (恢复执行, 终本 objection,
// 执行行为异议) for the filing clerks, 悬赏 applications and their tips, 律师调查令 — and the court's answer
// to each; confirming a lawyer's representation; the court's node SMS settings (chief).
import { ref, reactive, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { get, post, put, hasRole } from '../api.js';
import { view } from '../view.js';
import { yuan, dateTime } from '../fmt.js';
import { L } from '../labels.js';

const TABS = [['messages', '留言'], ['clues', '财产线索'], ['applications', '网上申请'], ['rewards', '悬赏'], ['orders', '律师调查令']];
const LEVEL = { overdue: 'danger', warning: 'warning', ok: 'info' };

export default view(import.meta.url, {
  setup() {
    const tab = ref(hasRole('filing_clerk') && !hasRole('judge', 'chief') ? 'applications' : 'messages');
    const open = ref(true);
    const items = ref([]);
    const loading = ref(false);
    const dlg = reactive({ show: false, kind: '', item: null, text: '', result: 'found', yes: true, reason: '', days: 90 });
    const tips = ref(null);
    const tipDlg = reactive({ show: false, tip: null, useful: true, recovered_yuan: '', bank: '', account: '' });
    async function load() {
      loading.value = true;
      try { items.value = (await get('/portal-inbox', { kind: tab.value, open: open.value ? 1 : 0 })).items; } catch { items.value = []; } finally { loading.value = false; }
    }
    onMounted(load);
    function openDlg(kind, item) { Object.assign(dlg, { show: true, kind, item, text: '', result: 'found', yes: true, reason: '', days: 90 }); }
    async function submit() {
      const id = dlg.item.id;
      const calls = {
        reply: () => post(`/portal-inbox/messages/${id}/reply`, { reply: dlg.text }),
        verify: () => post(`/portal-inbox/clues/${id}/verify`, { result: dlg.result, note: dlg.text }),
        application: () => post(`/portal-inbox/applications/${id}/decide`, { accept: dlg.yes, opinion: dlg.text, reason: dlg.reason || undefined }),
        reward: () => post(`/portal-inbox/rewards/${id}/decide`, { approve: dlg.yes, opinion: dlg.text, publish_days: Number(dlg.days) }),
        order: () => post(`/portal-inbox/orders/${id}/decide`, { issue: dlg.yes, opinion: dlg.text }),
      };
      try { await calls[dlg.kind](); ElMessage.success('已处理，当事人将收到短信提醒'); dlg.show = false; await load(); } catch { /* message shown */ }
    }
    async function showTips(item) {
      try { tips.value = { item, list: (await get(`/portal-inbox/rewards/${item.id}/tips`)).tips }; } catch { /* shown */ }
    }
    function assess(tip) { Object.assign(tipDlg, { show: true, tip, useful: true, recovered_yuan: '', bank: '', account: '' }); }
    async function submitAssess() {
      const body = { useful: tipDlg.useful };
      if (tipDlg.useful) Object.assign(body, { recovered_fen: Math.round(Number(tipDlg.recovered_yuan) * 100), payee_bank: tipDlg.bank, payee_account: tipDlg.account });
      try {
        const r = await post(`/portal-inbox/tips/${tipDlg.tip.id}/assess`, body);
        ElMessage.success(r.reward_fen ? `悬赏金 ${r.reward} 元已提交发放` : '已认定');
        tipDlg.show = false;
        await showTips(tips.value.item);
      } catch { /* shown */ }
    }
    // lawyers: by 案号
    const law = reactive({ case_no: '', kase: null, parties: [], list: [], party_id: '', name: '', licence_no: '', firm: '', phone: '' });
    async function findCase() {
      try {
        const r = await get('/cases', { q: law.case_no.trim(), page_size: 5 });
        const k = (r.items || r.cases || []).find((x) => x.case_no === law.case_no.trim());
        if (!k) { ElMessage.warning('未找到该案号的案件'); return; }
        law.kase = k;
        law.parties = (await get(`/cases/${k.id}/portal-codes`)).parties;
        law.list = (await get(`/cases/${k.id}/lawyers`)).lawyers;
      } catch { /* shown */ }
    }
    async function confirmLawyer() {
      try {
        await post(`/cases/${law.kase.id}/lawyers`, { party_id: law.party_id, name: law.name, licence_no: law.licence_no, firm: law.firm, phone: law.phone });
        ElMessage.success('已确认代理，律师可凭执业证号登录');
        law.list = (await get(`/cases/${law.kase.id}/lawyers`)).lawyers;
      } catch { /* shown */ }
    }
    async function revoke(l) {
      try { await post(`/cases/${law.kase.id}/lawyers/${l.id}/revoke`, {}); law.list = (await get(`/cases/${law.kase.id}/lawyers`)).lawyers; } catch { /* shown */ }
    }
    // settings
    const settings = ref(null);
    const chief = hasRole('chief');
    async function loadSettings() { try { settings.value = await get('/portal-settings'); } catch { /* shown */ } }
    async function saveSettings() {
      const v = settings.value;
      try {
        settings.value = await put('/portal-settings', { sms_nodes: v.sms_nodes, reply_days: Number(v.reply_days),
          contact_phone: (v.contact_phone || '').trim() || null, contact_note: (v.contact_note || '').trim() || null });
        ElMessage.success('已保存');
      } catch { /* shown */ }
    }
    function onTab(t) { tab.value = t; if (t === 'lawyers') return; if (t === 'settings') return loadSettings(); load(); }
    return { TABS, LEVEL, tab, open, items, loading, load, dlg, openDlg, submit, tips, showTips, tipDlg, assess, submitAssess,
      law, findCase, confirmLawyer, revoke, settings, chief, saveSettings, onTab, L, yuan, dateTime };
  },
  template: `
<div>
  <div class="page-head"><h2>当事人来件</h2><span class="muted">当事人、代理律师通过执行公开平台提交的留言、线索和申请；按期限排序</span></div>
  <el-tabs :model-value="tab" @tab-change="onTab">
    <el-tab-pane v-for="[k, l] in TABS" :key="k" :name="k" :label="l" />
    <el-tab-pane name="lawyers" label="律师代理" />
    <el-tab-pane name="settings" label="短信与答复期限" />
  </el-tabs>
  <template v-if="tab !== 'lawyers' && tab !== 'settings'">
    <el-checkbox v-model="open" @change="load">只看待处理</el-checkbox>
    <el-table :data="items" v-loading="loading" size="small" border style="margin-top:8px" data-test="inbox-table">
      <el-table-column label="期限" width="118"><template #default="{ row }"><el-tag v-if="row.due_on" :type="LEVEL[row.level]" size="small">{{ row.due_on }}</el-tag></template></el-table-column>
      <el-table-column label="案号" min-width="170"><template #default="{ row }"><a :href="'#/cases/' + row.case_id">{{ row.case_no }}</a></template></el-table-column>
      <el-table-column label="来自" width="150"><template #default="{ row }">{{ L('party_role', row.from_role) }} {{ row.from_name }}</template></el-table-column>
      <el-table-column label="内容" min-width="260">
        <template #default="{ row }">
          <div v-if="tab === 'applications'"><b>{{ L('portal_app_kind', (row.status || '').split(':')[0]) }}</b></div>
          <div v-if="tab === 'rewards'"><b>{{ row.amount_fen ? yuan(row.amount_fen) : '按比例' }}</b> {{ L('portal_status', (row.status || '').split(':')[0]) }}</div>
          <el-tag v-if="row.urgent" type="danger" size="small">紧急</el-tag> {{ row.text }}
          <div v-if="row.attachments && row.attachments.length"><a v-for="a in row.attachments" :key="a.id" :href="'/api/v1/portal-inbox/attachments/' + a.id" target="_blank" style="margin-right:8px">{{ a.name }}</a></div>
          <div v-if="row.answer" class="muted">答复：{{ row.answer }}</div>
        </template>
      </el-table-column>
      <el-table-column label="提交时间" width="140"><template #default="{ row }">{{ dateTime(row.created_ms) }}</template></el-table-column>
      <el-table-column label="操作" width="120">
        <template #default="{ row }">
          <el-button v-if="tab === 'messages' && !row.answer" link type="primary" @click="openDlg('reply', row)" data-test="inbox-reply">答复</el-button>
          <el-button v-if="tab === 'clues' && open" link type="primary" @click="openDlg('verify', row)" data-test="inbox-verify">核查答复</el-button>
          <el-button v-if="tab === 'applications' && open" link type="primary" @click="openDlg('application', row)">处理</el-button>
          <el-button v-if="tab === 'rewards' && (row.status || '').startsWith('applied')" link type="primary" @click="openDlg('reward', row)">决定</el-button>
          <el-button v-if="tab === 'rewards' && (row.status || '').startsWith('approved')" link type="primary" @click="showTips(row)">线索登记</el-button>
          <el-button v-if="tab === 'orders' && row.status === 'pending'" link type="primary" @click="openDlg('order', row)">审查</el-button>
        </template>
      </el-table-column>
    </el-table>
    <el-card v-if="tips && tab === 'rewards'" shadow="never" style="margin-top:12px">
      <template #header>悬赏线索登记（{{ tips.item.case_no }}，举报人身份保密）</template>
      <el-table :data="tips.list" size="small" border>
        <el-table-column label="序号" prop="seq" width="60" />
        <el-table-column label="举报人" width="200"><template #default="{ row }">{{ row.name }} {{ row.id_number }} {{ row.phone }}</template></el-table-column>
        <el-table-column label="线索" prop="clue" min-width="220" />
        <el-table-column label="认定" width="160"><template #default="{ row }">{{ L('portal_status', row.status) }}<span v-if="row.reward_fen">：{{ yuan(row.reward_fen) }}</span></template></el-table-column>
        <el-table-column label="操作" width="80"><template #default="{ row }"><el-button v-if="row.status === 'registered'" link type="primary" @click="assess(row)">认定</el-button></template></el-table-column>
      </el-table>
    </el-card>
  </template>
  <el-card v-if="tab === 'lawyers'" shadow="never">
    <el-form inline @submit.prevent="findCase"><el-form-item label="案号"><el-input v-model="law.case_no" style="width:260px" /></el-form-item><el-button native-type="submit">查找</el-button></el-form>
    <template v-if="law.kase">
      <el-table :data="law.list" size="small" border style="margin-bottom:12px">
        <el-table-column label="律师" prop="name" width="90" /><el-table-column label="执业证号" prop="licence_no" width="170" />
        <el-table-column label="律师事务所" prop="firm" /><el-table-column label="被代理人" prop="party_name" width="120" />
        <el-table-column label="状态" width="80"><template #default="{ row }">{{ row.status === 'confirmed' ? '已确认' : '已撤销' }}</template></el-table-column>
        <el-table-column label="操作" width="70"><template #default="{ row }"><el-button v-if="row.status === 'confirmed'" link type="danger" @click="revoke(row)">撤销</el-button></template></el-table-column>
      </el-table>
      <el-form label-width="100px" style="max-width:520px">
        <el-form-item label="被代理人"><el-select v-model="law.party_id"><el-option v-for="p in law.parties" :key="p.party_id" :value="p.party_id" :label="L('party_role', p.role) + ' ' + p.name" /></el-select></el-form-item>
        <el-form-item label="律师姓名"><el-input v-model="law.name" /></el-form-item>
        <el-form-item label="执业证号"><el-input v-model="law.licence_no" maxlength="17" /></el-form-item>
        <el-form-item label="律师事务所"><el-input v-model="law.firm" /></el-form-item>
        <el-form-item label="手机号码"><el-input v-model="law.phone" maxlength="11" /></el-form-item>
        <el-button type="primary" @click="confirmLawyer">确认代理</el-button>
      </el-form>
    </template>
  </el-card>
  <el-card v-if="tab === 'settings' && settings" shadow="never">
    <div class="muted" style="margin-bottom:8px">本院向当事人发送短信的案件节点；当事人可在执行公开平台退订（登录验证码、答复提醒不受影响）。</div>
    <el-checkbox-group v-model="settings.sms_nodes" :disabled="!chief">
      <el-checkbox v-for="n in settings.nodes" :key="n.code" :value="n.code">{{ n.label }}</el-checkbox>
    </el-checkbox-group>
    <div style="margin:12px 0">留言答复期限 <el-input-number v-model="settings.reply_days" :min="1" :max="15" :disabled="!chief" size="small" /> 个工作日</div>
    <div class="muted" style="margin-bottom:6px">当事人在“我的案件”中看到的联系方式（承办法官姓名之外）：</div>
    <el-form label-width="110px" style="max-width:520px">
      <el-form-item label="执行局联系电话"><el-input v-model="settings.contact_phone" maxlength="40" placeholder="如 024-22851234" :disabled="!chief" data-test="settings-contact-phone" /></el-form-item>
      <el-form-item label="接待时间、地点"><el-input v-model="settings.contact_note" maxlength="60" placeholder="如 工作日 8:30–17:00，执行局一楼接待室" :disabled="!chief" data-test="settings-contact-note" /></el-form-item>
    </el-form>
    <el-button v-if="chief" type="primary" @click="saveSettings">保存</el-button><span v-else class="muted">由院长设置</span>
  </el-card>
  <el-dialog v-model="dlg.show" :title="{ reply: '答复留言', verify: '财产线索核查结果', application: '处理网上申请', reward: '悬赏申请决定', order: '律师调查令审查' }[dlg.kind]" width="520px">
    <div v-if="dlg.item" class="muted" style="margin-bottom:8px">{{ dlg.item.case_no }}：{{ dlg.item.text }}</div>
    <el-radio-group v-if="dlg.kind === 'verify'" v-model="dlg.result" style="margin-bottom:8px"><el-radio value="found">经核查属实（发现财产）</el-radio><el-radio value="none">未发现可供执行的财产</el-radio></el-radio-group>
    <el-radio-group v-if="['application', 'reward', 'order'].includes(dlg.kind)" v-model="dlg.yes" style="margin-bottom:8px">
      <el-radio :value="true">{{ dlg.kind === 'application' ? '受理' : dlg.kind === 'reward' ? '准许并发布悬赏公告' : '签发调查令' }}</el-radio>
      <el-radio :value="false">{{ dlg.kind === 'application' ? '不予受理' : dlg.kind === 'reward' ? '不予准许' : '不予签发' }}</el-radio>
    </el-radio-group>
    <el-input v-if="dlg.kind === 'application' && dlg.yes && (dlg.item.status || '').startsWith('resume')" v-model="dlg.reason" placeholder="恢复执行事由（如：发现新的财产）" style="margin-bottom:8px" />
    <div v-if="dlg.kind === 'reward' && dlg.yes" style="margin-bottom:8px">公告期限 <el-input-number v-model="dlg.days" :min="7" :max="365" size="small" /> 日</div>
    <el-input v-model="dlg.text" type="textarea" :rows="4" maxlength="1000" :placeholder="dlg.kind === 'reply' ? '答复内容' : '意见和理由'" data-test="inbox-text" />
    <template #footer><el-button @click="dlg.show = false">取消</el-button><el-button type="primary" @click="submit" data-test="inbox-submit">提交</el-button></template>
  </el-dialog>
  <el-dialog v-model="tipDlg.show" title="认定悬赏线索" width="480px">
    <el-radio-group v-model="tipDlg.useful" style="margin-bottom:8px"><el-radio :value="true">线索使债权得以实现</el-radio><el-radio :value="false">线索无效</el-radio></el-radio-group>
    <template v-if="tipDlg.useful">
      <el-input v-model="tipDlg.recovered_yuan" placeholder="依该线索执行到位金额（元）" style="margin-bottom:6px" />
      <el-input v-model="tipDlg.bank" placeholder="举报人收款银行" style="margin-bottom:6px" />
      <el-input v-model="tipDlg.account" placeholder="举报人收款账号" />
      <div class="muted">悬赏金从该笔案款中扣减，经案款账户发放（财产调查规定第24条）。</div>
    </template>
    <template #footer><el-button @click="tipDlg.show = false">取消</el-button><el-button type="primary" @click="submitAssess">提交</el-button></template>
  </el-dialog>
</div>`,
});
