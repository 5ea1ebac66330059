import { ref, computed, onMounted } from 'vue';
import { get, session, hasRole } from '../api.js';
import { go, route } from '../router.js';
import { view } from '../view.js';
import { DeadlineTag } from '../components.js';
import { meta, loadMeta, label } from '../meta.js';

export default view(import.meta.url, {
  components: { DeadlineTag },
  setup() {
    const data = ref({ counts: { overdue: 0, warning: 0, ok: 0 }, items: [] });
    const loading = ref(false);
    const level = ref(['overdue', 'warning', 'ok'].includes(route.query.level) ? route.query.level : 'all');
    const scope = ref('me');
    const court = ref('');
    const supervisor = computed(() => hasRole('chief', 'command'));
    const overdueSummary = ref(null);

    async function load() {
      loading.value = true;
      try {
        const q = { limit: 1000 };
        if (scope.value === 'court') q.court = court.value || (session.user.court && session.user.court.code);
        data.value = await get('/todo', q);
        if (supervisor.value && scope.value === 'court') {
          overdueSummary.value = await get('/deadlines/overdue', { court: q.court, subordinates: hasRole('command') ? 1 : undefined }, { quiet: true }).catch(() => null);
        } else overdueSummary.value = null;
      } catch { /* message shown */ } finally { loading.value = false; }
    }
    const items = computed(() => (data.value.items || []).filter((i) => level.value === 'all' || i.level === level.value));
    const rowClass = ({ row }) => (row.level === 'overdue' ? 'row-overdue' : row.level === 'warning' ? 'row-warn' : '');
    onMounted(() => { loadMeta(); load(); });
    return { data, items, loading, level, scope, court, supervisor, overdueSummary, load, rowClass, go, label, meta };
  },
  template: `
<div class="page">
  <div class="page-head">
    <h2>我的待办</h2>
    <span class="muted">按到期日由近及远排列；临期（橙色）在到期前预警，逾期（红色）须立即处理</span>
    <span class="spacer" />
    <el-radio-group v-if="supervisor" v-model="scope" size="small" @change="load">
      <el-radio-button value="me">我承办的</el-radio-button>
      <el-radio-button value="court">本院全部</el-radio-button>
    </el-radio-group>
    <el-button size="small" @click="load" :loading="loading"><el-icon><icon-refresh /></el-icon>刷新</el-button>
  </div>
  <div class="kpis">
    <div class="kpi" style="cursor:pointer" @click="level = 'overdue'" data-test="count-overdue">
      <div class="k-label">已逾期</div><div class="k-value dl-overdue">{{ data.counts.overdue || 0 }}</div>
    </div>
    <div class="kpi" style="cursor:pointer" @click="level = 'warning'" data-test="count-warning">
      <div class="k-label">临期预警</div><div class="k-value dl-warn">{{ data.counts.warning || 0 }}</div>
    </div>
    <div class="kpi" style="cursor:pointer" @click="level = 'ok'">
      <div class="k-label">正常</div><div class="k-value dl-ok">{{ data.counts.ok || 0 }}</div>
    </div>
    <div class="kpi" style="cursor:pointer" @click="level = 'all'">
      <div class="k-label">全部待办</div><div class="k-value">{{ (data.counts.overdue || 0) + (data.counts.warning || 0) + (data.counts.ok || 0) }}</div>
    </div>
  </div>
  <el-card v-if="overdueSummary && overdueSummary.by_handler && overdueSummary.by_handler.length" shadow="never" header="逾期/临期按承办人">
    <el-table :data="overdueSummary.by_handler" size="small" max-height="220">
      <el-table-column label="承办人"><template #default="{ row }">{{ row.handler ? row.handler.name : '未分案' }}</template></el-table-column>
      <el-table-column prop="overdue" label="逾期" width="100"><template #default="{ row }"><span class="dl-overdue">{{ row.overdue }}</span></template></el-table-column>
      <el-table-column prop="warning" label="临期" width="100"><template #default="{ row }"><span class="dl-warn">{{ row.warning }}</span></template></el-table-column>
    </el-table>
  </el-card>
  <el-card shadow="never">
    <div class="toolbar">
      <el-radio-group v-model="level" size="small">
        <el-radio-button value="all">全部</el-radio-button>
        <el-radio-button value="overdue">逾期</el-radio-button>
        <el-radio-button value="warning">临期</el-radio-button>
        <el-radio-button value="ok">正常</el-radio-button>
      </el-radio-group>
      <span class="muted">共 {{ items.length }} 项</span>
    </div>
    <el-table :data="items" v-loading="loading" size="small" :row-class-name="rowClass" border data-test="todo-table"
      empty-text="暂无待办事项" @row-dblclick="(r) => go('/cases/' + r.case_id)">
      <el-table-column label="到期日" prop="due_on" width="110" />
      <el-table-column label="剩余" width="110"><template #default="{ row }"><DeadlineTag :level="row.level" :days="row.days_left" /></template></el-table-column>
      <el-table-column label="待办事项" prop="label" min-width="150" />
      <el-table-column label="案号" min-width="200">
        <template #default="{ row }"><a :href="'#/cases/' + row.case_id">{{ row.case_no }}</a></template>
      </el-table-column>
      <el-table-column label="阶段" width="130"><template #default="{ row }">{{ label('stages', row.stage) }}</template></el-table-column>
      <el-table-column label="承办人" width="100"><template #default="{ row }">{{ row.handler ? row.handler.name : '—' }}</template></el-table-column>
      <el-table-column label="法律依据" prop="article" min-width="150" show-overflow-tooltip />
    </el-table>
  </el-card>
</div>
`,
});
