// 我的待办 — open deadlines (GET /api/v1/todo): mine, or for chiefs and command staff their court or
// their court with every court below. The counters, the per-handler table and the list are one count
// of the same rows (server-side level filter and paging): a counter's figure is the list's total.
import { ref, reactive, computed, onMounted } from 'vue';
import { get, session, hasRole } from '../api.js';
import { go, route, setQuery } from '../router.js';
import { view } from '../view.js';
import { DeadlineTag } from '../components.js';
import { loadMeta, label } from '../meta.js';

const LEVELS = ['overdue', 'warning', 'ok'];

export default view(import.meta.url, {
  components: { DeadlineTag },
  setup() {
    const supervisor = computed(() => hasRole('chief', 'command'));
    const q = reactive({
      scope: ['court', 'courts'].includes(route.query.scope) ? route.query.scope : 'me',
      level: LEVELS.includes(route.query.level) ? route.query.level : 'all',
      handler: route.query.handler || '',
      page: Number(route.query.page) || 1,
      page_size: 50,
    });
    const data = ref({ counts: { overdue: 0, warning: 0, ok: 0 }, total: 0, items: [], by_handler: null });
    const loading = ref(false);
    const courtCode = () => session.user && session.user.court && session.user.court.code;

    async function load() {
      loading.value = true;
      const query = { level: q.level === 'all' ? undefined : q.level, page: q.page, page_size: q.page_size };
      if (q.scope !== 'me') {
        query.court = courtCode();
        if (q.scope === 'courts') query.subordinates = 1;
        if (q.handler) query.handler = q.handler;
      }
      setQuery({ scope: q.scope === 'me' ? undefined : q.scope, level: q.level === 'all' ? undefined : q.level,
        handler: q.handler || undefined, page: q.page > 1 ? q.page : undefined });
      try { data.value = await get('/todo', query); } catch { /* message shown */ } finally { loading.value = false; }
    }
    function setLevel(l) { q.level = l; q.page = 1; load(); }
    function setScope() { q.handler = ''; q.page = 1; load(); }
    function pickHandler(row) { q.handler = row.handler ? row.handler.id : 'none'; q.page = 1; load(); }
    function resetFilters() { Object.assign(q, { level: 'all', handler: '', page: 1 }); load(); }
    const handlerName = computed(() => {
      if (!q.handler) return '';
      const h = (data.value.by_handler || []).find((x) => (x.handler ? x.handler.id : 'none') === q.handler);
      return h ? (h.handler ? h.handler.name : '未分案') : '';
    });
    const all = computed(() => (data.value.counts.overdue || 0) + (data.value.counts.warning || 0) + (data.value.counts.ok || 0));
    const rowClass = ({ row }) => (row.level === 'overdue' ? 'row-overdue' : row.level === 'warning' ? 'row-warn' : '');
    onMounted(() => { loadMeta(); load(); });
    return { q, data, all, loading, supervisor, load, setLevel, setScope, pickHandler, resetFilters, handlerName, rowClass, go, label };
  },
  template: `
<div class="page">
  <div class="page-head">
    <h2>{{ q.scope === 'me' ? '我的待办' : q.scope === 'court' ? '本院待办' : '本院及下级法院待办' }}</h2>
    <span class="muted">按到期日由近及远排列；临期（橙色）在到期前预警，逾期（红色）须立即处理</span>
    <span class="spacer" />
    <el-radio-group v-if="supervisor" v-model="q.scope" size="small" @change="setScope" data-test="todo-scope">
      <el-radio-button value="me">我承办的</el-radio-button>
      <el-radio-button value="court">本院</el-radio-button>
      <el-radio-button value="courts">本院及下级法院</el-radio-button>
    </el-radio-group>
    <el-button size="small" @click="load" :loading="loading"><el-icon><icon-refresh /></el-icon>刷新</el-button>
  </div>
  <div class="kpis">
    <div class="kpi clickable" :class="{ active: q.level === 'overdue' }" @click="setLevel('overdue')" data-test="count-overdue">
      <div class="k-label">已逾期</div><div class="k-value dl-overdue">{{ data.counts.overdue || 0 }}</div>
    </div>
    <div class="kpi clickable" :class="{ active: q.level === 'warning' }" @click="setLevel('warning')" data-test="count-warning">
      <div class="k-label">临期预警</div><div class="k-value dl-warn">{{ data.counts.warning || 0 }}</div>
    </div>
    <div class="kpi clickable" :class="{ active: q.level === 'ok' }" @click="setLevel('ok')" data-test="count-ok">
      <div class="k-label">正常</div><div class="k-value dl-ok">{{ data.counts.ok || 0 }}</div>
    </div>
    <div class="kpi clickable" :class="{ active: q.level === 'all' }" @click="setLevel('all')" data-test="count-all">
      <div class="k-label">全部待办</div><div class="k-value">{{ all }}</div>
    </div>
  </div>
  <el-card v-if="data.by_handler && data.by_handler.length" shadow="never" header="按承办人（点击一行只看该承办人的待办）" data-test="todo-by-handler">
    <el-table :data="data.by_handler" size="small" max-height="260" @row-click="pickHandler" class="clickable-rows">
      <el-table-column label="承办人" min-width="120"><template #default="{ row }">{{ row.handler ? row.handler.name : '未分案' }}</template></el-table-column>
      <el-table-column label="法院" min-width="160"><template #default="{ row }">{{ row.handler ? row.handler.court_name : '—' }}</template></el-table-column>
      <el-table-column label="逾期" width="90"><template #default="{ row }"><span class="dl-overdue">{{ row.overdue }}</span></template></el-table-column>
      <el-table-column label="临期" width="90"><template #default="{ row }"><span class="dl-warn">{{ row.warning }}</span></template></el-table-column>
      <el-table-column label="正常" width="90" prop="ok" />
      <el-table-column label="合计" width="90" prop="total" />
    </el-table>
  </el-card>
  <el-card shadow="never">
    <div class="toolbar">
      <el-radio-group v-model="q.level" size="small" @change="setLevel">
        <el-radio-button value="all">全部</el-radio-button>
        <el-radio-button value="overdue">逾期</el-radio-button>
        <el-radio-button value="warning">临期</el-radio-button>
        <el-radio-button value="ok">正常</el-radio-button>
      </el-radio-group>
      <el-tag v-if="q.handler" closable @close="q.handler = ''; q.page = 1; load()" size="small">承办人：{{ handlerName || '已选' }}</el-tag>
      <el-button v-if="q.level !== 'all' || q.handler" size="small" text type="primary" @click="resetFilters" data-test="todo-reset">清除筛选</el-button>
      <span class="muted" data-test="todo-total">共 {{ data.total }} 项</span>
    </div>
    <el-table :data="data.items" v-loading="loading" size="small" :row-class-name="rowClass" border data-test="todo-table"
      empty-text="暂无待办事项" class="clickable-rows" @row-click="(r) => go('/cases/' + r.case_id)">
      <el-table-column label="到期日" prop="due_on" width="110" />
      <el-table-column label="剩余" width="110"><template #default="{ row }"><DeadlineTag :level="row.level" :days="row.days_left" /></template></el-table-column>
      <el-table-column label="待办事项" prop="label" min-width="150" />
      <el-table-column label="案号" min-width="200">
        <template #default="{ row }"><a :href="'#/cases/' + row.case_id" @click.stop>{{ row.case_no }}</a></template>
      </el-table-column>
      <el-table-column v-if="q.scope !== 'me'" label="法院" min-width="150" show-overflow-tooltip><template #default="{ row }">{{ row.court ? row.court.name : '—' }}</template></el-table-column>
      <el-table-column label="阶段" width="130"><template #default="{ row }">{{ label('stages', row.stage) }}</template></el-table-column>
      <el-table-column label="承办人" width="100"><template #default="{ row }">{{ row.handler ? row.handler.name : '未分案' }}</template></el-table-column>
      <el-table-column label="法律依据" prop="article" min-width="150" show-overflow-tooltip />
    </el-table>
    <el-pagination v-if="data.total > q.page_size" class="pager" layout="total, prev, pager, next, jumper" :total="data.total"
      :page-size="q.page_size" v-model:current-page="q.page" @current-change="load" data-test="todo-pager" />
  </el-card>
</div>
`,
});
