import { reactive, ref, computed, onMounted } from 'vue';
import { get, session, hasRole } from '../api.js';
import { route, setQuery } from '../router.js';
import { view } from '../view.js';
import { pct, today } from '../fmt.js';
import { EChart } from '../components.js';

// issue 4 §8 — keys of GET /api/v1/indicators and how they are defined (docs/INDICATORS.md)
export const COUNTS = [
  ['carried_over', '旧存', '区间开始前立案、开始时未结的案件'],
  ['new', '新收', '区间内立案的案件'],
  ['received', '受理', '旧存 + 新收'],
  ['closed', '已结', '受理案件中在区间内结案的'],
  ['pending', '未结', '受理 − 已结'],
  ['closed_late', '超期结案', '已结案件中结案日期晚于执行期限（按案件类型计算，扣除不计入期间、加上批准延长）的'],
];
export const RATES = [
  ['closure_rate', '结案率', '已结 ÷ 受理'],
  ['actual_enforcement_rate', '实际执结率', '以执行完毕、终结执行方式结案 ÷ 已结'],
  ['interim_closure_rate', '终本率', '以终结本次执行程序结案 ÷ 已结'],
  ['on_time_rate', '法定期限内结案率', '在执行期限内（扣除不计入期间、加上批准延长）结案 ÷ 已结'],
  ['asset_case_enforcement_rate', '有财产案件执行率', '有财产案件以执行完毕、终结执行结案 ÷ 有财产案件已结'],
  ['asset_case_on_time_rate', '有财产案件法定期限内执结率', '有财产案件期限内实际执结 ÷ 有财产案件实际执结'],
  ['recovery_rate', '执行到位率', '已结案件执行到位金额之和 ÷ 申请标的之和'],
  ['interim_closure_compliance_rate', '终本合格率', '终本结案中全部满足终本条件的 ÷ 终本结案'],
];

export default view(import.meta.url, {
  components: { EChart },
  setup() {
    const y = today().slice(0, 4);
    const f = reactive({
      court: route.query.court || (session.user && session.user.court ? session.user.court.code : ''),
      // a higher or intermediate court has few cases of its own: show its whole district by default
      subordinates: route.query.subordinates === '1' || hasRole('command')
        || !!(session.user && session.user.court && session.user.court.level < 4),
      range: [route.query.from || `${y}-01-01`, route.query.to || today()],
      handler: route.query.handler || '',
    });
    const courts = ref([]);
    const handlers = ref([]);
    const k = ref(null);
    const trend = ref(null);
    const cmp = ref(null);
    const loading = ref(false);
    const error = ref('');

    async function loadHandlers() {
      handlers.value = [];
      try {
        const r = await get('/users', { court: f.court }, { quiet: true });
        handlers.value = (r.users || []).filter((u) => (u.roles || []).some((x) => x === 'judge' || x === 'assistant'));
      } catch { /* optional */ }
    }
    async function load() {
      const q = { court: f.court, from: f.range && f.range[0], to: f.range && f.range[1], subordinates: f.subordinates ? 1 : '', handler: f.handler };
      setQuery(q);
      loading.value = true; error.value = '';
      try {
        const [a, b, c] = await Promise.all([
          get('/indicators', q, { quiet: true }),
          get('/indicators/trend', q, { quiet: true }).catch(() => null),
          f.handler ? Promise.resolve(null) : get('/indicators/courts', { court: q.court, from: q.from, to: q.to }, { quiet: true }).catch(() => null),
        ]);
        k.value = a; trend.value = b; cmp.value = c;
      } catch (e) { error.value = e.message; k.value = null; } finally { loading.value = false; }
    }
    const trendOption = computed(() => {
      const m = (trend.value && trend.value.months) || [];
      return {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 50, right: 50, top: 36, bottom: 30 },
        xAxis: { type: 'category', data: m.map((x) => x.month) },
        yAxis: [{ type: 'value', name: '件', minInterval: 1 }, { type: 'value', name: '%', max: 100, min: 0 }],
        series: [
          { name: '新收', type: 'bar', data: m.map((x) => x.new), itemStyle: { color: '#60a5fa' } },
          { name: '已结', type: 'bar', data: m.map((x) => x.closed), itemStyle: { color: '#34d399' } },
          { name: '结案率', type: 'line', yAxisIndex: 1, data: m.map((x) => +(x.closure_rate * 100).toFixed(2)), itemStyle: { color: '#9b1c1c' } },
          { name: '法定期限内结案率', type: 'line', yAxisIndex: 1, data: m.map((x) => +(x.on_time_rate * 100).toFixed(2)), itemStyle: { color: '#f59e0b' } },
        ],
      };
    });
    const cmpRows = computed(() => (cmp.value && cmp.value.courts) || []);
    const cmpOption = computed(() => {
      const rows = cmpRows.value;
      const keys = [['closure_rate', '结案率'], ['actual_enforcement_rate', '实际执结率'], ['on_time_rate', '法定期限内结案率'], ['recovery_rate', '执行到位率']];
      return {
        tooltip: { trigger: 'axis', valueFormatter: (v) => v + '%' },
        legend: { top: 0 },
        grid: { left: 50, right: 20, top: 36, bottom: 60 },
        xAxis: { type: 'category', data: rows.map((r) => (r.own ? r.court_name + '（本院）' : r.court_name)), axisLabel: { interval: 0, rotate: rows.length > 5 ? 25 : 0 } },
        yAxis: { type: 'value', max: 100, min: 0, name: '%' },
        series: keys.map(([key, name]) => ({ name, type: 'bar', data: rows.map((r) => +(r[key] * 100).toFixed(2)) })),
      };
    });
    onMounted(async () => {
      try { courts.value = (await get('/courts', null, { quiet: true })).courts || []; } catch { /* own court */ }
      loadHandlers();
      load();
    });
    return { f, courts, handlers, k, trend, cmp, cmpRows, loading, error, load, loadHandlers, trendOption, cmpOption, COUNTS, RATES, pct };
  },
  template: `
<div class="page">
  <div class="page-head"><h2>质效指标</h2><span class="muted">按法院（可含下级）、承办人、任意区间统计；口径见各指标说明</span></div>
  <el-card shadow="never">
    <el-form inline class="search-form" @submit.prevent="load">
      <el-form-item label="法院">
        <el-select v-model="f.court" style="width:270px" filterable @change="f.handler = ''; loadHandlers()">
          <el-option v-for="c in courts" :key="c.code" :value="c.code" :label="c.name + '（' + c.code + '）'" />
        </el-select>
      </el-form-item>
      <el-form-item><el-checkbox v-model="f.subordinates">含下级法院</el-checkbox></el-form-item>
      <el-form-item label="承办人">
        <el-select v-model="f.handler" clearable placeholder="全部" style="width:130px">
          <el-option v-for="u in handlers" :key="u.id" :value="String(u.id)" :label="u.display_name" />
        </el-select>
      </el-form-item>
      <el-form-item label="统计区间">
        <el-date-picker v-model="f.range" type="daterange" value-format="YYYY-MM-DD" :clearable="false" style="width:250px" />
      </el-form-item>
      <el-form-item><el-button type="primary" native-type="submit" :loading="loading" data-test="ind-query">统计</el-button></el-form-item>
    </el-form>
  </el-card>
  <el-alert v-if="error" :title="error" type="error" show-icon :closable="false" style="margin-bottom:12px" />
  <template v-if="k">
    <div class="kpis" data-test="kpis">
      <el-tooltip v-for="[key, name, def] in COUNTS" :key="key" :content="def" placement="top">
        <div class="kpi" :data-test="'kpi-' + key"><div class="k-label">{{ name }}</div><div class="k-value">{{ k[key] }}</div></div>
      </el-tooltip>
    </div>
    <div class="kpis rates">
      <el-tooltip v-for="[key, name, def] in RATES" :key="key" :content="def" placement="top">
        <div class="kpi" :data-test="'kpi-' + key"><div class="k-label">{{ name }}</div><div class="k-value">{{ pct(k[key]) }}</div></div>
      </el-tooltip>
    </div>
  </template>
  <el-row :gutter="12">
    <el-col :span="cmpRows.length ? 12 : 24">
      <el-card shadow="never" header="按月趋势"><EChart :option="trendOption" /></el-card>
    </el-col>
    <el-col :span="12" v-if="cmpRows.length">
      <el-card shadow="never" header="法院对比"><EChart :option="cmpOption" /></el-card>
    </el-col>
  </el-row>
  <el-card shadow="never" header="法院对比明细" v-if="cmpRows.length">
    <el-table :data="cmpRows" size="small" border>
      <el-table-column label="法院" min-width="180"><template #default="{ row }">{{ row.court_name }}<span v-if="row.own" class="muted">（本院）</span></template></el-table-column>
      <el-table-column v-for="[key, name] in COUNTS" :key="key" :label="name" :prop="key" width="70" align="right" />
      <el-table-column v-for="[key, name] in RATES" :key="key" :label="name" min-width="90" align="right">
        <template #default="{ row }">{{ pct(row[key]) }}</template>
      </el-table-column>
    </el-table>
  </el-card>
</div>
`,
});
