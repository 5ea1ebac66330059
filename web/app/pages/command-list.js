// 指挥中心列表 (issue 14 §1–5, §9): every ledger behind the dashboard's tiles — 督办, 事项委托, 协调, 信访,
// 值班, 紧急事项, 约谈, 超期/即将到期案件 — with the actions each party may take, and Excel export.
import { ref, reactive, computed, onMounted, watch } from 'vue';
import { get, post, download, session } from '../api.js';
import { route, go, setQuery } from '../router.js';
import { view } from '../view.js';
import { dateTime } from '../fmt.js';
import { LISTS, ESCALATIONS, RETURN_REASONS, MODULE_PAGES } from './command-meta.js';

const STATUS_FILTERS = {
  supervision: [['open', '在办'], ['overdue', '逾期未报'], ['closed', '已办结'], ['all', '全部']],
  commissions: [['open', '在办'], ['all', '全部']],
  coordination: [['open', '协调中'], ['all', '全部']],
  petitions: [['open', '在办'], ['due', '五日内到期'], ['closed', '已办结'], ['all', '全部']],
  urgent: [['open', '待处置'], ['all', '全部']],
};

export default view(import.meta.url, {
  setup() {
    const kind = computed(() => route.params.kind);
    const court = ref(route.query.court || (session.user && session.user.court ? session.user.court.code : ''));
    const status = ref(route.query.status || '');
    const direction = ref(route.query.direction || '');
    const t = ref(null);
    const error = ref('');
    const loading = ref(false);
    const detail = ref(null);
    const form = reactive({ text: '', kind: 'chase', target_court: '', reason: 'incomplete_documents', handler_id: '', resolved: false });
    const users = ref([]);
    const filters = computed(() => STATUS_FILTERS[kind.value] || []);
    async function load() {
      setQuery({ court: court.value, status: status.value, direction: direction.value });
      loading.value = true; error.value = '';
      try {
        t.value = await get('/command/lists/' + kind.value, { court: court.value, status: status.value, direction: direction.value }, { quiet: true });
      } catch (e) { error.value = e.message; t.value = null; } finally { loading.value = false; }
    }
    function exportXlsx() {
      download('/command/lists/' + kind.value, (LISTS[kind.value] || '列表') + '.xlsx',
        { query: { court: court.value, status: status.value, direction: direction.value, format: 'xlsx' } });
    }
    function fmt(col, v) {
      if (v === true) return '是';
      if (v === false) return '否';
      if (v === null || v === undefined || v === '') return '—';
      if (col.key.endsWith('_ms')) return dateTime(v);
      if (col.key.endsWith('_rate')) return (v * 100).toFixed(2) + '%';
      return v;
    }
    async function open(row) {
      form.text = ''; form.target_court = '';
      if (kind.value === 'supervision') {
        detail.value = { kind: 'supervision', row, obj: await get('/command/supervision/' + row.id) };
        try { users.value = ((await get('/users', { court: detail.value.obj.to_court }, { quiet: true })).users || []); } catch { users.value = []; }
      } else if (kind.value === 'commissions') {
        detail.value = { kind: 'commissions', row, obj: await get('/command/commissions/' + row.id) };
      } else if (kind.value === 'overdue_cases' || kind.value === 'expiring_cases' || kind.value.startsWith('funds_overdue_')
        || kind.value.startsWith('controls_')) {
        go('/cases/' + row.id);
      } else if (kind.value.startsWith('auctions_')) {
        go('/auctions/' + row.id);
      } else {
        detail.value = { kind: kind.value, row, obj: row };
      }
    }
    async function act(path, body) {
      try {
        await post(path, body);
        detail.value = null;
        await load();
      } catch { /* api() shows the message */ }
    }
    const goNew = () => go('/command/new', { court: court.value });
    const modulePage = computed(() => MODULE_PAGES.find((m) => kind.value.startsWith(m[0])) || null);
    const me = computed(() => (session.user && session.user.court ? session.user.court.code : ''));
    watch(kind, () => { status.value = ''; load(); });
    onMounted(load);
    return { goNew, modulePage, kind, court, status, direction, t, error, loading, load, exportXlsx, fmt, filters, detail, open, act, form, users, me,
      LISTS, ESCALATIONS, RETURN_REASONS, dateTime, go };
  },
  template: `
<div class="page">
  <div class="page-head"><h2>{{ LISTS[kind] || '列表' }}</h2><span class="muted" v-if="t">共 {{ t.count }} 条</span></div>
  <el-card shadow="never">
    <el-form inline @submit.prevent="load">
      <el-form-item label="法院代字"><el-input v-model="court" style="width:130px" /></el-form-item>
      <el-form-item label="状态" v-if="filters.length">
        <el-select v-model="status" clearable placeholder="全部" style="width:130px" data-test="list-status">
          <el-option v-for="[v, l] in filters" :key="v" :value="v" :label="l" />
        </el-select>
      </el-form-item>
      <el-form-item label="方向" v-if="kind === 'commissions'">
        <el-select v-model="direction" clearable placeholder="收发全部" style="width:130px">
          <el-option value="in" label="受托（收到）" /><el-option value="out" label="委托（发出）" />
        </el-select>
      </el-form-item>
      <el-form-item><el-button type="primary" native-type="submit" :loading="loading">查询</el-button></el-form-item>
      <el-form-item><el-button @click="exportXlsx" data-test="list-export">导出电子表格</el-button></el-form-item>
      <el-form-item v-if="modulePage"><el-button link type="primary" @click="go(modulePage[1])" data-test="list-module">{{ modulePage[2] }}</el-button></el-form-item>
      <el-form-item v-else><el-button link type="primary" @click="goNew">登记 / 发起</el-button></el-form-item>
    </el-form>
  </el-card>
  <el-alert v-if="error" :title="error" type="error" show-icon :closable="false" style="margin-bottom:12px" />
  <el-card shadow="never" v-if="t">
    <el-table :data="t.rows" size="small" border stripe data-test="list-table" @row-click="open" style="cursor:pointer">
      <el-table-column v-for="c in t.columns" :key="c.key" :label="c.label" min-width="110">
        <template #default="{ row }">{{ fmt(c, row[c.key]) }}</template>
      </el-table-column>
    </el-table>
  </el-card>
  <el-drawer :model-value="!!detail" size="520px" @close="detail = null" :title="detail ? (LISTS[detail.kind] + ' 详情') : ''">
    <template v-if="detail && detail.kind === 'supervision'">
      <el-descriptions :column="1" border size="small">
        <el-descriptions-item label="督办函号">{{ detail.obj.order_no }}</el-descriptions-item>
        <el-descriptions-item label="案号">{{ detail.obj.case_no }}</el-descriptions-item>
        <el-descriptions-item label="督办法院">{{ detail.obj.from_court_name }}</el-descriptions-item>
        <el-descriptions-item label="被督办法院">{{ detail.obj.to_court_name }}</el-descriptions-item>
        <el-descriptions-item label="督办事项">{{ detail.obj.request }}</el-descriptions-item>
        <el-descriptions-item label="报告期限">{{ detail.obj.due_on }}（剩余 {{ detail.obj.days_left }} 日）</el-descriptions-item>
        <el-descriptions-item label="承办人">{{ detail.obj.handler_name || '未指定' }}</el-descriptions-item>
        <el-descriptions-item label="办理报告">{{ detail.obj.report || '—' }}</el-descriptions-item>
      </el-descriptions>
      <el-timeline style="margin-top:12px">
        <el-timeline-item v-for="(s, i) in detail.obj.steps" :key="i" :timestamp="s.on_date + ' ' + (s.by || '')">{{ s.note || s.kind }}</el-timeline-item>
      </el-timeline>
      <template v-if="detail.obj.status !== 'closed'">
        <template v-if="me === detail.obj.to_court">
          <el-form label-width="80px" size="small">
            <el-form-item label="承办人">
              <el-select v-model="form.handler_id" style="width:200px" data-test="sup-handler">
                <el-option v-for="u in users" :key="u.id" :value="String(u.id)" :label="u.display_name" />
              </el-select>
              <el-button @click="act('/command/supervision/' + detail.obj.id + '/assign', { handler_id: form.handler_id })" data-test="sup-assign">指定</el-button>
            </el-form-item>
            <el-form-item label="办理报告"><el-input v-model="form.text" type="textarea" :rows="3" data-test="sup-report-text" /></el-form-item>
            <el-button type="primary" @click="act('/command/supervision/' + detail.obj.id + '/report', { report: form.text })" data-test="sup-report">报告上级法院</el-button>
          </el-form>
        </template>
        <template v-else>
          <el-form label-width="80px" size="small">
            <el-form-item label="督办措施">
              <el-select v-model="form.kind" style="width:180px"><el-option v-for="[v, l] in ESCALATIONS" :key="v" :value="v" :label="l" /></el-select>
            </el-form-item>
            <el-form-item label="指定法院" v-if="form.kind === 'reassign' || form.kind === 'cross'"><el-input v-model="form.target_court" style="width:140px" /></el-form-item>
            <el-form-item label="说明 / 结论"><el-input v-model="form.text" type="textarea" :rows="3" data-test="sup-note" /></el-form-item>
            <el-button @click="act('/command/supervision/' + detail.obj.id + '/escalate', { kind: form.kind, note: form.text || null, target_court: form.target_court || null })">采取措施</el-button>
            <el-button type="primary" @click="act('/command/supervision/' + detail.obj.id + '/close', { result: form.text })" data-test="sup-close">办结</el-button>
          </el-form>
        </template>
      </template>
    </template>
    <template v-else-if="detail && detail.kind === 'commissions'">
      <el-descriptions :column="1" border size="small">
        <el-descriptions-item label="委托函号">{{ detail.obj.commission_no }}</el-descriptions-item>
        <el-descriptions-item label="委托事项">{{ detail.obj.task_label }}</el-descriptions-item>
        <el-descriptions-item label="案号">{{ detail.obj.case_no }}</el-descriptions-item>
        <el-descriptions-item label="要求">{{ detail.obj.request }}</el-descriptions-item>
        <el-descriptions-item label="随附材料">{{ detail.obj.documents.join('、') }}</el-descriptions-item>
        <el-descriptions-item label="办理期限">{{ detail.obj.due_on }}</el-descriptions-item>
        <el-descriptions-item label="办理结果">{{ detail.obj.result || '—' }}</el-descriptions-item>
        <el-descriptions-item label="退回理由">{{ detail.obj.return_reason_label || '—' }}</el-descriptions-item>
      </el-descriptions>
      <el-form v-if="me === detail.obj.to_court && (detail.obj.status === 'sent' || detail.obj.status === 'accepted')" label-width="80px" size="small" style="margin-top:12px">
        <template v-if="detail.obj.status === 'sent'">
          <el-button type="primary" @click="act('/command/commissions/' + detail.obj.id + '/accept', {})" data-test="com-accept">接收</el-button>
          <el-form-item label="退回理由" style="margin-top:8px">
            <el-select v-model="form.reason" style="width:220px"><el-option v-for="[v, l] in RETURN_REASONS" :key="v" :value="v" :label="l" /></el-select>
            <el-button @click="act('/command/commissions/' + detail.obj.id + '/return', { reason: form.reason, note: form.text || null })">退回</el-button>
          </el-form-item>
        </template>
        <template v-else>
          <el-form-item label="办理结果"><el-input v-model="form.text" type="textarea" :rows="3" data-test="com-result" /></el-form-item>
          <el-button type="primary" @click="act('/command/commissions/' + detail.obj.id + '/complete', { result: form.text })" data-test="com-complete">反馈结果</el-button>
        </template>
      </el-form>
    </template>
    <template v-else-if="detail && detail.kind === 'petitions'">
      <el-descriptions :column="1" border size="small">
        <el-descriptions-item label="信访编号">{{ detail.obj.petition_no }}</el-descriptions-item>
        <el-descriptions-item label="信访人">{{ detail.obj.petitioner_name }}</el-descriptions-item>
        <el-descriptions-item label="内容">{{ detail.obj.content }}</el-descriptions-item>
        <el-descriptions-item label="办结期限">{{ detail.obj.due_on }}</el-descriptions-item>
        <el-descriptions-item label="答复">{{ detail.obj.reply || '—' }}</el-descriptions-item>
      </el-descriptions>
      <el-form v-if="detail.obj.status !== '已办结'" size="small" style="margin-top:12px">
        <el-button v-if="!detail.obj.registered_on" @click="act('/command/petitions/' + detail.obj.id + '/register', {})" data-test="pet-register">录入系统</el-button>
        <el-form-item label="答复内容"><el-input v-model="form.text" type="textarea" :rows="3" data-test="pet-reply" /></el-form-item>
        <el-checkbox v-model="form.resolved">已化解（息访）</el-checkbox>
        <el-button type="primary" @click="act('/command/petitions/' + detail.obj.id + '/close', { reply: form.text, resolved: form.resolved })" data-test="pet-close">办结并答复</el-button>
      </el-form>
    </template>
    <template v-else-if="detail && detail.kind === 'urgent'">
      <p>{{ detail.obj.summary }}（{{ detail.obj.location || '—' }}）</p>
      <el-form v-if="detail.obj.status === '待处置'" size="small">
        <el-form-item label="处置结果"><el-input v-model="form.text" type="textarea" :rows="3" /></el-form-item>
        <el-button type="primary" @click="act('/command/urgent/' + detail.obj.id + '/handle', { outcome: form.text })">处置完毕</el-button>
      </el-form>
    </template>
    <template v-else-if="detail && detail.kind === 'coordination'">
      <p>{{ detail.obj.asset }}</p>
      <el-form v-if="detail.obj.status === '协调中'" size="small">
        <el-form-item label="协调决定"><el-input v-model="form.text" type="textarea" :rows="3" /></el-form-item>
        <el-button type="primary" @click="act('/command/coordination/' + detail.obj.id + '/decide', { decision: form.text })">作出决定</el-button>
        <el-button @click="act('/command/coordination/' + detail.obj.id + '/escalate', {})">逾期报请上一级</el-button>
      </el-form>
    </template>
  </el-drawer>
</div>
`,
});
