import { reactive, ref, computed, onMounted } from 'vue';
import { get } from '../api.js';
import { view } from '../view.js';
import { today, addDays } from '../fmt.js';
import { EChart } from '../components.js';

export default view(import.meta.url, {
  components: { EChart },
  setup() {
    const f = reactive({ range: [addDays(today(), -29), today()] });
    const s = ref(null);
    const loading = ref(false);
    async function load() {
      loading.value = true;
      try { s.value = await get('/credit/interceptions/stats', { from: f.range[0], to: f.range[1] }); } catch { s.value = null; } finally { loading.value = false; }
    }
    const dayOption = computed(() => {
      const d = (s.value && s.value.by_day) || [];
      return { tooltip: { trigger: 'axis' }, grid: { left: 50, right: 20, top: 20, bottom: 30 },
        xAxis: { type: 'category', data: d.map((x) => x.day) }, yAxis: { type: 'value', name: '人次' },
        series: [{ type: 'bar', data: d.map((x) => x.count), itemStyle: { color: '#9b1c1c' } }] };
    });
    const catOption = computed(() => {
      const c = (s.value && s.value.by_category) || [];
      return { tooltip: { trigger: 'item', formatter: '{b}：{c} 人次（{d}%）' },
        series: [{ type: 'pie', radius: ['35%', '65%'], data: c.map((x) => ({ name: x.label, value: x.count })), label: { formatter: '{b}\n{c}' } }] };
    });
    onMounted(load);
    return { f, s, loading, load, dayOption, catOption };
  },
  template: `
<div class="page">
  <div class="page-head"><h2>拦截统计</h2><span class="muted">联合惩戒单位报送的拦截情况（如“限制乘坐飞机 N 人次”）</span></div>
  <el-card shadow="never">
    <el-form inline @submit.prevent="load">
      <el-form-item label="统计区间"><el-date-picker v-model="f.range" type="daterange" value-format="YYYY-MM-DD" :clearable="false" style="width:250px" /></el-form-item>
      <el-form-item><el-button type="primary" native-type="submit" :loading="loading">统计</el-button></el-form-item>
    </el-form>
  </el-card>
  <template v-if="s">
    <div class="kpis">
      <div class="kpi"><div class="k-label">拦截合计</div><div class="k-value">{{ s.total }} <span style="font-size:13px">人次</span></div></div>
      <div class="kpi" v-for="c in s.by_category" :key="c.category" :data-test="'icpt-' + c.category">
        <div class="k-label">{{ c.label }}</div><div class="k-value">{{ c.count }} <span style="font-size:13px">人次</span></div>
      </div>
    </div>
    <el-card v-if="!s.total" shadow="never"><el-empty description="区间内没有合作单位报送的拦截记录" :image-size="70" /></el-card>
    <el-row v-else :gutter="12">
      <el-col :span="14"><el-card shadow="never" header="按日"><EChart :option="dayOption" height="280px" /></el-card></el-col>
      <el-col :span="10"><el-card shadow="never" header="按限制项目"><EChart :option="catOption" height="280px" /></el-card></el-col>
    </el-row>
    <el-card v-if="s.total" shadow="never" header="按报送单位">
      <el-table :data="s.by_partner" size="small" border empty-text="区间内无报送">
        <el-table-column label="单位" prop="partner" min-width="200" />
        <el-table-column label="拦截人次" prop="count" width="120" align="right" />
      </el-table>
    </el-card>
  </template>
</div>
`,
});
