// 审批 — the one approval inbox (GET /api/v1/approvals): what waits for the 院长/局长's signature, with
// age and deadline; approve or return with an opinion. Other staff see what they submitted.
import { ref, reactive, computed, onMounted, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { get, post, hasRole } from '../api.js';
import { route, setQuery } from '../router.js';
import { view } from '../view.js';
import { DeadlineTag } from '../components.js';
import { dateTime } from '../fmt.js';
import { L } from '../labels.js';

export default view(import.meta.url, {
  components: { DeadlineTag },
  setup() {
    const chief = computed(() => hasRole('chief'));
    const supervisor = computed(() => hasRole('chief', 'command'));
    const scopes = computed(() => [
      ...(chief.value ? [{ value: 'decide', label: '待我审批' }] : []),
      { value: 'submitted', label: '我提交的' },
      ...(supervisor.value ? [{ value: 'courts', label: '辖区全部' }] : []),
    ]);
    const q = reactive({
      scope: route.query.scope || (chief.value ? 'decide' : 'submitted'),
      status: route.query.status || 'pending',
      page: 1,
      page_size: 20,
    });
    const data = ref({ items: [], total: 0, waiting: 0 });
    const loading = ref(false);
    async function load() {
      loading.value = true;
      try {
        const query = { scope: q.scope, page: q.page, page_size: q.page_size };
        if (q.scope !== 'decide') query.status = q.status;
        data.value = await get('/approvals', query);
        setQuery({ scope: q.scope !== (chief.value ? 'decide' : 'submitted') ? q.scope : undefined,
          status: q.scope !== 'decide' && q.status !== 'pending' ? q.status : undefined });
      } catch { /* message shown */ } finally { loading.value = false; }
    }
    watch(() => [q.scope, q.status], () => { q.page = 1; load(); });
    const dlg = reactive({ open: false, approve: true, item: null, opinion: '', busy: false, error: '' });
    function decide(item, approve) {
      Object.assign(dlg, { open: true, approve, item, opinion: approve ? '同意。' : '', busy: false, error: '' });
    }
    async function submit() {
      dlg.error = '';
      if (!dlg.approve && !dlg.opinion.trim()) { dlg.error = '退回须填写审批意见'; return; }
      dlg.busy = true;
      try {
        await post(`/approvals/${dlg.item.id}/${dlg.approve ? 'approve' : 'return'}`, { opinion: dlg.opinion }, { quiet: true });
        ElMessage.success(dlg.approve ? '已批准' : '已退回');
        dlg.open = false;
        load();
      } catch (e) { dlg.error = e.message; } finally { dlg.busy = false; }
    }
    const rowClass = ({ row }) => (row.level === 'overdue' ? 'row-overdue' : row.level === 'warning' ? 'row-warn' : '');
    onMounted(load);
    return { q, scopes, data, loading, load, decide, dlg, submit, rowClass, dateTime, L };
  },
  template: `
<div class="page">
  <div class="page-head">
    <h2>审批事项</h2>
    <span class="muted">终本、延长执行期限、罚款、拘留、失信和限制消费决定等须院长/局长签批的事项</span>
    <span class="spacer" />
    <el-button size="small" @click="load" :loading="loading"><el-icon><icon-refresh /></el-icon>刷新</el-button>
  </div>
  <el-card shadow="never">
    <div class="toolbar">
      <el-radio-group v-model="q.scope" size="small" data-test="approval-scope">
        <el-radio-button v-for="s in scopes" :key="s.value" :value="s.value">{{ s.label }}</el-radio-button>
      </el-radio-group>
      <el-radio-group v-if="q.scope !== 'decide'" v-model="q.status" size="small">
        <el-radio-button value="pending">待审批</el-radio-button>
        <el-radio-button value="decided">已审批</el-radio-button>
        <el-radio-button value="all">全部</el-radio-button>
      </el-radio-group>
      <span class="muted" data-test="approval-total">共 {{ data.total }} 项</span>
    </div>
    <el-table :data="data.items" v-loading="loading" size="small" border :row-class-name="rowClass" data-test="approval-table"
      :empty-text="q.scope === 'decide' ? '暂无待您审批的事项' : '暂无审批事项'">
      <el-table-column label="事项" min-width="120"><template #default="{ row }">{{ row.kind_label }}</template></el-table-column>
      <el-table-column label="案号" min-width="170">
        <template #default="{ row }"><a v-if="row.case_id" :href="'#/cases/' + row.case_id">{{ row.case_no }}</a><span v-else>—</span></template>
      </el-table-column>
      <el-table-column label="内容" prop="summary" min-width="180" show-overflow-tooltip />
      <el-table-column label="法院" min-width="120" show-overflow-tooltip><template #default="{ row }">{{ row.court ? row.court.name : '—' }}</template></el-table-column>
      <el-table-column label="提交人" width="80"><template #default="{ row }">{{ row.submitted_by ? row.submitted_by.name : '—' }}</template></el-table-column>
      <el-table-column label="提交日期" width="100" prop="submitted_on" />
      <el-table-column label="已等待" width="70"><template #default="{ row }">{{ row.age_days }} 天</template></el-table-column>
      <el-table-column label="审批期限" width="100">
        <template #default="{ row }"><DeadlineTag v-if="row.due_on && row.status === 'pending'" :level="row.level" :days="row.days_left" /><span v-else>{{ row.due_on || '—' }}</span></template>
      </el-table-column>
      <el-table-column label="状态" width="70"><template #default="{ row }">{{ L('approval_status', row.status) }}</template></el-table-column>
      <el-table-column v-if="q.scope !== 'decide'" label="审批意见" min-width="160" show-overflow-tooltip>
        <template #default="{ row }">{{ row.opinion || '—' }}<span v-if="row.decided_by" class="muted">（{{ row.decided_by.name }}）</span></template>
      </el-table-column>
      <el-table-column label="操作" width="150" fixed="right">
        <template #default="{ row }">
          <template v-if="row.can_decide">
            <el-button size="small" type="primary" @click="decide(row, true)" data-test="approve">批准</el-button>
            <el-button size="small" @click="decide(row, false)" data-test="return">退回</el-button>
          </template>
          <span v-else class="muted">—</span>
        </template>
      </el-table-column>
    </el-table>
    <el-pagination v-if="data.total > q.page_size" class="pager" layout="total, prev, pager, next" :total="data.total"
      :page-size="q.page_size" v-model:current-page="q.page" @current-change="load" />
  </el-card>
  <el-dialog v-model="dlg.open" :title="dlg.approve ? '批准' : '退回'" width="520px" data-test="decide-dialog">
    <div v-if="dlg.item" class="decide-head">
      <div><b>{{ dlg.item.kind_label }}</b>　{{ dlg.item.case_no }}</div>
      <div class="muted">{{ dlg.item.summary }}</div>
    </div>
    <el-input v-model="dlg.opinion" type="textarea" :rows="4" maxlength="600" show-word-limit
      :placeholder="dlg.approve ? '审批意见（可选）' : '退回理由（必填）'" data-test="opinion" />
    <el-alert v-if="dlg.error" :title="dlg.error" type="error" :closable="false" show-icon style="margin-top:8px" />
    <template #footer>
      <el-button @click="dlg.open = false">取消</el-button>
      <el-button :type="dlg.approve ? 'primary' : 'warning'" :loading="dlg.busy" @click="submit" data-test="decide-confirm">{{ dlg.approve ? '批准' : '退回' }}</el-button>
    </template>
  </el-dialog>
</div>
`,
});
