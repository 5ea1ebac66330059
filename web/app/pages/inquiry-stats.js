// Command center: 查控运行监控 — the network inquiry dispatcher at work (GET /inquiry/stats): per
// institution the requests in flight, answer times, failures and the circuit breaker; today's totals
// (queried, found, frozen, deducted) by court. Refreshed every 10 seconds while open.
import { ref, computed, onMounted, onUnmounted } from 'vue';
import { api } from '../api.js';
import { yuan } from '../fmt.js';
import { view } from '../view.js';

const BREAKER = { closed: '正常', open: '暂停发送（熔断）', half_open: '试探恢复' };

// 850 → "0.9 秒"; 95000 → "1.6 分钟"; 0 → "—"
export function duration(ms) {
  if (!ms) return '—';
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} 秒`;
  if (ms < 3600000) return `${(ms / 60000).toFixed(1)} 分钟`;
  if (ms < 86400000) return `${(ms / 3600000).toFixed(1)} 小时`;
  return `${(ms / 86400000).toFixed(1)} 天`;
}

export default view(import.meta.url, {
  template: `
<div class="page" data-test="inquiry-stats-page">
  <div class="page-head">
    <h2>查控运行监控</h2>
    <span class="spacer" />
    <span class="muted" style="font-size:13px;margin-right:8px" v-if="date">统计日期 {{ date }}，每 10 秒刷新</span>
    <el-button size="small" @click="load">刷新</el-button>
  </div>
  <el-alert type="info" :closable="false" show-icon style="margin-bottom:10px"
    title="网络执行查控请求由系统按各协助执行单位的并发和频率限制发送；连续失败的单位暂停发送（熔断），到时自动试探恢复。" />
  <h3 style="margin:8px 0">今日查控（按法院）</h3>
  <el-table :data="courts" size="small" border data-test="inq-courts" empty-text="今日尚无查控答复">
    <el-table-column label="法院" prop="court_name" min-width="180" />
    <el-table-column label="查询完成（次）" prop="queried" width="130" align="right" />
    <el-table-column label="查到财产（项）" prop="found" width="130" align="right" />
    <el-table-column label="冻结金额" width="150" align="right"><template #default="{ row }">{{ yuan(row.frozen_fen) }}</template></el-table-column>
    <el-table-column label="扣划金额" width="150" align="right"><template #default="{ row }">{{ yuan(row.deducted_fen) }}</template></el-table-column>
  </el-table>
  <h3 style="margin:16px 0 8px">协助执行单位</h3>
  <div class="muted" style="font-size:12px;margin-bottom:6px">共 {{ institutions.length }} 家，在途请求 {{ inFlight }} 件，待发送 {{ queued }} 件</div>
  <el-table :data="institutions" size="small" border data-test="inq-institutions" empty-text="没有登记协助执行单位">
    <el-table-column label="单位" prop="name" min-width="220" />
    <el-table-column label="类别" prop="kind_label" width="110" />
    <el-table-column label="在途请求" prop="in_flight" width="90" align="right" />
    <el-table-column label="待发送" width="80" align="right"><template #default="{ row }">{{ row.queued || 0 }}</template></el-table-column>
    <el-table-column label="平均答复用时" width="120" align="right"><template #default="{ row }">{{ duration(row.avg_answer_ms_all || row.avg_answer_ms) }}</template></el-table-column>
    <el-table-column label="最长（本次运行）" width="130" align="right"><template #default="{ row }">{{ duration(row.max_answer_ms) }}</template></el-table-column>
    <el-table-column label="请求总数" width="90" align="right"><template #default="{ row }">{{ row.total_requests || 0 }}</template></el-table-column>
    <el-table-column label="失败率" width="90" align="right"><template #default="{ row }">
      <span :style="{ color: (row.failure_rate_pct || 0) >= 10 ? 'var(--el-color-danger)' : '' }">{{ row.failure_rate_pct || 0 }}%</span></template></el-table-column>
    <el-table-column label="发送状态" width="140"><template #default="{ row }">
      <el-tag disable-transitions size="small" :type="row.breaker === 'closed' ? 'success' : row.breaker === 'open' ? 'danger' : 'warning'" data-test="breaker">{{ BREAKER[row.breaker] || '正常' }}</el-tag></template></el-table-column>
  </el-table>
</div>`,
  setup() {
    const institutions = ref([]);
    const courts = ref([]);
    const date = ref('');
    const KIND = ref({});
    async function load() {
      try {
        if (!Object.keys(KIND.value).length) {
          const reg = await api('GET', '/inquiry/institutions');
          KIND.value = Object.fromEntries(reg.kinds.map((k) => [k.kind, k.label]));
        }
        const r = await api('GET', '/inquiry/stats');
        date.value = r.date;
        courts.value = r.courts;
        institutions.value = r.institutions.map((x) => ({ ...x, kind_label: KIND.value[x.kind] || '其他' }));
      } catch { }
    }
    let timer = null;
    onMounted(() => { load(); timer = setInterval(load, 10000); });
    onUnmounted(() => clearInterval(timer));
    const inFlight = computed(() => institutions.value.reduce((a, x) => a + (x.in_flight || 0), 0));
    const queued = computed(() => institutions.value.reduce((a, x) => a + (x.queued || 0), 0));
    return { institutions, courts, date, load, yuan, duration, BREAKER, inFlight, queued };
  },
});
