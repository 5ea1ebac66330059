// Open statistics (issue 15 item 8; no login): per court and month — cases received, closed, pending at the
// month's end, the money recovered and the "3+1" — as ECharts charts, a table and a CSV download
// (GET /api/v1/portal/stats). Public figures only, never a person. Fits a 390-px phone.
import { ref, computed, onMounted } from 'vue';
import { get } from '../api.js';
import { view } from '../view.js';
import { EChart } from '../components.js';
import { yuan, pct } from '../fmt.js';

const RATES = [['asset_case_on_time_rate', '有财产可供执行案件法定期限内实际执结率'], ['interim_closure_compliance_rate', '终本合格率'],
  ['petition_closure_rate', '执行信访办结率'], ['three_year_closure_rate', '近三年执行案件整体结案率']];

export default view(import.meta.url, {
  components: { EChart },
  setup() {
    const year = ref(new Date().getFullYear());
    const court = ref('');
    const rows = ref([]);
    const error = ref('');
    const busy = ref(false);
    async function load() {
      error.value = ''; busy.value = true;
      try { rows.value = (await get('/portal/stats', { year: year.value }, { quiet: true, noRedirect: true })).rows; }
      catch (e) { error.value = e.status === 429 ? '查询过于频繁，请稍后再试' : e.message || '统计数据暂不可用'; rows.value = []; }
      finally { busy.value = false; }
    }
    onMounted(load);
    const courts = computed(() => [...new Set(rows.value.map((r) => r.court))].sort());
    const months = computed(() => [...new Set(rows.value.map((r) => r.month))].sort());
    const sel = computed(() => rows.value.filter((r) => !court.value || r.court === court.value));
    const byMonth = computed(() => months.value.map((m) => {
      const rs = sel.value.filter((r) => r.month === m);
      const sum = (k) => rs.reduce((a, r) => a + (r[k] || 0), 0);
      const avg = (k) => (rs.length ? rs.reduce((a, r) => a + (r[k] || 0), 0) / rs.length : 0);
      return { month: m, received: sum('received'), closed: sum('closed'), pending: sum('pending'), recovered_fen: sum('recovered_fen'),
        ...Object.fromEntries(RATES.map(([k]) => [k, avg(k)])) };
    }));
    const casesOpt = computed(() => ({
      tooltip: { trigger: 'axis' }, legend: { type: 'scroll', top: 0, data: ['收案', '结案', '月末未结'] }, grid: { left: 8, right: 12, bottom: 8, top: 44, containLabel: true },
      xAxis: { type: 'category', data: byMonth.value.map((r) => r.month.slice(5) + '月') }, yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '收案', type: 'bar', data: byMonth.value.map((r) => r.received) },
        { name: '结案', type: 'bar', data: byMonth.value.map((r) => r.closed) },
        { name: '月末未结', type: 'line', data: byMonth.value.map((r) => r.pending) },
      ],
    }));
    const moneyOpt = computed(() => ({
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${v} 万元` }, grid: { left: 8, right: 12, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: 'category', data: byMonth.value.map((r) => r.month.slice(5) + '月') }, yAxis: { type: 'value', name: '万元' },
      series: [{ name: '执行到位金额', type: 'bar', data: byMonth.value.map((r) => Math.round(r.recovered_fen / 1e4) / 100) }],
    }));
    const rateOpt = computed(() => ({
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` }, legend: { type: 'scroll', top: 0, data: RATES.map(([, l]) => l) },
      grid: { left: 8, right: 12, bottom: 8, top: 44, containLabel: true },
      xAxis: { type: 'category', data: byMonth.value.map((r) => r.month.slice(5) + '月') }, yAxis: { type: 'value', max: 100 },
      series: RATES.map(([k, l]) => ({ name: l, type: 'line', data: byMonth.value.map((r) => (r[k] === null || r[k] === undefined ? null : Math.round(r[k] * 1000) / 10)) })),
    }));
    const csvHref = computed(() => `/api/v1/portal/stats?year=${year.value}&format=csv`);
    const years = computed(() => { const y = new Date().getFullYear(); return [y, y - 1, y - 2]; });
    return { year, court, rows, error, busy, load, courts, sel, casesOpt, moneyOpt, rateOpt, csvHref, years, yuan, pct, RATES };
  },
  template: `
<div class="portal party-portal">
  <div class="portal-head">
    <span class="brand-mark big">执</span>
    <div class="portal-title"><h1>执行工作公开统计</h1><div class="portal-sub">各法院每月收案、结案、未结、执行到位金额与“3+1”核心指标</div></div>
    <span class="spacer" />
    <nav class="portal-links"><a href="#/open">执行公开平台</a><a href="#/my-case">当事人查询</a></nav>
  </div>
  <div class="portal-body">
    <el-card shadow="never">
      <div class="open-stats-filters">
        <el-select v-model="year" style="width:110px" @change="load" data-test="stats-year"><el-option v-for="y in years" :key="y" :value="y" :label="y + '年'" /></el-select>
        <el-select v-model="court" clearable placeholder="全部法院" style="width:220px;max-width:100%" data-test="stats-court">
          <el-option v-for="c in courts" :key="c" :value="c" :label="c" />
        </el-select>
        <a :href="csvHref" download data-test="stats-csv">下载统计表（CSV）</a>
      </div>
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon />
      <div class="muted">仅公布汇总数字，不含任何个人信息。</div>
    </el-card>
    <el-card shadow="never" class="open-section"><template #header>收案、结案与月末未结</template><EChart :option="casesOpt" height="280px" data-test="stats-chart-cases" /></el-card>
    <el-card shadow="never" class="open-section"><template #header>执行到位金额</template><EChart :option="moneyOpt" height="240px" /></el-card>
    <el-card shadow="never" class="open-section"><template #header>“3+1”核心指标（%）</template><EChart :option="rateOpt" height="280px" /></el-card>
    <el-card shadow="never" class="open-section">
      <template #header>明细</template>
      <div class="open-table-wrap">
        <el-table :data="sel" size="small" border data-test="stats-table" style="min-width:640px">
          <el-table-column label="法院" prop="court" min-width="150" />
          <el-table-column label="月份" prop="month" width="80" />
          <el-table-column label="收案" prop="received" width="60" align="right" />
          <el-table-column label="结案" prop="closed" width="60" align="right" />
          <el-table-column label="月末未结" prop="pending" width="76" align="right" />
          <el-table-column label="执行到位金额" width="130" align="right"><template #default="{ row }">{{ yuan(row.recovered_fen) }}</template></el-table-column>
          <el-table-column v-for="[k, l] in RATES" :key="k" :label="l" width="110" align="right"><template #default="{ row }">{{ pct(row[k]) }}</template></el-table-column>
        </el-table>
      </div>
    </el-card>
  </div>
</div>`,
});
