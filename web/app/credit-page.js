// 失信名单 / 限制消费 pages: work list (approval, service, grace ending, deletions due, terms expiring),
// the entries list, the decision form with the gate's reasons live, and per-entry operations.
import { reactive, ref, onMounted, h } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { get, post, del, session, hasRole } from './api.js';
import { route } from './router.js';
import { view } from './view.js';
import { today, dash, maskId } from './fmt.js';
import { DeadlineTag, UnmetList } from './components.js';
import { CreditDecisionDialog } from './credit-decision.js';
import { cmeta, loadCreditMeta, clabel, DECISION_STATUS, ENTRY_STATUS, SERVICE_METHODS, LIST_LABEL } from './credit-meta.js';

const reasonsOf = (e) => (e.body && e.body.error && (e.body.error.reasons || e.body.error.fields)) || null;

// operation specs for the entry drawer; fields: [name, label, type, options?]
function ops(list) {
  const common = [
    { key: 'permit', label: '临时许可', path: 'permits', fields: [['kind', '事由', 'permit_kind'], ['categories', '许可类别', 'categories'],
      ['from', '起始日期', 'date'], ['to', '截止日期', 'date'], ['reason', '说明', 'textarea']], hint: '就医、丧葬、因公、外事、考试：只能暂时解除乘坐飞机、高铁的限制，最长不超过1个月，报院长批准后生效（法发〔2019〕35号第17条第（三）项）；单位被执行人的法定代表人等人员以个人财产消费：经本院审查属实的予以准许（限消规定第三条第二款）' },
    { key: 'revoke', label: '撤销', path: 'revoke', fields: [['reason', '撤销理由', 'textarea'], ['found_on', '发现日期', 'date']], hint: '发现不应纳入的，应在3个工作日内撤销（失信规定第9条）' },
    { key: 'correct', label: '更正', path: 'correct', fields: [['reason', '更正理由', 'textarea'], ['found_on', '发现日期', 'date'],
      ['changes.name', '更正后姓名/名称', 'text'], ['changes.id_number', '更正后证件号码', 'text'], ['changes.conduct', '更正后失信行为', 'text']],
      hint: '记载信息错误的，应在3个工作日内更正（失信规定第9条）' },
    { key: 'correction', label: '登记纠正申请', path: 'correction-applications', fields: [['applicant_name', '申请人', 'text'], ['kind', '申请类型', 'correction_kind'],
      ['reason', '申请理由', 'textarea'], ['received_on', '收到日期', 'date']], hint: '应在收到申请之日起15日内审查（失信规定第12条）' },
  ];
  if (list === 'dishonest') {
    return [
      { key: 'deletion', label: '删除', path: 'deletion', fields: [['trigger', '删除事由', 'trigger'], ['trigger_on', '事由发生日期', 'date'],
        ['execute', '立即删除', 'bool'], ['note', '备注', 'textarea']], hint: '具有删除情形的，应在3个工作日内删除（失信规定第10条）' },
      { key: 'extend', label: '延长期限', path: 'extend', chief: true, fields: [['years', '延长年数（1–3）', 'int'], ['reason', '延长事由', 'extension_reason']],
        hint: '仅第2–6项情形，总延长不超过3年（失信规定第2条）' },
      ...common,
    ];
  }
  return [{ key: 'lift', label: '解除限制消费', path: 'lift', fields: [['reason', '解除事由', 'lift_reason'], ['on', '解除日期', 'date'], ['note', '备注', 'textarea']],
    hint: '单位被执行人的限消令一并解除其法定代表人等人员的限制（限消规定第9条）' }, ...common];
}

const CreditPage = view(import.meta.url, {
    components: { DeadlineTag, UnmetList, CreditDecisionDialog },
    props: { list: { type: String, required: true } },
    setup(props) {
      const list = props.list;
      const tab = ref(route.query.tab || 'work');
      const isChief = hasRole('chief');
      const work = ref({});
      const workLoading = ref(false);
      const entries = ref({ items: [], total: 0 });
      const ef = reactive({ q: '', status: '', page: 1, size: 20, case_id: route.query.case_id || '' });
      const eLoading = ref(false);

      async function loadWork() {
        workLoading.value = true;
        try { work.value = await get('/credit/worklist'); } catch { work.value = {}; } finally { workLoading.value = false; }
      }
      const mine = (arr) => (arr || []).filter((x) => !x.list || x.list === list);
      async function loadEntries(reset) {
        if (reset) ef.page = 1;
        eLoading.value = true;
        try {
          entries.value = await get('/credit/entries', { list, q: ef.q.trim(), status: ef.status, case_id: ef.case_id, limit: ef.size, offset: (ef.page - 1) * ef.size });
        } catch { entries.value = { items: [], total: 0 }; } finally { eLoading.value = false; }
      }

      // ---- decisions: approve / reject / serve / withdraw
      async function approve(d) {
        try { await post(`/credit/decisions/${d.id}/approve`, { signed_on: today() }); ElMessage.success('已签发'); loadWork(); } catch { /* shown */ }
      }
      async function reject(d) {
        let reason;
        try { ({ value: reason } = await ElMessageBox.prompt('请填写驳回理由', '驳回', { inputValidator: (v) => !!(v && v.trim()) || '请填写理由' })); } catch { return; }
        try { await post(`/credit/decisions/${d.id}/reject`, { reason }); ElMessage.success('已驳回'); loadWork(); } catch { /* shown */ }
      }
      async function withdraw(d) {
        let reason;
        try { ({ value: reason } = await ElMessageBox.prompt('请填写撤回理由', '撤回决定', { inputValidator: (v) => !!(v && v.trim()) || '请填写理由' })); } catch { return; }
        try { await post(`/credit/decisions/${d.id}/withdraw`, { reason }); ElMessage.success('已撤回'); loadWork(); } catch { /* shown */ }
      }
      const sv = reactive({ open: false, d: null, served_on: today(), method: 'direct', busy: false });
      function openServe(d) { Object.assign(sv, { open: true, d, served_on: today(), method: 'direct' }); }
      async function submitServe() {
        sv.busy = true;
        try {
          const r = await post(`/credit/decisions/${sv.d.id}/serve`, { served_on: sv.served_on, method: sv.method });
          sv.open = false;
          ElMessage.success(r.status === 'effective' ? `已生效，公布日期 ${r.publish_on || '—'}` : '已登记送达');
          loadWork(); loadEntries();
        } catch { /* shown */ } finally { sv.busy = false; }
      }

      // ---- new decision: the one decision dialog (credit-decision.js), also opened from the case page
      const nd = reactive({ open: false, case_id: '' });
      function openNew(caseId) { nd.case_id = caseId || ''; nd.open = true; }
      function decided() { loadWork(); tab.value = 'work'; }

      // ---- entry drawer + operations
      const dr = reactive({ open: false, e: null });
      async function openEntry(e) {
        dr.open = true; dr.e = e;
        try { dr.e = await get('/credit/entries/' + e.id, null, { quiet: true }); } catch { /* keep row */ }
      }
      const opList = ops(list);
      const op = reactive({ open: false, spec: null, form: {}, busy: false, reasons: null });
      function openOp(spec) {
        const form = {};
        for (const [name, , type] of spec.fields) form[name] = type === 'date' ? today() : type === 'bool' ? false : type === 'categories' ? [] : type === 'int' ? 1 : '';
        Object.assign(op, { open: true, spec, form, reasons: null });
      }
      async function submitOp() {
        const body = {};
        for (const [name, , type] of op.spec.fields) {
          const v = op.form[name];
          if (v === '' || v === null || (Array.isArray(v) && !v.length && type !== 'categories')) continue;
          if (name.startsWith('changes.')) { body.changes = body.changes || {}; body.changes[name.slice(8)] = v; } else body[name] = v;
        }
        op.busy = true; op.reasons = null;
        try {
          await post(`/credit/entries/${dr.e.id}/${op.spec.path}`, body, { quiet: true });
          op.open = false; ElMessage.success(op.spec.label + '：已办理');
          openEntry(dr.e); loadEntries(); loadWork();
        } catch (e) { op.reasons = reasonsOf(e) || [{ message: e.message }]; } finally { op.busy = false; }
      }
      async function revokePermit(p) {
        try { await del('/credit/permits/' + p.id); ElMessage.success('已撤销许可'); openEntry(dr.e); } catch { /* shown */ }
      }
      async function executeDeletion(d) {
        try { await post(`/credit/deletions/${d.id}/execute`, {}); ElMessage.success('已删除'); loadWork(); loadEntries(); } catch { /* shown */ }
      }
      const optionsFor = (type) => ({
        permit_kind: cmeta.permit_kinds, categories: cmeta.categories, correction_kind: cmeta.correction_kinds, trigger: cmeta.deletion_triggers,
        extension_reason: cmeta.extension_reasons, lift_reason: cmeta.lift_reasons,
      }[type] || []);

      onMounted(() => {
        loadCreditMeta(); loadWork(); loadEntries(true);
        if (route.query.new === '1') openNew(route.query.case_id);
      });
      return { list, LIST_LABEL, tab, isChief, work, workLoading, mine, entries, ef, eLoading, loadWork, loadEntries, approve, reject, withdraw,
        sv, openServe, submitServe, SERVICE_METHODS, nd, openNew, decided, cmeta, clabel,
        dr, openEntry, opList, op, openOp, submitOp, optionsFor, revokePermit, executeDeletion,
        DECISION_STATUS, ENTRY_STATUS, dash, maskId, session };
    },
    template: `
<div class="page">
  <div class="page-head">
    <h2>{{ list === 'dishonest' ? '失信被执行人名单' : '限制消费' }}</h2>
    <span class="muted" v-if="list === 'dishonest'">依《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）；宽限期内不公布</span>
    <span class="muted" v-else>依《最高人民法院关于限制被执行人高消费及有关消费的若干规定》；单位被执行人约束其法定代表人、主要负责人、直接责任人员、实际控制人</span>
    <span class="spacer" style="flex:1" />
    <el-button type="primary" @click="openNew()" data-test="credit-new">{{ list === 'dishonest' ? '纳入失信名单' : '发出限制消费令' }}</el-button>
  </div>
  <el-tabs v-model="tab">
    <el-tab-pane label="待办与期限" name="work">
      <div v-loading="workLoading">
        <el-card shadow="never" :header="'待院长审批（' + mine(work.pending_approval).length + '）'">
          <el-table :data="mine(work.pending_approval)" size="small" border empty-text="无">
            <el-table-column label="被执行人" prop="name" min-width="120" />
            <el-table-column label="案号" prop="case_no" min-width="180" />
            <el-table-column v-if="list === 'dishonest'" label="情形" min-width="200" show-overflow-tooltip><template #default="{ row }">{{ row.ground_label || clabel('grounds', row.ground) }}</template></el-table-column>
            <el-table-column label="宽限期" width="80"><template #default="{ row }">{{ row.grace_months }} 个月</template></el-table-column>
            <el-table-column label="提出人" width="90"><template #default="{ row }">{{ row.proposed_by ? row.proposed_by.name : '' }}</template></el-table-column>
            <el-table-column label="决定日期" prop="decided_on" width="100" />
            <el-table-column label="操作" width="200">
              <template #default="{ row }">
                <template v-if="isChief"><el-button link type="primary" size="small" @click="approve(row)">签发</el-button><el-button link type="danger" size="small" @click="reject(row)">驳回</el-button></template>
                <el-button link size="small" @click="openServe(row)">登记送达</el-button>
                <el-button link size="small" @click="withdraw(row)">撤回</el-button>
              </template>
            </el-table-column>
          </el-table>
        </el-card>
        <el-card shadow="never" :header="'待送达（' + mine(work.pending_service).length + '）'">
          <el-table :data="mine(work.pending_service)" size="small" border empty-text="无">
            <el-table-column label="被执行人" prop="name" min-width="120" />
            <el-table-column label="案号" prop="case_no" min-width="180" />
            <el-table-column label="状态" width="120"><template #default="{ row }"><el-tag size="small" :type="(DECISION_STATUS[row.status] || [])[1]">{{ (DECISION_STATUS[row.status] || [row.status])[0] }}</el-tag></template></el-table-column>
            <el-table-column label="签发日期" prop="approved_on" width="100" />
            <el-table-column label="操作" width="160">
              <template #default="{ row }">
                <el-button link type="primary" size="small" @click="openServe(row)">登记送达</el-button>
                <el-button v-if="isChief && row.status === 'served'" link type="primary" size="small" @click="approve(row)">签发</el-button>
              </template>
            </el-table-column>
          </el-table>
        </el-card>
        <el-row :gutter="12">
          <el-col :span="12">
            <el-card shadow="never" :header="'宽限期即将届满（' + mine(work.grace_ending).length + '）'">
              <el-table :data="mine(work.grace_ending)" size="small" border empty-text="无" @row-click="openEntry">
                <el-table-column label="被执行人" prop="name" min-width="100" />
                <el-table-column label="案号" prop="case_no" min-width="170" />
                <el-table-column label="公布日期" prop="publish_on" width="100" />
                <el-table-column label="剩余" width="100"><template #default="{ row }"><DeadlineTag :level="row.days_to_publish <= 3 ? 'warning' : 'ok'" :days="row.days_to_publish" /></template></el-table-column>
              </el-table>
            </el-card>
          </el-col>
          <el-col :span="12">
            <el-card shadow="never" :header="'期限即将届满（' + mine(work.term_expiring).length + '）'">
              <el-table :data="mine(work.term_expiring)" size="small" border empty-text="无" @row-click="openEntry">
                <el-table-column label="被执行人" prop="name" min-width="100" />
                <el-table-column label="案号" prop="case_no" min-width="170" />
                <el-table-column label="期限届满" prop="term_end" width="100" />
              </el-table>
            </el-card>
          </el-col>
        </el-row>
        <el-card v-if="list === 'dishonest'" shadow="never" :header="'应删除（3个工作日内，失信规定第10条）：逾期 ' + (work.deletions_overdue || []).length + '，待删除 ' + (work.deletions_due || []).length">
          <el-table :data="[...(work.deletions_overdue || []), ...(work.deletions_due || [])]" size="small" border empty-text="无"
            :row-class-name="({ row }) => row.level === 'overdue' ? 'row-overdue' : row.level === 'warning' ? 'row-warn' : ''">
            <el-table-column label="被执行人" prop="name" min-width="100" />
            <el-table-column label="案号" prop="case_no" min-width="170" />
            <el-table-column label="删除事由" min-width="160"><template #default="{ row }">{{ row.trigger_label || clabel('deletion_triggers', row.trigger) }}</template></el-table-column>
            <el-table-column label="事由日期" prop="trigger_on" width="100" />
            <el-table-column label="应删除日期" prop="due_on" width="100" />
            <el-table-column label="剩余" width="100"><template #default="{ row }"><DeadlineTag :level="row.level" :days="row.days_left" /></template></el-table-column>
            <el-table-column label="操作" width="90"><template #default="{ row }"><el-button link type="danger" size="small" @click="executeDeletion(row)">执行删除</el-button></template></el-table-column>
          </el-table>
        </el-card>
      </div>
    </el-tab-pane>
    <el-tab-pane label="名单" name="entries">
      <el-card shadow="never">
        <el-form inline class="search-form" @submit.prevent="loadEntries(true)">
          <el-form-item label="姓名/证件号"><el-input v-model="ef.q" clearable style="width:220px" /></el-form-item>
          <el-form-item label="状态">
            <el-select v-model="ef.status" clearable placeholder="全部" style="width:120px">
              <el-option v-for="(v, k) in ENTRY_STATUS" :key="k" :value="k" :label="v[0]" />
            </el-select>
          </el-form-item>
          <el-form-item><el-button type="primary" native-type="submit" :loading="eLoading">查询</el-button></el-form-item>
        </el-form>
        <el-table :data="entries.items" v-loading="eLoading" size="small" border stripe empty-text="暂无记录" @row-click="openEntry" data-test="entries">
          <el-table-column label="被执行人" prop="name" min-width="120" />
          <el-table-column label="证件号码" min-width="180"><template #default="{ row }"><span class="mono">{{ row.id_number || row.credit_code }}</span></template></el-table-column>
          <el-table-column label="案号" prop="case_no" min-width="180" />
          <el-table-column label="状态" width="90"><template #default="{ row }"><el-tag size="small" :type="(ENTRY_STATUS[row.status] || [])[1]">{{ (ENTRY_STATUS[row.status] || [row.status])[0] }}</el-tag></template></el-table-column>
          <el-table-column label="公布日期" prop="publish_on" width="100" />
          <el-table-column v-if="list === 'dishonest'" label="期限届满" width="100"><template #default="{ row }">{{ row.term_end || '无固定期限' }}</template></el-table-column>
          <el-table-column v-if="list === 'restricted'" label="约束" width="120"><template #default="{ row }">{{ row.bound_by_entry_id ? '单位关联人员' : '被执行人' }}</template></el-table-column>
        </el-table>
        <div class="pager">
          <el-pagination v-model:current-page="ef.page" :page-size="ef.size" :total="entries.total || 0" layout="total, prev, pager, next" small background @current-change="loadEntries(false)" />
        </div>
      </el-card>
    </el-tab-pane>
  </el-tabs>

  <el-dialog v-model="sv.open" title="登记送达" width="420px">
    <el-form label-width="90px">
      <el-form-item label="送达日期"><el-date-picker v-model="sv.served_on" type="date" value-format="YYYY-MM-DD" /></el-form-item>
      <el-form-item label="送达方式"><el-select v-model="sv.method"><el-option v-for="[k, l] in SERVICE_METHODS" :key="k" :value="k" :label="l" /></el-select></el-form-item>
    </el-form>
    <div class="muted">院长签发且已送达后决定生效；公布日期 = 送达日期 + 宽限期。</div>
    <template #footer><el-button @click="sv.open = false">取消</el-button><el-button type="primary" :loading="sv.busy" @click="submitServe">确定</el-button></template>
  </el-dialog>

  <CreditDecisionDialog v-model="nd.open" :list="list" :case-id="nd.case_id" @done="decided" />

  <el-drawer v-model="dr.open" :title="dr.e ? dr.e.name + ' — ' + LIST_LABEL[list] : ''" size="560px">
    <template v-if="dr.e">
      <el-descriptions :column="2" size="small" border>
        <el-descriptions-item label="姓名/名称">{{ dr.e.name }}</el-descriptions-item>
        <el-descriptions-item label="证件号码"><span class="mono">{{ dash(dr.e.id_number || dr.e.credit_code) }}</span></el-descriptions-item>
        <el-descriptions-item label="案号">{{ dr.e.case_no }}</el-descriptions-item>
        <el-descriptions-item label="状态"><el-tag size="small" :type="(ENTRY_STATUS[dr.e.status] || [])[1]">{{ (ENTRY_STATUS[dr.e.status] || [dr.e.status])[0] }}</el-tag></el-descriptions-item>
        <el-descriptions-item label="公布日期">{{ dash(dr.e.publish_on) }}</el-descriptions-item>
        <el-descriptions-item label="期限届满">{{ dr.e.term_end || (list === 'dishonest' ? '无固定期限' : '—') }}</el-descriptions-item>
        <el-descriptions-item v-if="list === 'dishonest'" label="失信行为" :span="2">{{ dash(dr.e.conduct) }}</el-descriptions-item>
        <el-descriptions-item v-if="dr.e.categories" label="限制项目" :span="2">{{ (dr.e.categories || []).map((c) => clabel('categories', c)).join('、') }}</el-descriptions-item>
      </el-descriptions>
      <div v-if="dr.e.permits && dr.e.permits.length" style="margin-top:12px">
        <b>临时许可</b>
        <el-table :data="dr.e.permits" size="small" border style="margin-top:6px">
          <el-table-column label="事由" min-width="120"><template #default="{ row }">{{ clabel('permit_kinds', row.kind) }}</template></el-table-column>
          <el-table-column label="期间" width="190"><template #default="{ row }">{{ row.from }} 至 {{ row.to }}</template></el-table-column>
          <el-table-column label="状态" width="70" prop="status" />
          <el-table-column width="60"><template #default="{ row }"><el-button v-if="row.status === 'active'" link type="danger" size="small" @click="revokePermit(row)">撤销</el-button></template></el-table-column>
        </el-table>
      </div>
      <div style="margin-top:14px" v-if="dr.e.status === 'grace' || dr.e.status === 'active'">
        <b>办理</b>
        <div style="margin-top:6px">
          <el-button v-for="s in opList.filter((s) => !s.chief || isChief)" :key="s.key" size="small" @click="openOp(s)" :data-test="'op-' + s.key">{{ s.label }}</el-button>
        </div>
      </div>
    </template>
  </el-drawer>

  <el-dialog v-model="op.open" :title="op.spec ? op.spec.label : ''" width="560px" append-to-body>
    <el-alert v-if="op.spec && op.spec.hint" :title="op.spec.hint" type="info" :closable="false" style="margin-bottom:10px" />
    <el-form v-if="op.spec" label-width="120px">
      <el-form-item v-for="[name, label, type] in op.spec.fields" :key="name" :label="label">
        <el-date-picker v-if="type === 'date'" v-model="op.form[name]" type="date" value-format="YYYY-MM-DD" />
        <el-switch v-else-if="type === 'bool'" v-model="op.form[name]" />
        <el-input-number v-else-if="type === 'int'" v-model="op.form[name]" :min="1" :max="3" />
        <el-input v-else-if="type === 'textarea'" v-model="op.form[name]" type="textarea" :rows="2" />
        <el-checkbox-group v-else-if="type === 'categories'" v-model="op.form[name]">
          <el-checkbox v-for="c in cmeta.categories" :key="c.code" :value="c.code">{{ c.label }}</el-checkbox>
        </el-checkbox-group>
        <el-select v-else-if="optionsFor(type).length" v-model="op.form[name]" placeholder="请选择" style="width:100%" fit-input-width popper-class="wrap-options">
          <el-option v-for="o in optionsFor(type)" :key="o.code" :value="o.code" :label="(o.label || o.code) + (o.article ? '（' + o.article + '）' : '')" />
        </el-select>
        <el-input v-else v-model="op.form[name]" />
      </el-form-item>
    </el-form>
    <UnmetList v-if="op.reasons" :items="op.reasons" title="未能办理：" />
    <template #footer><el-button @click="op.open = false">取消</el-button><el-button type="primary" :loading="op.busy" @click="submitOp">确定</el-button></template>
  </el-dialog>
</div>
`,
});

export function makeCreditPage(list) {
  return { name: list === 'dishonest' ? 'DishonestPage' : 'RestrictionPage', render: () => h(CreditPage, { list }) };
}
