import { reactive, ref, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { get, post } from '../api.js';
import { view } from '../view.js';
import { dateTime } from '../fmt.js';

const SCOPES = [['credit:check', '单条/批量核查'], ['credit:bulk', '大批量核查（NDJSON/CSV）'], ['credit:feed', '名单变更订阅'], ['credit:report', '报送拦截情况'], ['inquiry:answer', '查控答复回调'], ['auction:results', '拍卖结果回传'], ['funds:notify', '到账通知']];
const KINDS = [['airline', '航空公司'], ['railway', '铁路'], ['bank', '银行'], ['regulator', '监管部门'], ['platform', '网络平台'], ['institution', '协助执行机构'], ['auction_platform', '网络拍卖平台'], ['other', '其他']];

export default view(import.meta.url, {
  setup() {
    const rows = ref([]);
    const loading = ref(false);
    const cr = reactive({ open: false, name: '', kind: 'airline', scopes: ['credit:check'], busy: false, error: '' });
    async function load() {
      loading.value = true;
      try { rows.value = (await get('/partners')).partners || []; } catch { rows.value = []; } finally { loading.value = false; }
    }
    async function submit() {
      cr.error = '';
      if (!cr.name.trim()) { cr.error = '请填写单位名称'; return; }
      if (!cr.scopes.length) { cr.error = '请至少选择一项授权范围'; return; }
      cr.busy = true;
      try {
        const r = await post('/partners', { name: cr.name.trim(), kind: cr.kind, scopes: cr.scopes }, { quiet: true });
        cr.open = false;
        await ElMessageBox.alert(`单位：${cr.name}\n接口密钥：${r.api_key}\n\n${r.note || '接口密钥仅显示一次，请通过安全渠道交付对方。'}`, '已签发 接口密钥',
          { type: 'warning', confirmButtonText: '我已妥善保存', customClass: 'secret-box' }).catch(() => {});
        load();
      } catch (e) { cr.error = e.message; } finally { cr.busy = false; }
    }
    async function revoke(p) {
      try { await ElMessageBox.confirm(`确定停用“${p.name}”并吊销其 接口密钥？对方将立即无法查询。`, '吊销密钥', { type: 'warning' }); } catch { return; }
      try { await post(`/partners/${p.id}/revoke`, {}); ElMessage.success('已吊销'); load(); } catch { /* shown */ }
    }
    const kindLabel = (k) => (KINDS.find((x) => x[0] === k) || [k, k || '—'])[1];
    const scopeLabel = (s) => (SCOPES.find((x) => x[0] === s) || [s, s])[1];
    onMounted(load);
    return { rows, loading, cr, submit, revoke, SCOPES, KINDS, kindLabel, scopeLabel, dateTime };
  },
  template: `
<div class="page">
  <div class="page-head"><h2>合作方密钥</h2><span class="muted">联合惩戒单位（航空、铁路、银行等）的 接口密钥；密钥仅在签发时显示一次，服务器只保存哈希</span>
    <span class="spacer" style="flex:1" /><el-button type="primary" @click="cr.open = true" data-test="partner-create">登记单位并签发密钥</el-button></div>
  <el-card shadow="never">
    <el-table :data="rows" v-loading="loading" size="small" border stripe empty-text="尚未登记联合惩戒单位">
      <el-table-column label="单位名称" prop="name" min-width="180" />
      <el-table-column label="类别" width="100"><template #default="{ row }">{{ kindLabel(row.kind) }}</template></el-table-column>
      <el-table-column label="密钥前缀" width="140"><template #default="{ row }"><span class="mono">{{ (row.key_prefix || '').replace(/^zxk_/, '') }}…</span></template></el-table-column>
      <el-table-column label="授权范围" min-width="220">
        <template #default="{ row }"><el-tag v-for="s in (row.scopes || '').split(' ').filter(Boolean)" :key="s" size="small" style="margin-right:4px">{{ scopeLabel(s) }}</el-tag></template>
      </el-table-column>
      <el-table-column label="签发时间" width="140"><template #default="{ row }">{{ dateTime(row.created_ms) }}</template></el-table-column>
      <el-table-column label="状态" width="90">
        <template #default="{ row }"><el-tag size="small" :type="row.disabled || row.revoked ? 'info' : 'success'">{{ row.disabled || row.revoked ? '已吊销' : '有效' }}</el-tag></template>
      </el-table-column>
      <el-table-column label="操作" width="90">
        <template #default="{ row }"><el-button v-if="!row.disabled && !row.revoked" link type="danger" size="small" @click="revoke(row)">吊销</el-button></template>
      </el-table-column>
    </el-table>
  </el-card>
  <el-dialog v-model="cr.open" title="登记联合惩戒单位" width="500px">
    <el-form label-width="90px">
      <el-form-item label="单位名称" required><el-input v-model="cr.name" placeholder="如：某某航空股份有限公司" /></el-form-item>
      <el-form-item label="类别"><el-select v-model="cr.kind"><el-option v-for="[k, l] in KINDS" :key="k" :value="k" :label="l" /></el-select></el-form-item>
      <el-form-item label="授权范围" required>
        <el-checkbox-group v-model="cr.scopes"><el-checkbox v-for="[k, l] in SCOPES" :key="k" :value="k">{{ l }}</el-checkbox></el-checkbox-group>
      </el-form-item>
    </el-form>
    <el-alert v-if="cr.error" :title="cr.error" type="error" :closable="false" show-icon />
    <template #footer><el-button @click="cr.open = false">取消</el-button><el-button type="primary" :loading="cr.busy" @click="submit">签发</el-button></template>
  </el-dialog>
</div>
`,
});
