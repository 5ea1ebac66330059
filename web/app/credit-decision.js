// The one 失信 / 限消 decision dialog (issue 9 item 6: one path): the credit pages' "纳入失信名单" /
// "发出限制消费令" and the case page's "发出限制消费令" / "限制消费" open this same dialog, which proposes
// through POST /api/v1/credit/decisions (the gate's reasons live, then the 院长's approval inbox,
// service, effect). 限消 is always all nine items of 限消规定 art 3.
//   <CreditDecisionDialog v-model="open" list="restricted" :case-id="id" @done="reload" />
import { reactive, computed, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { get, post } from './api.js';
import { view } from './view.js';
import { today } from './fmt.js';
import { UnmetList } from './components.js';
import { cmeta, loadCreditMeta } from './credit-meta.js';

const reasonsOf = (e) => (e.body && e.body.error && (e.body.error.reasons || e.body.error.fields)) || null;

export const CreditDecisionDialog = view(import.meta.url, {
  name: 'CreditDecisionDialog',
  components: { UnmetList },
  props: { modelValue: Boolean, list: { type: String, required: true }, caseId: { type: String, default: '' } },
  emits: ['update:modelValue', 'done'],
  setup(props, { emit }) {
    const list = props.list;
    const nd = reactive({ case_no: '', case_id: '', caseInfo: null, party_id: '', ground: 1, conduct: '',
      facts: { security_adequate: false, seized_sufficient: false, later_in_order: false }, grace_months: list === 'dishonest' ? 1 : 0,
      extension_years: 0, extension_reason: '', on_application: true, decided_on: today(), categories: [],
      gate: null, gateBusy: false, reasons: null, busy: false, lookupError: '' });
    const open = computed({ get: () => props.modelValue, set: (v) => emit('update:modelValue', v) });
    async function lookupCase() {
      nd.lookupError = ''; nd.caseInfo = null; nd.party_id = '';
      try {
        let id = nd.case_id;
        if (!id) {
          const r = await get('/cases', { case_no: nd.case_no.trim(), size: 1 }, { quiet: true });
          if (!r.items || !r.items.length) { nd.lookupError = '未找到该案号的案件'; return; }
          id = r.items[0].id;
        }
        nd.case_id = id;
        nd.caseInfo = await get('/credit/cases/' + id, null, { quiet: true });
        nd.case_no = nd.caseInfo.case_no;
        if (nd.caseInfo.debtors && nd.caseInfo.debtors.length === 1) nd.party_id = nd.caseInfo.debtors[0].party_id;
      } catch (e) { nd.lookupError = e.message; }
    }
    // every opening starts clean; a case given by the caller is looked up at once
    watch(() => props.modelValue, (v) => {
      if (!v) return;
      loadCreditMeta();
      Object.assign(nd, { case_id: props.caseId || '', case_no: '', caseInfo: null, party_id: '', conduct: '', gate: null, reasons: null,
        lookupError: '', decided_on: today() });
      if (props.caseId) lookupCase();
    }, { immediate: true });
    function decisionBody() {
      const b = { case_id: nd.case_id, party_id: nd.party_id, list, grace_months: nd.grace_months, on_application: nd.on_application, decided_on: nd.decided_on };
      if (list === 'dishonest') {
        Object.assign(b, { ground: nd.ground, conduct: nd.conduct, facts: { ...nd.facts }, extension_years: nd.extension_years,
          extension_reason: nd.extension_years ? nd.extension_reason || null : null });
      } // 限消: always all nine items of 限消规定 art 3 — no categories are sent
      return b;
    }
    let gateTimer = null;
    watch(() => [props.modelValue, nd.party_id, nd.ground, nd.conduct, nd.facts.security_adequate, nd.facts.seized_sufficient, nd.facts.later_in_order,
      nd.grace_months, nd.extension_years, nd.on_application, nd.decided_on], () => {
      clearTimeout(gateTimer);
      if (!props.modelValue || !nd.party_id) { nd.gate = null; return; }
      gateTimer = setTimeout(async () => {
        nd.gateBusy = true;
        try { nd.gate = await post('/credit/gate', decisionBody(), { quiet: true }); } catch (e) { nd.gate = { allowed: false, reasons: reasonsOf(e) || [{ message: e.message }] }; } finally { nd.gateBusy = false; }
      }, 350);
    });
    async function submit() {
      nd.reasons = null;
      if (!nd.party_id) { nd.reasons = [{ message: '请先查找案件并选择被执行人' }]; return; }
      nd.busy = true;
      try {
        const d = await post('/credit/decisions', decisionBody(), { quiet: true });
        open.value = false;
        ElMessage.success('已提交，待院长审批签发并送达后生效');
        emit('done', d);
      } catch (e) {
        nd.reasons = reasonsOf(e) || [{ message: e.message }];
      } finally { nd.busy = false; }
    }
    const selectedGround = computed(() => cmeta.grounds.find((g) => g.ground === nd.ground));
    return { list, nd, open, lookupCase, submit, selectedGround, cmeta };
  },
  template: `
  <el-dialog v-model="open" :title="list === 'dishonest' ? '纳入失信被执行人名单决定' : '限制消费令'" width="720px" append-to-body data-test="decision-dialog">
    <el-form label-width="120px">
      <el-form-item label="案号">
        <el-input v-model="nd.case_no" placeholder="输入案号后查找" style="width:300px" @keyup.enter="nd.case_id = ''; lookupCase()" data-test="decision-case-no" />
        <el-button style="margin-left:8px" @click="nd.case_id = ''; lookupCase()">查找</el-button>
        <span v-if="nd.lookupError" class="dl-overdue" style="margin-left:8px">{{ nd.lookupError }}</span>
      </el-form-item>
      <el-form-item label="被执行人" v-if="nd.caseInfo">
        <el-radio-group v-model="nd.party_id">
          <el-radio v-for="d in nd.caseInfo.debtors" :key="d.party_id" :value="d.party_id">{{ d.name }} <span class="muted mono">{{ d.id_number || d.credit_code }}</span></el-radio>
        </el-radio-group>
      </el-form-item>
      <template v-if="list === 'dishonest'">
        <el-form-item label="失信情形">
          <el-select v-model="nd.ground" style="width:100%" fit-input-width popper-class="wrap-options">
            <el-option v-for="g in cmeta.grounds" :key="g.ground" :value="g.ground" :label="g.ground + '. ' + g.label + '（' + g.article + '）'" />
          </el-select>
          <div class="muted" style="font-size:12px">{{ selectedGround && selectedGround.term === 'none' ? '第1项情形：不设固定期限，履行后删除' : '期限 2 年，可延长 1–3 年（失信规定第2条）' }}</div>
        </el-form-item>
        <el-form-item label="具体失信行为" required><el-input v-model="nd.conduct" type="textarea" :rows="2" placeholder="应载明具体失信行为（失信规定第6条）" /></el-form-item>
        <el-form-item v-if="nd.ground === 1" label="排除情形">
          <el-checkbox v-for="x in cmeta.exclusions" :key="x.code" v-model="nd.facts[x.code]">{{ x.label }}</el-checkbox>
        </el-form-item>
        <el-form-item v-if="nd.ground !== 1" label="延长期限">
          <el-input-number v-model="nd.extension_years" :min="0" :max="3" /> <span class="muted" style="margin:0 8px">年</span>
          <el-select v-if="nd.extension_years" v-model="nd.extension_reason" placeholder="延长事由" style="width:300px">
            <el-option v-for="r in cmeta.extension_reasons" :key="r.code" :value="r.code" :label="r.label" />
          </el-select>
        </el-form-item>
      </template>
      <el-form-item v-else label="限制项目">
        <div data-test="all-items">限消规定第三条所列全部九项（限制消费令不得只限制部分事项）；由院长签发（限消规定第五条）</div>
      </el-form-item>
      <el-form-item label="宽限期"><el-input-number v-model="nd.grace_months" :min="0" :max="3" /><span class="muted" style="margin-left:8px">个月（0–3，法发〔2019〕35号）；宽限期内不公布、不拦截</span></el-form-item>
      <el-form-item label="依申请"><el-switch v-model="nd.on_application" active-text="申请执行人申请" inactive-text="依职权" /></el-form-item>
      <el-form-item label="决定日期"><el-date-picker v-model="nd.decided_on" type="date" value-format="YYYY-MM-DD" /><span class="muted" style="margin-left:8px">未成年人以此日判断</span></el-form-item>
    </el-form>
    <div v-if="nd.gate" style="margin-bottom:8px" data-test="gate-preview">
      <el-alert v-if="nd.gate.allowed" type="success" :closable="false" show-icon
        :title="'符合条件' + (nd.gate.publish_on ? '；预计公布日期 ' + nd.gate.publish_on : '') + (nd.gate.term_end ? '；期限至 ' + nd.gate.term_end : '')" />
      <UnmetList v-else :items="nd.gate.reasons || []" title="不符合纳入条件：" />
    </div>
    <UnmetList v-if="nd.reasons" :items="nd.reasons" title="提交被拒绝：" />
    <template #footer><el-button @click="open = false">取消</el-button><el-button type="primary" :loading="nd.busy" @click="submit" data-test="decision-submit">提交院长审批</el-button></template>
  </el-dialog>
`,
});
