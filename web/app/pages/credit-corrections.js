import { reactive, ref, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { get, post } from '../api.js';
import { view } from '../view.js';
import { today } from '../fmt.js';
import { DeadlineTag } from '../components.js';
import { cmeta, loadCreditMeta, clabel, CORR_STATUS } from '../credit-meta.js';

export default view(import.meta.url, {
  components: { DeadlineTag },
  setup() {
    const rows = ref([]);
    const loading = ref(false);
    async function load() {
      loading.value = true;
      try { const r = await get('/credit/worklist/corrections'); rows.value = r.items || r.corrections || []; } catch { rows.value = []; } finally { loading.value = false; }
    }
    // the deadline that is running now for an application
    function due(c) {
      if (c.status === 'pending') return { label: '审查期限（15日）', on: c.review_due };
      if (c.status === 'upheld' && !c.fixed_on) return { label: '纠正期限（3个工作日）', on: c.fix_due };
      if (c.status === 'rejected') return { label: '可申请复议至', on: c.reconsider_by };
      if (c.status === 'reconsidering') return { label: '复议审查期限（15日）', on: c.reconsider_due };
      return { label: '—', on: null };
    }
    const dlg = reactive({ open: false, c: null, mode: 'decide', outcome: 'upheld', note: '', date: today(), reason: '', busy: false });
    function open(c, mode) { Object.assign(dlg, { open: true, c, mode, outcome: 'upheld', note: '', date: today(), reason: '' }); }
    async function submit() {
      dlg.busy = true;
      const id = dlg.c.id;
      try {
        if (dlg.mode === 'decide') await post(`/credit/correction-applications/${id}/decide`, { outcome: dlg.outcome, note: dlg.note, decided_on: dlg.date });
        else if (dlg.mode === 'reconsider') await post(`/credit/correction-applications/${id}/reconsider`, { filed_on: dlg.date, reason: dlg.reason });
        else await post(`/credit/correction-applications/${id}/reconsider-decide`, { outcome: dlg.outcome, note: dlg.note });
        dlg.open = false; ElMessage.success('已办理'); load();
      } catch { /* shown */ } finally { dlg.busy = false; }
    }
    onMounted(() => { loadCreditMeta(); load(); });
    return { rows, loading, load, due, dlg, open, submit, clabel, cmeta, CORR_STATUS };
  },
  template: `
<div class="page">
  <div class="page-head"><h2>纠错申请</h2><span class="muted">失信名单纠正申请：15日内审查；纠正成立的3个工作日内撤销、更正或删除；驳回的可在10日内申请复议（失信规定第11–12条）</span></div>
  <el-card shadow="never">
    <div class="muted" style="margin-bottom:8px">登记新的纠正申请：在“失信名单 → 名单”中打开该条目，选择“登记纠正申请”。</div>
    <el-table :data="rows" v-loading="loading" size="small" border empty-text="无待办纠错申请"
      :row-class-name="({ row }) => row.level === 'overdue' ? 'row-overdue' : row.level === 'warning' ? 'row-warn' : ''">
      <el-table-column label="被执行人" prop="name" min-width="100" />
      <el-table-column label="案号" prop="case_no" min-width="170" />
      <el-table-column label="申请人" prop="applicant_name" width="100" />
      <el-table-column label="类型" min-width="140"><template #default="{ row }">{{ clabel('correction_kinds', row.kind) }}</template></el-table-column>
      <el-table-column label="理由" prop="reason" min-width="160" show-overflow-tooltip />
      <el-table-column label="收到日期" prop="received_on" width="100" />
      <el-table-column label="状态" width="90"><template #default="{ row }">{{ CORR_STATUS[row.status] || row.status }}</template></el-table-column>
      <el-table-column label="当前期限" width="200">
        <template #default="{ row }">{{ due(row).label }} {{ due(row).on || '' }} <DeadlineTag v-if="due(row).on" :level="row.level" /></template>
      </el-table-column>
      <el-table-column label="操作" width="150">
        <template #default="{ row }">
          <el-button v-if="row.status === 'pending'" link type="primary" size="small" @click="open(row, 'decide')">审查决定</el-button>
          <el-button v-if="row.status === 'rejected'" link type="primary" size="small" @click="open(row, 'reconsider')">登记复议</el-button>
          <el-button v-if="row.status === 'reconsidering'" link type="primary" size="small" @click="open(row, 'reconsider-decide')">复议决定</el-button>
        </template>
      </el-table-column>
    </el-table>
  </el-card>
  <el-dialog v-model="dlg.open" :title="dlg.mode === 'decide' ? '纠正申请审查决定' : dlg.mode === 'reconsider' ? '登记复议申请' : '复议决定'" width="480px">
    <el-form label-width="90px">
      <el-form-item v-if="dlg.mode !== 'reconsider'" label="结果">
        <el-radio-group v-model="dlg.outcome"><el-radio value="upheld">成立（予以纠正）</el-radio><el-radio value="rejected">驳回</el-radio></el-radio-group>
      </el-form-item>
      <el-form-item v-if="dlg.mode !== 'reconsider-decide'" :label="dlg.mode === 'decide' ? '决定日期' : '复议申请日'"><el-date-picker v-model="dlg.date" type="date" value-format="YYYY-MM-DD" /></el-form-item>
      <el-form-item v-if="dlg.mode === 'reconsider'" label="复议理由"><el-input v-model="dlg.reason" type="textarea" :rows="2" /></el-form-item>
      <el-form-item v-else label="说明"><el-input v-model="dlg.note" type="textarea" :rows="2" /></el-form-item>
    </el-form>
    <template #footer><el-button @click="dlg.open = false">取消</el-button><el-button type="primary" :loading="dlg.busy" @click="submit">确定</el-button></template>
  </el-dialog>
</div>
`,
});
