import { reactive, ref, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { get, download } from '../api.js';
import { view } from '../view.js';
import { dateTime, today, addDays, yuan } from '../fmt.js';
import { LABELS, FAMILIES, auditAction, describe } from '../labels.js';

const actionLabel = auditAction;
const objectLabel = (t) => (t ? LABELS.audit_object[t] || '其他' : '');
const RESULTS = { ok: ['成功', 'success'], denied: ['拒绝', 'warning'], failed: ['失败', 'danger'] };
const resultLabel = (r) => (RESULTS[r] || [r || '—'])[0];
const resultType = (r) => (RESULTS[r] || [null, 'info'])[1];

export default view(import.meta.url, {
  setup() {
    const f = reactive({ range: [addDays(today(), -6), today()], user: '', action: '', result: '', object_id: '', page: 1, size: 50 });
    const res = ref({ records: [], total_records: 0 });
    const loading = ref(false);
    const verify = ref(null);
    const verifying = ref(false);
    const q = () => ({ from: f.range && f.range[0], to: f.range && f.range[1], user: f.user.trim(), action: (f.action || '').trim(),
      result: f.result, object_id: f.object_id.trim() });
    const hasMore = ref(false);
    async function search(reset) {
      if (reset) f.page = 1;
      loading.value = true;
      try {
        res.value = await get('/audit', { ...q(), page: f.page, size: f.size });
        hasMore.value = (res.value.records || []).length === f.size;
      } catch { res.value = { records: [] }; } finally { loading.value = false; }
    }
    async function exportCsv() {
      try { await download('/audit/export', `审计记录_${q().from}_${q().to}.csv`, { query: q() }); } catch { /* shown */ }
    }
    async function runVerify() {
      verifying.value = true;
      try {
        verify.value = await get('/audit/verify', null, { quiet: true });
      } catch (e) { verify.value = { intact: false, reason: e.message }; ElMessage.error(e.message); } finally { verifying.value = false; }
    }
    // details in Chinese (labels.js); a detail that is not JSON is shown only if it holds no code
    const detail = (d) => {
      if (d === null || d === undefined || d === '') return '';
      let o = d;
      if (typeof d === 'string') { try { o = JSON.parse(d); } catch { return /[A-Za-z]{3,}/.test(d) ? '' : d; } }
      return describe(o, { yuan });
    };
    onMounted(() => search(true));
    const userLabel = (u) => LABELS.audit_user[u] || u; // system accounts by name; people by their login name
    return { userLabel, FAMILIES, f, res, loading, search, exportCsv, runVerify, verify, verifying, dateTime, detail, hasMore, actionLabel, objectLabel, resultLabel, resultType };
  },
  template: `
<div class="page">
  <div class="page-head"><h2>审计日志</h2><span class="muted">记录不可修改、不可删除，按 SM3 哈希链串联；检索与导出本身也记入审计</span>
    <span class="spacer" style="flex:1" />
    <el-button :loading="verifying" @click="runVerify" data-test="audit-verify">校验哈希链</el-button>
  </div>
  <el-alert v-if="verify" :type="verify.intact ? 'success' : 'error'" show-icon :closable="false" style="margin-bottom:12px"
    :title="verify.intact ? '哈希链完整：已校验 ' + verify.verified + ' 条记录' : '哈希链校验失败' + (verify.first_bad_seq ? '：第 ' + verify.first_bad_seq + ' 条记录异常' : '') + (verify.reason ? '（' + verify.reason + '）' : '')" />
  <el-card shadow="never">
    <el-form inline class="search-form" @submit.prevent="search(true)">
      <el-form-item label="日期"><el-date-picker v-model="f.range" type="daterange" value-format="YYYY-MM-DD" style="width:240px" /></el-form-item>
      <el-form-item label="用户名"><el-input v-model="f.user" clearable style="width:150px" /></el-form-item>
      <el-form-item label="操作类别"><el-select v-model="f.action" clearable placeholder="全部" style="width:150px">
        <el-option v-for="(l, k) in FAMILIES" :key="k" :value="k + '.'" :label="l" /></el-select></el-form-item>
      <el-form-item label="结果">
        <el-select v-model="f.result" clearable placeholder="全部" style="width:100px">
          <el-option value="ok" label="成功" /><el-option value="denied" label="拒绝" /><el-option value="failed" label="失败" />
        </el-select>
      </el-form-item>
      <el-form-item label="对象编号"><el-input v-model="f.object_id" clearable style="width:180px" /></el-form-item>
      <el-form-item>
        <el-button type="primary" native-type="submit" :loading="loading">检索</el-button>
        <el-button @click="exportCsv" data-test="audit-export">导出 CSV</el-button>
      </el-form-item>
    </el-form>
    <el-table :data="res.records" v-loading="loading" size="small" border stripe data-test="audit-table">
      <el-table-column label="序号" prop="seq" width="80" />
      <el-table-column label="时间" width="140"><template #default="{ row }">{{ dateTime(row.at_ms) }}</template></el-table-column>
      <el-table-column label="用户" width="150" show-overflow-tooltip><template #default="{ row }">{{ userLabel(row.username) }}</template></el-table-column>
      <el-table-column label="法院" prop="court_code" width="80" />
      <el-table-column label="操作" width="190"><template #default="{ row }">{{ actionLabel(row.action) }}</template></el-table-column>
      <el-table-column label="对象" min-width="160" show-overflow-tooltip><template #default="{ row }">{{ objectLabel(row.object_type) }} <span class="mono">{{ row.object_id }}</span></template></el-table-column>
      <el-table-column label="结果" width="70">
        <template #default="{ row }"><el-tag size="small" :type="resultType(row.result)">{{ resultLabel(row.result) }}</el-tag></template>
      </el-table-column>
      <el-table-column label="客户端" prop="client_ip" width="120" />
      <el-table-column label="详情" min-width="200" show-overflow-tooltip><template #default="{ row }">{{ detail(row.detail) || '—' }}</template></el-table-column>
      <el-table-column label="请求编号" prop="request_id" width="150" show-overflow-tooltip />
    </el-table>
    <div class="pager">
      <span class="muted" style="margin-right:12px">审计记录总数 {{ res.total_records }}</span>
      <el-button size="small" :disabled="f.page <= 1" @click="f.page--; search(false)">上一页</el-button>
      <span style="margin:0 10px">第 {{ f.page }} 页</span>
      <el-button size="small" :disabled="!hasMore" @click="f.page++; search(false)">下一页</el-button>
    </div>
  </el-card>
</div>
`,
});
