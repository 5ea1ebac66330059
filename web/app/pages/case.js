import { ref, reactive, computed, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { get, post, put, session, hasRole } from '../api.js';
import { route, go } from '../router.js';
import { view } from '../view.js';
import { yuan, yuanToFen, dateTime, today, dash } from '../fmt.js';
import { DeadlineTag, UnmetList } from '../components.js';
import { meta, loadMeta, label, ROLE_OF_PARTY, ROLE_OF_UNIT, STATUS_TAG } from '../meta.js';
import { ACTION_GROUPS, FALLBACK_ACTIONS } from '../actions.js';
import { LABELS, describe } from '../labels.js';
import { CreditDecisionDialog } from '../credit-decision.js';

function fieldType(f) {
  const t = (f.type || 'text').toLowerCase();
  if (t === 'money' || t === 'fen' || /_fen$/.test(f.name)) return 'money';
  if (['bool', 'boolean', 'checkbox'].includes(t)) return 'bool';
  if (['int', 'integer', 'number', 'days'].includes(t)) return 'int';
  if (['textarea', 'longtext'].includes(t)) return 'textarea';
  if (['enum', 'select'].includes(t) || f.options || f.values) return 'enum';
  return t; // text, date, user, stage
}
function fieldOptions(f) {
  const o = f.options || f.values || [];
  return o.map((x) => (typeof x === 'string' ? { code: x, label: x } : { code: x.code ?? x.value, label: x.label ?? x.code ?? x.value }));
}
const VALUE_LABELS = LABELS.value;

// event data in Chinese from the one label table (labels.js); stage codes by the case meta
function eventSummary(data) {
  if (!data || typeof data !== 'object') return '';
  const d = { ...data };
  if (typeof d.stage === 'string') { d.stage_label = label('stages', d.stage); delete d.stage; }
  const s = describe(d, { yuan });
  return d.stage_label ? (s ? s + '；' : '') + '阶段：' + d.stage_label : s;
}
// a network inquiry recorded by hand (no system run behind it) says so: only a system run counts for 终本 (终本规定 art 1(3))
const eventLabel = (e) => (LABELS.event[e.kind] || (e.label && !/^[a-z_]+$/.test(e.label) ? e.label : '办理节点')) +
  (e.kind === 'network_inquiry' && !(e.data && e.data.source === 'system') ? '（手工登记）' : '');

// delivery status of the case's SMS (notify_outbox.status; last_error of a suppressed one: settings.c)
const SMS_STATUS = { queued: '待发送', sending: '发送中', sent: '已送达', failed: '发送失败', suppressed: '未发送' };
const SMS_KIND = { portal_node: '节点通知', portal_otp: '登录验证码', portal_lawyer_otp: '律师登录验证码', portal_reply: '法院答复提醒',
  funds_arrival: '案款到账', funds_payout: '案款发放', funds_payout_failed: '案款发放失败', case_notice: '案件通知' };
const SMS_WHY = { court_off: '本院已关闭该节点短信', opted_out: '当事人已退订', reward_payout: '悬赏金发放给举报人，不向申请执行人发送' };

export default view(import.meta.url, {
  components: { DeadlineTag, UnmetList, CreditDecisionDialog },
  setup() {
    const id = route.params.id;
    const c = ref(null);
    const events = ref([]);
    const docs = ref([]);
    const loading = ref(false);
    const notFound = ref('');
    const unmask = ref(false);
    const tab = ref(route.query.tab || 'timeline');

    async function load() {
      loading.value = true;
      try {
        const [cc, ev, dd] = await Promise.all([
          get('/cases/' + id, unmask.value ? { unmask: 1 } : null, { quiet: true }),
          get('/cases/' + id + '/events', null, { quiet: true }).catch(() => ({ items: [] })),
          get('/cases/' + id + '/documents', null, { quiet: true }).catch(() => ({ items: [] })),
        ]);
        c.value = cc; events.value = (ev.items || []).slice().reverse(); docs.value = dd.items || [];
      } catch (e) {
        notFound.value = e.message;
        if (e.status && e.status !== 404 && e.status !== 403) ElMessage.error(e.message);
      } finally { loading.value = false; }
    }
    function showFull() { unmask.value = true; load(); }

    const masked = computed(() => c.value && (c.value.parties || []).some((p) => p.id_number_masked));
    // what THIS user may do now (server: GET /cases/:id → actions = state ∩ authorisation)
    const offered = computed(() => new Map(((c.value && c.value.actions) || []).map((a) => [a.kind, a])));
    const can = (kind) => offered.value.has(kind);
    const canWrite = computed(() => [...offered.value.values()].some((a) => a.group === 'node'));
    const actionDef = (kind) => {
      const m = (meta.actions || []).find((a) => a.kind === kind);
      const fb = FALLBACK_ACTIONS[kind];
      if (m) {
        // the server's definition is authoritative; enrich it with Chinese option labels, defaults and hints
        const fields = (m.fields || (fb && fb.fields) || []).map((f) => {
          const ff = fb && (fb.fields || []).find((x) => x.name === f.name);
          const o = { ...f, label: String(f.label || (ff && ff.label) || f.name).replace('（分）', '（元）') };
          // long free text (reasons, clues, opinions) gets a multi-line box
          if (ff && ff.type === 'textarea' && (!f.type || f.type === 'text')) o.type = 'textarea';
          if (o.default === undefined && ff && ff.default !== undefined) o.default = ff.default;
          if (!o.hint && ff && ff.hint) o.hint = ff.hint;
          if (f.options || f.values) {
            o.options = fieldOptions(f).map((x) => {
              if (x.label && x.label !== x.code) return x;
              const hit = ff && ff.options && ff.options.find((y) => y.code === x.code);
              return { code: x.code, label: hit ? hit.label : VALUE_LABELS[x.code] || label('stages', x.code) };
            });
          }
          return o;
        });
        return { kind, label: m.label || (fb && fb.label) || kind, fields, hint: m.hint || (fb && fb.hint) };
      }
      return fb ? { kind, ...fb } : { kind, label: kind, fields: [] };
    };
    const groups = computed(() => {
      const allowed = new Set([...offered.value.values()].filter((a) => a.group === 'node').map((a) => a.kind));
      const seen = new Set();
      const def = (k) => ({ ...actionDef(k), approval: offered.value.get(k).approval });
      const out = ACTION_GROUPS.map((g) => ({ title: g.title, items: g.kinds.filter((k) => allowed.has(k)).map((k) => { seen.add(k); return def(k); }) }));
      const rest = [...allowed].filter((k) => !seen.has(k)).map(def);
      if (rest.length) out.push({ title: '其他', items: rest });
      return out.filter((g) => g.items.length);
    });
    const elapsedPct = computed(() => {
      const k = c.value && c.value.clocks;
      if (!k || !c.value.filed_on || !k.limit_date) return 0;
      const t0 = Date.parse(c.value.filed_on), t1 = Date.parse(k.limit_date), now = Date.parse(today());
      if (!(t1 > t0)) return 100;
      return Math.max(0, Math.min(100, Math.round(((now - t0) / (t1 - t0)) * 100)));
    });
    // property clues still waiting for their 核查 (clue_verified refers to the clue's event seq)
    const openClues = computed(() => {
      const done = new Set(events.value.filter((e) => e.kind === 'clue_verified' && e.data).map((e) => Number(e.data.clue_seq)));
      return events.value.filter((e) => e.kind === 'property_clue' && !done.has(Number(e.seq)))
        .map((e) => ({ code: Number(e.seq), label: `第 ${e.seq} 项：${(e.data && e.data.clue) || '财产线索'}（${e.on_date || ''}）` }));
    });
    function closureReason(cc) {
      const list = { termination: meta.termination_reasons, withdrawal: meta.withdrawal_reasons, rejection: meta.rejection_reasons }[cc.closure_mode] || [];
      const hit = list.find((r) => r.code === cc.closure_reason);
      return hit ? hit.label : cc.closure_reason;
    }
    const applicants = computed(() => (c.value ? c.value.parties.filter((p) => p.role === 'applicant') : []));
    const debtors = computed(() => (c.value ? c.value.parties.filter((p) => p.role === 'debtor') : []));

    // ---- action dialog
    const act = reactive({ open: false, def: null, form: {}, errors: {}, busy: false, result: null });
    const users = reactive({});
    async function loadUsers(role) {
      if (users[role]) return;
      users[role] = [];
      try {
        const r = await get('/users', { role, court: c.value.court.code, size: 200 }, { quiet: true });
        users[role] = (r.items || r.users || []).map((u) => ({ id: String(u.id), name: u.display_name || u.name || u.username }));
      } catch { /* free text fallback */ }
    }
    // 限制消费令: the credit module's own decision dialog (one path with the credit page, issue 9 item 6)
    const restr = reactive({ open: false });
    function restricted() { ElMessage.info('限制消费令待院长签发；签发并送达后生效'); load(); }
    function openAction(def) {
      if (def.kind === 'restriction_order') { restr.open = true; return; }
      const form = { on_date: today(), note: '' };
      for (const f of def.fields) {
        const t = fieldType(f);
        form[f.name] = f.default !== undefined ? f.default : t === 'bool' ? false : t === 'int' ? undefined : '';
        if (t === 'user') loadUsers(f.role || 'chief');
      }
      Object.assign(act, { open: true, def, form, errors: {}, busy: false, result: null });
    }
    async function submitAction() {
      const def = act.def;
      const body = {};
      const errors = {};
      for (const f of def.fields) {
        const t = fieldType(f);
        let v = act.form[f.name];
        if (t === 'money') {
          if (v === '' || v === null || v === undefined) { if (f.required) errors[f.name] = '请输入金额'; continue; }
          const fen = yuanToFen(v);
          if (fen === null) { errors[f.name] = '金额格式不正确（元，最多两位小数）'; continue; }
          v = fen;
        } else if (t === 'bool') v = !!v;
        else if (t === 'int') { if (v === undefined || v === null || v === '') { if (f.required) errors[f.name] = '请填写' + f.label; continue; } v = Number(v); }
        else if (v === '' || v === null || v === undefined) { if (f.required) errors[f.name] = '请填写' + f.label; continue; }
        body[f.name] = v;
      }
      if (act.form.on_date) body.on_date = act.form.on_date;
      if (act.form.note) body.note = act.form.note;
      act.errors = errors;
      if (Object.keys(errors).length) return;
      act.busy = true;
      try {
        const r = await post(`/cases/${id}/actions/${def.kind}`, body, { quiet: true });
        act.open = false;
        if (r && r.approval) ElMessage.success(`已提交院长审批：${def.label}（见“审批事项”）`);
        else ElMessage.success(`已办理：${def.label}`);
        if (r && r.documents && r.documents.length) ElMessage.info('已生成文书：' + r.documents.map((d) => d.title).join('、'));
        await load();
      } catch (e) {
        act.errors = fieldErrors(e);
        if (!Object.keys(act.errors).length || e.code !== 'VALIDATION_FAILED') ElMessage.error(e.message);
      } finally { act.busy = false; }
    }
    function fieldErrors(e) {
      const out = {};
      const fields = (e.body && e.body.error && e.body.error.fields) || [];
      for (const f of fields) out[String(f.field).replace(/^.*\./, '')] = f.message;
      return out;
    }

    // ---- closure
    const close = reactive({ open: false, mode: 'completed', on_date: today(), reason: '', note: '', busy: false, unmet: null, unmetTitle: '' });
    const reasonOptions = computed(() => ({
      termination: meta.termination_reasons, rejection: meta.rejection_reasons, withdrawal: meta.withdrawal_reasons,
    }[close.mode] || []));
    function openClose(mode) {
      Object.assign(close, { open: true, mode: mode || (c.value.allowed_closures || [])[0] || 'completed', on_date: today(), reason: '', note: '', unmet: null });
    }
    async function submitClose() {
      close.unmet = null;
      if (['termination', 'withdrawal', 'rejection'].includes(close.mode) && !close.reason) {
        close.unmet = [{ message: '请选择' + label('closure_modes', close.mode) + '的事由' }];
        close.unmetTitle = '请补充结案事由';
        return;
      }
      close.busy = true;
      try {
        const body = { mode: close.mode, on_date: close.on_date };
        if (close.reason) body.reason = close.reason;
        if (close.note) body.note = close.note;
        await post(`/cases/${id}/close`, body, { quiet: true });
        close.open = false;
        ElMessage.success('已结案：' + label('closure_modes', close.mode));
        await load();
      } catch (e) {
        const err = (e.body && e.body.error) || {};
        if (err.unmet) {
          close.unmet = err.unmet;
          close.unmetTitle = e.code === 'GATE_NOT_MET' ? '不符合终结本次执行程序的条件（终本规定），以下条件尚未满足：' : e.message;
        } else if (err.fields) {
          close.unmet = err.fields.map((f) => ({ message: f.message, article: f.field }));
          close.unmetTitle = e.message;
        } else ElMessage.error(e.message);
      } finally { close.busy = false; }
    }

    // ---- resumption
    const resume = reactive({ open: false, reason: '', applied_on: today(), note: '', busy: false, error: '' });
    async function submitResume() {
      if (!resume.reason) { resume.error = '请选择恢复执行的事由'; return; }
      resume.busy = true; resume.error = '';
      try {
        const body = { reason: resume.reason, applied_on: resume.applied_on };
        if (resume.note) body.note = resume.note;
        const n = await post(`/cases/${id}/resume`, body, { quiet: true });
        resume.open = false;
        ElMessage.success('已立恢复执行案件：' + n.case_no);
        go('/cases/' + n.id);
      } catch (e) {
        const fields = (e.body && e.body.error && e.body.error.fields) || [];
        resume.error = fields.length ? fields.map((f) => f.message).join('；') : e.message;
      } finally { resume.busy = false; }
    }

    // ---- assignment
    const asg = reactive({ open: false, handler_id: '', team_id: '', busy: false, errors: {} });
    function openAssign() {
      Object.assign(asg, { open: true, handler_id: c.value.handler ? c.value.handler.id : '', team_id: c.value.team ? c.value.team.id : '', errors: {} });
      loadUsers('judge'); loadUsers('assistant');
    }
    const handlerOptions = computed(() => [...(users.judge || []), ...(users.assistant || [])]);
    async function submitAssign() {
      if (!asg.handler_id) { asg.errors = { handler_id: '请选择承办人' }; return; }
      asg.busy = true;
      try {
        await put(`/cases/${id}/assignment`, { handler_id: asg.handler_id, team_id: asg.team_id || null }, { quiet: true });
        asg.open = false; ElMessage.success('已分案'); await load();
      } catch (e) {
        asg.errors = fieldErrors(e);
        if (!Object.keys(asg.errors).length) ElMessage.error(e.message);
      } finally { asg.busy = false; }
    }

    // 短信通知: the case's messages to the parties and their delivery status (issue 15 item 4;
    // GET /cases/:id/notifications — one-time codes never shown), read when the tab opens
    const sms = ref(null);
    async function loadSms() {
      try { sms.value = (await get('/cases/' + id + '/notifications', null, { quiet: true })).notifications; } catch { sms.value = []; }
    }
    const onTab = (t) => { if (t === 'sms') loadSms(); };
    if (tab.value === 'sms') loadSms();
    onMounted(() => { loadMeta(); load(); });
    return { sms, loadSms, onTab, SMS_STATUS, SMS_KIND, SMS_WHY, eventLabel, LABELS, c, events, openClues, closureReason, docs, loading, notFound, tab, masked, showFull, canWrite, offered, can, groups, elapsedPct, applicants, debtors,
      restr, restricted, act, openAction, submitAction, fieldType, fieldOptions, users, close, openClose, submitClose, reasonOptions,
      resume, submitResume, asg, openAssign, submitAssign, handlerOptions,
      yuan, dateTime, dash, label, meta, ROLE_OF_PARTY, ROLE_OF_UNIT, STATUS_TAG, eventSummary, go, hasRole, load, session };
  },
  template: `
<div class="page case-page" v-loading="loading">
  <el-result v-if="!c && notFound" icon="warning" title="无法打开案件" :sub-title="notFound">
    <template #extra><el-button @click="go('/cases')">返回案件查询</el-button></template>
  </el-result>
  <template v-if="c">
    <div class="page-head">
      <h2 data-test="case-no">{{ c.case_no }}</h2>
      <el-tag :type="STATUS_TAG[c.status]" data-test="case-status">{{ label('statuses', c.status) }}</el-tag>
      <el-tag type="info" effect="plain">{{ c.stage_label || label('stages', c.stage) }}</el-tag>
      <el-tag :type="c.track === 'fast' ? 'success' : 'warning'" effect="plain">{{ label('tracks', c.track) }}</el-tag>
      <el-tag v-if="c.closure_mode" type="info">{{ label('closure_modes', c.closure_mode) }}</el-tag>
      <el-tag v-if="c.imported" type="info" effect="plain">历史导入</el-tag>
      <el-tag v-if="c.filed_late" type="danger" effect="plain">超期立案</el-tag>
      <span class="spacer" />
      <el-button v-if="masked" size="small" @click="showFull" data-test="unmask">显示完整证件号</el-button>
      <el-button size="small" @click="go('/cases/' + c.id + '/assets')" data-test="open-assets">财产查控</el-button>
      <el-button size="small" @click="go('/cases/' + c.id + '/disposal')" data-test="open-disposal">财产处置</el-button>
      <el-button size="small" @click="go('/cases/' + c.id + '/funds')" data-test="open-funds">案款账户</el-button>
      <el-button v-if="c.status !== 'closed' && canWrite" size="small" @click="go('/credit/dishonest', { case_id: c.id, new: '1' })">纳入失信</el-button>
      <el-button v-if="c.status !== 'closed' && canWrite" size="small" @click="restr.open = true" data-test="case-restrict">限制消费</el-button>
      <el-button v-if="can('assign')" size="small" @click="openAssign" data-test="open-assign">{{ offered.get('assign').label }}</el-button>
      <el-button v-if="can('close')" size="small" type="danger" plain @click="openClose()" data-test="open-close">结案</el-button>
      <el-button v-if="can('resume') && (c.allowed_resume_reasons || []).length" size="small" type="primary" plain @click="resume.open = true" data-test="open-resume">恢复执行</el-button>
      <el-button size="small" @click="load"><el-icon><icon-refresh /></el-icon></el-button>
    </div>

    <el-row :gutter="12">
      <el-col :span="15">
        <el-card shadow="never" header="基本信息">
          <el-descriptions :column="3" size="small" border>
            <el-descriptions-item label="执行法院">{{ c.court.name }}</el-descriptions-item>
            <el-descriptions-item label="案件类型">{{ c.type_code }}（{{ label('type_codes', c.type_code) }}）</el-descriptions-item>
            <el-descriptions-item label="承办人">{{ c.handler ? c.handler.name : '未分案' }}<span v-if="c.team" class="muted">（{{ c.team.name }}）</span></el-descriptions-item>
            <el-descriptions-item label="申请日期">{{ dash(c.applied_on) }}</el-descriptions-item>
            <el-descriptions-item label="立案日期">{{ dash(c.filed_on) }}</el-descriptions-item>
            <el-descriptions-item label="结案日期">{{ dash(c.closed_on) }}</el-descriptions-item>
            <el-descriptions-item label="申请执行标的"><span class="money" data-test="claim">{{ yuan(c.claim_fen) }}</span></el-descriptions-item>
            <el-descriptions-item label="已执行到位"><span class="money">{{ yuan(c.recovered_fen) }}</span></el-descriptions-item>
            <el-descriptions-item label="未执行到位"><span class="money" :class="c.outstanding_fen > 0 ? 'dl-warn' : ''">{{ yuan(c.outstanding_fen) }}</span></el-descriptions-item>
            <el-descriptions-item label="申请执行费"><span class="money">{{ yuan(c.fee_fen) }}</span><span class="muted">（被执行人负担）</span></el-descriptions-item>
            <el-descriptions-item label="有财产可供执行">{{ c.has_assets ? '是' : '否' }}</el-descriptions-item>
            <el-descriptions-item label="非诉执行">{{ c.non_litigation ? '是' : '否' }}</el-descriptions-item>
            <el-descriptions-item v-if="c.parent_case_id" label="原案件"><a :href="'#/cases/' + c.parent_case_id">{{ c.parent_case_no || '查看' }}</a></el-descriptions-item>
            <el-descriptions-item v-if="c.children && c.children.length" label="恢复执行案件">
              <a v-for="x in c.children" :key="x.id" :href="'#/cases/' + x.id" style="margin-right:8px" data-test="child-case">{{ x.case_no }}</a>
            </el-descriptions-item>
            <el-descriptions-item v-if="c.closure_reason" label="结案事由">{{ closureReason(c) }}</el-descriptions-item>
            <el-descriptions-item v-if="c.gate_passed !== null && c.gate_passed !== undefined" label="终本核查">{{ c.gate_passed ? '全部条件满足' : '未全部满足' }}</el-descriptions-item>
          </el-descriptions>
        </el-card>
        <el-card shadow="never" header="执行依据" v-if="c.basis">
          <el-descriptions :column="3" size="small" border>
            <el-descriptions-item label="种类">{{ label('basis_kinds', c.basis.kind) }}</el-descriptions-item>
            <el-descriptions-item label="作出机关">{{ dash(c.basis.issuer) }}</el-descriptions-item>
            <el-descriptions-item label="文书编号">{{ dash(c.basis.doc_no) }}</el-descriptions-item>
            <el-descriptions-item label="生效日期">{{ dash(c.basis.effective_on) }}</el-descriptions-item>
            <el-descriptions-item label="非诉执行">{{ c.basis.non_litigation ? '是' : '否' }}</el-descriptions-item>
            <el-descriptions-item label="履行行为">{{ dash(c.basis.act) }}</el-descriptions-item>
          </el-descriptions>
        </el-card>
        <el-card shadow="never" header="当事人">
          <el-table :data="c.parties" size="small" border row-key="id" data-test="parties">
            <el-table-column label="地位" width="96"><template #default="{ row }">{{ ROLE_OF_PARTY[row.role] || row.role }}</template></el-table-column>
            <el-table-column label="名称/姓名" min-width="120">
              <template #default="{ row }">{{ row.name }}
                <div v-for="u in row.unit_persons || []" :key="u.id" class="muted" style="font-size:12px">{{ ROLE_OF_UNIT[u.role_of_unit] || u.role_of_unit }}：{{ u.name }} <span class="mono">{{ u.id_number }}</span></div>
              </template>
            </el-table-column>
            <el-table-column label="证件号码" min-width="175">
              <template #default="{ row }"><span class="mono">{{ row.kind === 'unit' ? dash(row.credit_code) : dash(row.id_number) }}</span></template>
            </el-table-column>
            <el-table-column label="性别/出生" width="118">
              <template #default="{ row }"><span v-if="row.kind === 'person'">{{ row.sex === 'M' ? '男' : row.sex === 'F' ? '女' : '' }} {{ row.birth_date || '' }}</span><span v-else class="muted">单位</span></template>
            </el-table-column>
            <el-table-column label="电话" prop="phone" width="108" />
            <el-table-column label="地址" prop="address" min-width="100" show-overflow-tooltip />
          </el-table>
        </el-card>
      <el-card shadow="never">
        <el-tabs v-model="tab" @tab-change="onTab">
          <el-tab-pane :label="'办理过程（' + events.length + '）'" name="timeline">
            <el-timeline data-test="timeline" style="padding-top:6px">
              <el-timeline-item v-for="e in events" :key="e.seq" :timestamp="(e.on_date ? '办理日期 ' + e.on_date + '　' : '') + '录入 ' + dateTime(e.at_ms) + '　' + (e.user ? e.user.name : '')" placement="top"
                :type="e.kind === 'closed' ? 'primary' : e.kind === 'filed' ? 'success' : ''">
                <b>{{ eventLabel(e) }}</b>
                <span class="muted" v-if="e.stage">［{{ label('stages', e.stage) }}］</span>
                <div class="muted">{{ eventSummary(e.data) }}</div>
              </el-timeline-item>
            </el-timeline>
            <el-empty v-if="!events.length" description="暂无办理记录" :image-size="60" />
          </el-tab-pane>
          <el-tab-pane :label="'电子卷宗（' + docs.length + '）'" name="docs">
            <el-table :data="docs" size="small" border data-test="documents" empty-text="暂无文书">
              <el-table-column label="文书" prop="title" min-width="200" />
              <el-table-column label="生成时间" width="160"><template #default="{ row }">{{ dateTime(row.created_ms) }}</template></el-table-column>
              <el-table-column label="对应办理节点" width="120"><template #default="{ row }">第 {{ row.event_seq }} 项</template></el-table-column>
              <el-table-column label="操作" width="100">
                <template #default="{ row }"><a :href="'/api/v1/cases/' + c.id + '/documents/' + row.id" target="_blank" rel="noopener" data-test="doc-download">下载</a></template>
              </el-table-column>
            </el-table>
          </el-tab-pane>
          <el-tab-pane :label="'短信通知' + (sms ? '（' + sms.length + '）' : '')" name="sms">
            <el-table v-if="sms" :data="sms" size="small" border data-test="case-sms" empty-text="暂无短信">
              <el-table-column label="时间" width="136"><template #default="{ row }">{{ dateTime(row.created_ms) }}</template></el-table-column>
              <el-table-column label="类别" width="100"><template #default="{ row }">{{ SMS_KIND[row.template] || '短信' }}</template></el-table-column>
              <el-table-column label="接收号码" prop="to" width="108" />
              <el-table-column label="内容" prop="text" min-width="160" show-overflow-tooltip />
              <el-table-column label="送达状态" width="124">
                <template #default="{ row }">
                  <el-tag size="small" :type="row.status === 'sent' ? 'success' : row.status === 'failed' ? 'danger' : row.status === 'suppressed' ? 'info' : 'warning'" data-test="sms-status">{{ SMS_STATUS[row.status] || row.status }}</el-tag>
                  <div v-if="row.status === 'suppressed' && SMS_WHY[row.reason]" class="muted">{{ SMS_WHY[row.reason] }}</div>
                  <div v-else-if="row.status === 'failed'" class="muted">已尝试 {{ row.attempts }} 次，未能送达</div>
                  <div v-else-if="row.status === 'queued' && row.attempts" class="muted">已尝试 {{ row.attempts }} 次，将自动重发</div>
                </template>
              </el-table-column>
            </el-table>
          </el-tab-pane>
        </el-tabs>
      </el-card>
      </el-col>
      <el-col :span="9">
        <el-card shadow="never" v-if="c.clocks">
          <template #header>{{ c.clocks.limit_unit === 'days' ? '审查期限' : '执行期限' }} <span class="muted" style="font-weight:normal">（{{ c.clocks.limit_base }} {{ c.clocks.limit_unit === 'days' ? '日' : '个月' }}，扣除 {{ c.deducted_days || 0 }} 天，延长 {{ c.clocks.extension_granted || 0 }} {{ c.clocks.limit_unit === 'days' ? '日' : '个月' }}<template v-if="c.clocks.limit_unit !== 'days' && c.extension_days"> {{ c.extension_days }} 天</template>）</span></template>
          <div style="display:flex;align-items:center;gap:10px;margin-bottom:8px" data-test="limit-clock">
            <span>期限届满：<b>{{ c.clocks.limit_date }}</b></span>
            <DeadlineTag v-if="c.status !== 'closed'" :level="c.clocks.level" :days="c.clocks.days_left" />
            <el-tag v-if="c.clocks.closed_late" type="danger" size="small" data-test="closed-late">超期结案（超过期限 {{ c.clocks.closed_late_days }} 天）</el-tag>
            <el-tag v-if="c.clocks.paused" type="warning" size="small">计时暂停：{{ c.clocks.paused.kind === 'suspension' ? '中止/暂缓' : (LABELS.value[c.clocks.paused.kind] || '扣除期限') }}（自 {{ c.clocks.paused.since }}）</el-tag>
          </div>
          <el-progress v-if="c.status !== 'closed'" :percentage="elapsedPct" :stroke-width="8"
            :status="c.clocks.level === 'overdue' ? 'exception' : c.clocks.level === 'warning' ? 'warning' : 'success'" />
          <el-table :data="c.clocks.deadlines || []" size="small" style="margin-top:10px" data-test="deadlines">
            <el-table-column label="节点" prop="label" min-width="110" />
            <el-table-column label="期限" prop="due_on" width="96" />
            <el-table-column label="状态" width="96"><template #default="{ row }"><DeadlineTag :level="row.level" :days="row.days_left" :done="row.done" /></template></el-table-column>
            <el-table-column label="依据" prop="article" min-width="100" show-overflow-tooltip />
          </el-table>
        </el-card>
        <el-card shadow="never" header="办理" v-if="groups.length" data-test="actions">
          <div v-for="g in groups" :key="g.title" class="act-group">
            <div class="act-title">{{ g.title }}</div>
            <el-button v-for="a in g.items" :key="a.kind" size="small" @click="openAction(a)" :data-test="'act-' + a.kind">{{ a.label }}<span v-if="a.approval" class="muted">（报院长审批）</span></el-button>
          </div>
        </el-card>
      </el-col>
    </el-row>

  </template>

  <CreditDecisionDialog v-if="c" v-model="restr.open" list="restricted" :case-id="String(c.id)" @done="restricted" />

  <el-dialog v-model="act.open" :title="act.def ? act.def.label : ''" width="560px" destroy-on-close data-test="action-dialog">
    <el-alert v-if="act.def && act.def.hint" :title="act.def.hint" type="info" :closable="false" style="margin-bottom:10px" />
    <el-form v-if="act.def" label-width="130px" @submit.prevent="submitAction">
      <el-form-item v-for="f in act.def.fields" :key="f.name" :label="f.label" :required="!!f.required" :error="act.errors[f.name]">
        <el-switch v-if="fieldType(f) === 'bool'" v-model="act.form[f.name]" active-text="是" inactive-text="否" />
        <el-select v-else-if="f.name === 'clue_seq'" v-model="act.form[f.name]" placeholder="请选择待核查的线索" style="width:100%" no-data-text="没有待核查的财产线索">
          <el-option v-for="o in openClues" :key="o.code" :value="o.code" :label="o.label" />
        </el-select>
        <el-input-number v-else-if="fieldType(f) === 'int'" v-model="act.form[f.name]" :min="0" controls-position="right" />
        <el-input v-else-if="fieldType(f) === 'money'" v-model="act.form[f.name]" placeholder="单位：元" :data-test="'f-' + f.name"><template #prepend>¥</template></el-input>
        <el-date-picker v-else-if="fieldType(f) === 'date'" v-model="act.form[f.name]" type="date" value-format="YYYY-MM-DD" />
        <el-select v-else-if="fieldType(f) === 'enum'" v-model="act.form[f.name]" placeholder="请选择" :data-test="'f-' + f.name">
          <el-option v-for="o in fieldOptions(f)" :key="o.code" :value="o.code" :label="o.label" />
        </el-select>
        <el-select v-else-if="fieldType(f) === 'stage'" v-model="act.form[f.name]" placeholder="请选择">
          <el-option v-for="s in meta.stages.filter((s) => s.code !== 'closure' && s.code !== 'resumption')" :key="s.code" :value="s.code" :label="s.label" />
        </el-select>
        <el-select v-else-if="fieldType(f) === 'user' && users[f.role || 'chief'] && users[f.role || 'chief'].length" v-model="act.form[f.name]" placeholder="请选择">
          <el-option v-for="u in users[f.role || 'chief']" :key="u.id" :value="u.id" :label="u.name" />
        </el-select>
        <el-input v-else-if="fieldType(f) === 'textarea'" v-model="act.form[f.name]" type="textarea" :rows="3" maxlength="2000" show-word-limit />
        <el-input v-else v-model="act.form[f.name]" :placeholder="fieldType(f) === 'user' ? '用户编号' : ''" :data-test="'f-' + f.name" />
        <div v-if="f.hint" class="muted" style="font-size:12px;line-height:18px">{{ f.hint }}</div>
      </el-form-item>
      <el-form-item label="办理日期" :error="act.errors.on_date">
        <el-date-picker v-model="act.form.on_date" type="date" value-format="YYYY-MM-DD" :clearable="false" />
      </el-form-item>
      <el-form-item v-if="act.def.kind !== 'note'" label="备注" :error="act.errors.note">
        <el-input v-model="act.form.note" type="textarea" :rows="2" maxlength="2000" />
      </el-form-item>
    </el-form>
    <template #footer>
      <el-button @click="act.open = false">取消</el-button>
      <el-button type="primary" :loading="act.busy" @click="submitAction" data-test="action-submit">确定办理</el-button>
    </template>
  </el-dialog>

  <el-dialog v-model="close.open" title="结案" width="640px" data-test="close-dialog">
    <el-form label-width="100px">
      <el-form-item label="结案方式">
        <el-radio-group v-model="close.mode" @change="close.unmet = null; close.reason = ''">
          <el-radio v-for="m in meta.closure_modes" :key="m.code" :value="m.code" :data-test="'mode-' + m.code" style="margin-right:14px">
            {{ m.label }}<span v-if="c && c.allowed_closures && !c.allowed_closures.includes(m.code)" class="muted">（条件未满足）</span>
          </el-radio>
        </el-radio-group>
      </el-form-item>
      <el-form-item v-if="reasonOptions.length" label="事由">
        <el-select v-model="close.reason" placeholder="请选择" style="width:100%">
          <el-option v-for="r in reasonOptions" :key="r.code" :value="r.code" :label="r.label + (r.article ? '（' + r.article + '）' : '')" />
        </el-select>
      </el-form-item>
      <el-form-item v-else-if="close.mode !== 'completed' && close.mode !== 'interim_closure'" label="事由">
        <el-input v-model="close.reason" />
      </el-form-item>
      <el-form-item label="结案日期"><el-date-picker v-model="close.on_date" type="date" value-format="YYYY-MM-DD" :clearable="false" /></el-form-item>
      <el-form-item label="备注"><el-input v-model="close.note" type="textarea" :rows="2" /></el-form-item>
    </el-form>
    <UnmetList v-if="close.unmet" :items="close.unmet" :title="close.unmetTitle" />
    <template #footer>
      <el-button @click="close.open = false">取消</el-button>
      <el-button type="danger" :loading="close.busy" @click="submitClose" data-test="close-submit">确定结案</el-button>
    </template>
  </el-dialog>

  <el-dialog v-model="resume.open" title="恢复执行" width="520px">
    <el-form label-width="100px">
      <el-form-item label="事由" required>
        <el-select v-model="resume.reason" placeholder="请选择" style="width:100%" data-test="resume-reason">
          <el-option v-for="r in meta.resume_reasons.filter((x) => (c.allowed_resume_reasons || []).includes(x.code))" :key="r.code" :value="r.code" :label="r.label" />
        </el-select>
      </el-form-item>
      <el-form-item label="申请日期"><el-date-picker v-model="resume.applied_on" type="date" value-format="YYYY-MM-DD" /></el-form-item>
      <el-form-item label="备注"><el-input v-model="resume.note" type="textarea" :rows="2" /></el-form-item>
    </el-form>
    <el-alert v-if="resume.error" :title="resume.error" type="error" :closable="false" show-icon />
    <div class="muted" style="margin-top:8px">将另立“执恢”字号新案，承继当事人、执行依据及未执行到位金额 {{ c ? yuan(c.outstanding_fen) : '' }}。</div>
    <template #footer>
      <el-button @click="resume.open = false">取消</el-button>
      <el-button type="primary" :loading="resume.busy" @click="submitResume" data-test="resume-submit">立案恢复执行</el-button>
    </template>
  </el-dialog>

  <el-dialog v-model="asg.open" title="分案" width="460px">
    <el-form label-width="80px">
      <el-form-item label="承办人" :error="asg.errors.handler_id">
        <el-select v-if="handlerOptions.length" v-model="asg.handler_id" filterable placeholder="请选择" style="width:100%">
          <el-option v-for="u in handlerOptions" :key="u.id" :value="u.id" :label="u.name" />
        </el-select>
        <span v-else class="muted">本院暂无可选的执行法官或法官助理</span>
      </el-form-item>
      <el-form-item label="团队" :error="asg.errors.team_id"><span v-if="c && c.team">{{ c.team.name }}（不变）</span><span v-else class="muted">未编入团队</span></el-form-item>
    </el-form>
    <template #footer>
      <el-button @click="asg.open = false">取消</el-button>
      <el-button type="primary" :loading="asg.busy" @click="submitAssign">确定</el-button>
    </template>
  </el-dialog>
</div>
`,
});
