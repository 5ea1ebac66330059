// 指挥中心大屏 (issue 14 §7): the court tree, the "3+1" against target, tiles that drill to their lists,
// the ranking of every court, auto-refresh; every table exports to Excel.
import { ref, computed, onMounted, onBeforeUnmount } from 'vue';
import { get, download, session } from '../api.js';
import { route, go, setQuery } from '../router.js';
import { view } from '../view.js';
import { pct, dateTime, yuan } from '../fmt.js';
import { EChart } from '../components.js';
import { THREE_PLUS_ONE } from './command-meta.js';

const REFRESH_MS = 60000;

export default view(import.meta.url, {
  components: { EChart },
  setup() {
    const court = ref(route.query.court || (session.user && session.user.court ? session.user.court.code : ''));
    const d = ref(null);
    const rank = ref(null);
    const drill = ref(null);
    const error = ref('');
    const loading = ref(false);
    const auto = ref(true);
    let timer = null;
    async function load(fresh) {
      setQuery({ court: court.value });
      loading.value = true; error.value = '';
      try {
        const [a, b] = await Promise.all([
          get('/command/dashboard', { court: court.value, fresh: fresh === true ? 1 : '' }, { quiet: true }),
          get('/command/lists/courts_3p1', { court: court.value }, { quiet: true }),
        ]);
        d.value = a; rank.value = b;
        /* a basic court: drill down to its teams and judges */
        drill.value = a.level === 4 ? await get('/command/drill', { court: court.value }, { quiet: true }).catch(() => null) : null;
      } catch (e) { error.value = e.message; } finally { loading.value = false; }
    }
    function schedule() {
      clearInterval(timer);
      if (auto.value) timer = setInterval(load, REFRESH_MS);
    }
    const gaugeOption = computed(() => {
      const sc = (d.value && d.value.three_plus_one) || {};
      return {
        tooltip: { trigger: 'axis', valueFormatter: (v) => v + '%' },
        legend: { top: 0 },
        grid: { left: 200, right: 30, top: 30, bottom: 20 },
        yAxis: { type: 'category', data: THREE_PLUS_ONE.map(([, l]) => l), axisLabel: { width: 190, overflow: 'truncate' } },
        xAxis: { type: 'value', min: 0, max: 100, name: '%' },
        series: [
          { name: '实际值', type: 'bar', data: THREE_PLUS_ONE.map(([k]) => {
            const v = sc[k] || {};
            /* no case in the figure's denominator: no bar (shown "—" in the table) */
            if (v.value === null || v.value === undefined) return { value: null };
            return { value: +(v.value * 100).toFixed(2), itemStyle: { color: v.met ? '#16a34a' : '#dc2626' } };
          }) },
          { name: '目标值', type: 'scatter', symbol: 'diamond', symbolSize: 14, itemStyle: { color: '#1e3a8a' },
            data: THREE_PLUS_ONE.map(([k]) => +(((sc[k] || {}).target || 0) * 100).toFixed(2)) },
        ],
      };
    });
    const treeOption = computed(() => {
      if (!d.value) return null;
      const conv = (n) => ({ name: n.name, value: n.code, children: (n.children || []).map(conv) });
      return {
        tooltip: { trigger: 'item', formatter: (p) => p.name + '（' + p.value + '）' },
        series: [{ type: 'tree', data: [conv(d.value.tree)], top: 10, left: 160, bottom: 10, right: 150, symbolSize: 10,
          initialTreeDepth: 3, expandAndCollapse: false, label: { position: 'left', verticalAlign: 'middle', align: 'right' },
          leaves: { label: { position: 'right', align: 'left' } } }],
      };
    });
    const flat = computed(() => {
      const out = [];
      const walk = (n, depth) => { out.push({ code: n.code, name: n.name, depth }); (n.children || []).forEach((k) => walk(k, depth + 1)); };
      if (d.value) walk(d.value.tree, 0);
      return out;
    });
    function onTree(p) {
      if (p && p.value && p.value !== court.value) { court.value = p.value; load(); }
    }
    function openList(t) {
      if (t.list.startsWith('cases_')) go('/indicators', { court: court.value, subordinates: 1 });
      else go('/command/list/' + t.list, { court: court.value });
    }
    function exportRank() {
      download('/command/lists/courts_3p1', '3+1指标排名.xlsx', { query: { court: court.value, format: 'xlsx' } });
    }
    onMounted(() => { load(); schedule(); });
    onBeforeUnmount(() => clearInterval(timer));
    return { court, d, rank, drill, flat, error, loading, auto, load, schedule, gaugeOption, treeOption, onTree, openList, exportRank,
      pct, dateTime, yuan, THREE_PLUS_ONE };
  },
  template: `
<div class="page">
  <div class="page-head"><h2>指挥中心</h2>
    <span class="muted" v-if="d">{{ d.court_name }} · 统计区间 {{ d.from }} 至 {{ d.to }} · 数据生成于 {{ dateTime(d.generated_ms) }}</span>
  </div>
  <el-card shadow="never">
    <el-form inline @submit.prevent="load(true)">
      <el-form-item label="法院代字"><el-input v-model="court" style="width:140px" data-test="cmd-court" /></el-form-item>
      <el-form-item><el-button type="primary" native-type="submit" :loading="loading" data-test="cmd-load">刷新</el-button></el-form-item>
      <el-form-item><el-switch v-model="auto" active-text="每分钟自动刷新" @change="schedule" /></el-form-item>
      <el-form-item v-if="d && d.on_call"><el-tag type="success" data-test="cmd-oncall">当前值班：{{ d.on_call.name }}</el-tag></el-form-item>
      <el-form-item v-else-if="d"><el-tag type="info">当前无人值班</el-tag></el-form-item>
    </el-form>
  </el-card>
  <el-alert v-if="error" :title="error" type="error" show-icon :closable="false" style="margin-bottom:12px" />
  <template v-if="d">
    <div class="kpis" data-test="cmd-tiles">
      <div v-for="t in d.tiles" :key="t.label" class="kpi" :class="t.status" style="cursor:pointer" :data-test="'tile-' + t.list"
           @click="openList(t)">
        <div class="k-label">{{ t.label }}</div><div class="k-value">{{ t.unit === 'fen' ? yuan(t.value) : t.value }}</div>
        <div v-if="t.amount_fen !== undefined" class="muted" style="font-size:12px">{{ yuan(t.amount_fen) }}</div>
      </div>
    </div>
    <el-row :gutter="12">
      <el-col :span="12">
        <el-card shadow="never" header="“3+1”核心指标（红色为未达标）" data-test="cmd-3p1">
          <EChart :option="gaugeOption" height="260px" />
          <el-table :data="THREE_PLUS_ONE" size="small">
            <el-table-column label="指标"><template #default="{ row }">{{ row[1] }}</template></el-table-column>
            <el-table-column label="实际值" width="90" align="right"><template #default="{ row }">{{ pct(d.three_plus_one[row[0]].value) }}</template></el-table-column>
            <el-table-column label="目标值" width="90" align="right"><template #default="{ row }">≥ {{ pct(d.three_plus_one[row[0]].target, 0) }}</template></el-table-column>
            <el-table-column label="达标" width="70"><template #default="{ row }">
              <span v-if="d.three_plus_one[row[0]].value === null">—</span>
              <el-tag v-else :type="d.three_plus_one[row[0]].met ? 'success' : 'danger'" size="small">{{ d.three_plus_one[row[0]].met ? '达标' : '未达标' }}</el-tag>
            </template></el-table-column>
          </el-table>
        </el-card>
      </el-col>
      <el-col :span="12">
        <el-card shadow="never" header="法院层级（点击法院查看其辖区）">
          <EChart v-if="treeOption" :option="treeOption" height="300px" />
          <div data-test="cmd-tree">
            <el-button v-for="c in flat" :key="c.code" size="small" :type="c.code === court ? 'primary' : ''" link
                       @click="onTree({ value: c.code })">{{ '　'.repeat(c.depth) }}{{ c.name }}</el-button>
          </div>
        </el-card>
      </el-col>
    </el-row>
    <el-card shadow="never" v-if="rank">
      <template #header>
        <div style="display:flex;justify-content:space-between;align-items:center"><span>辖区法院“3+1”排名（各院本院案件）</span>
          <el-button size="small" @click="exportRank" data-test="cmd-export-rank">导出电子表格</el-button></div>
      </template>
      <el-table :data="rank.rows" size="small" border data-test="cmd-rank">
        <el-table-column label="排名" width="60"><template #default="{ row }">{{ row.rank === null || row.rank === undefined ? '—' : row.rank }}</template></el-table-column>
        <el-table-column prop="court_name" label="法院" min-width="180" />
        <el-table-column v-for="[k, l] in THREE_PLUS_ONE" :key="k" :label="l" min-width="120" align="right">
          <template #default="{ row }">{{ pct(row[k]) }}</template>
        </el-table-column>
        <el-table-column prop="targets_met" label="达标项数" width="80" align="right" />
      </el-table>
    </el-card>
    <el-card shadow="never" v-if="drill" header="本院团队与承办人“3+1”（本年度）">
      <el-table :data="drill.judges" size="small" border data-test="cmd-drill">
        <el-table-column prop="team" label="团队" width="140" />
        <el-table-column prop="handler_name" label="承办人" width="100" />
        <el-table-column v-for="[k, l] in THREE_PLUS_ONE" :key="k" :label="l" min-width="120" align="right">
          <template #default="{ row }">{{ pct(row[k]) }}</template>
        </el-table-column>
        <el-table-column prop="received" label="收案" width="70" align="right" />
        <el-table-column prop="closed" label="已结" width="70" align="right" />
      </el-table>
    </el-card>
  </template>
</div>
`,
});
