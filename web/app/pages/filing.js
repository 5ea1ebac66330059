import { reactive, ref, computed, watch, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { get, post, session } from '../api.js';
import { go } from '../router.js';
import { view } from '../view.js';
import { yuan, yuanToFen, today, idNumberError } from '../fmt.js';
import { meta, loadMeta, ROLE_OF_PARTY, ROLE_OF_UNIT } from '../meta.js';

const CONDITIONS = [
  ['document_effective', '执行依据已经生效'],
  ['applicant_is_right_holder', '申请执行人是生效法律文书确定的权利人或其继承人、权利承受人'],
  ['content_clear', '申请执行的法律文书有给付内容，且执行标的和被执行人明确'],
  ['debtor_failed_to_perform', '义务人在生效法律文书确定的期限内未履行义务'],
  ['within_jurisdiction', '属于受申请执行的人民法院管辖'],
];

function newParty(role, kind = 'person') {
  return { role, kind, name: '', id_number: '', credit_code: '', phone: '', address: '', of: 0, unit_persons: [] };
}

export default view(import.meta.url, {
  setup() {
    const f = reactive({
      type_code: '执', court: '', applied_on: today(), filed_on: today(), claim: '', property_clue: false,
      basis: { kind: 'judgment', issuer: '', doc_no: '', effective_on: '', act: '', non_litigation: false },
      conditions: Object.fromEntries(CONDITIONS.map(([k]) => [k, false])),
      parties: [newParty('applicant'), newParty('debtor')],
    });
    const errors = ref({});
    const busy = ref(false);
    const courts = ref([]);
    const fee = ref(null);
    const typeOptions = computed(() => meta.type_codes.filter((t) => t.code !== '执恢'));

    watch(() => f.basis.kind, (k) => { if (k === 'administrative') f.basis.non_litigation = true; });
    let feeTimer = null;
    watch(() => f.claim, (v) => {
      clearTimeout(feeTimer);
      const fen = yuanToFen(v);
      if (fen === null) { fee.value = null; return; }
      feeTimer = setTimeout(async () => {
        try { fee.value = (await get('/calc/enforcement-fee', { amount_fen: fen }, { quiet: true })).fee_fen; } catch { fee.value = null; }
      }, 300);
    });
    const claimError = computed(() => (f.claim !== '' && yuanToFen(f.claim) === null ? '金额格式不正确（元，最多两位小数）' : ''));
    const err = (path) => errors.value[path] || '';
    // a server message goes away once the user edits that field
    function clearErr(path) { if (errors.value[path]) { const e = { ...errors.value }; delete e[path]; errors.value = e; } }

    function addParty(role) { f.parties.push(newParty(role, role === 'agent' || role === 'lawyer' ? 'person' : 'person')); }
    function removeParty(i) { f.parties.splice(i, 1); }
    function addUnitPerson(p) { p.unit_persons.push({ role_of_unit: 'legal_rep', name: '', id_number: '' }); }
    const principalIndexes = computed(() => f.parties.map((p, i) => ({ i, p })).filter((x) => x.p.role === 'applicant' || x.p.role === 'debtor'));

    function body() {
      const b = {
        type_code: f.type_code, applied_on: f.applied_on, filed_on: f.filed_on, property_clue: f.property_clue,
        basis: { ...f.basis, act: f.basis.act || null }, conditions: { ...f.conditions },
        claim_fen: f.claim === '' ? 0 : yuanToFen(f.claim),
        parties: f.parties.map((p) => {
          const o = { role: p.role, kind: p.kind, name: p.name.trim() };
          if (p.kind === 'person') { if (p.id_number.trim()) o.id_number = p.id_number.trim().toUpperCase(); }
          else if (p.credit_code.trim()) o.credit_code = p.credit_code.trim().toUpperCase();
          if (p.phone.trim()) o.phone = p.phone.trim();
          if (p.address.trim()) o.address = p.address.trim();
          if (p.role !== 'applicant' && p.role !== 'debtor') o.of = p.of;
          if (p.kind === 'unit' && p.unit_persons.length) o.unit_persons = p.unit_persons.map((u) => ({ ...u }));
          return o;
        }),
      };
      if (f.court) b.court = f.court;
      return b;
    }
    async function submit() {
      if (claimError.value) return;
      errors.value = {};
      busy.value = true;
      try {
        const c = await post('/cases', body(), { quiet: true });
        const warn = (c.warnings || []).map((w) => w.message).join('；');
        await ElMessageBox.alert(`案号：${c.case_no}\n执行期限至：${c.limit_date || '—'}\n申请执行费：${yuan(c.fee_fen)}\n繁简分流：${c.track === 'fast' ? '简案' : '繁案'}` + (warn ? `\n\n提示：${warn}` : ''),
          '立案成功', { confirmButtonText: '打开案件', type: warn ? 'warning' : 'success' }).catch(() => {});
        go('/cases/' + c.id);
      } catch (e) {
        const fields = (e.body && e.body.error && e.body.error.fields) || [];
        const map = {};
        for (const x of fields) map[x.field] = x.message;
        errors.value = map;
        ElMessage.error(fields.length ? `${e.message}（${fields.length} 处需要修改）` : e.message);
      } finally { busy.value = false; }
    }
    onMounted(async () => {
      loadMeta();
      try { courts.value = (await get('/courts', null, { quiet: true })).courts || []; } catch { /* own court only */ }
    });
    return { f, errors, err, busy, courts, fee, claimError, typeOptions, CONDITIONS, ROLE_OF_PARTY, ROLE_OF_UNIT, meta, session,
      addParty, removeParty, addUnitPerson, principalIndexes, submit, yuan, idNumberError, clearErr };
  },
  template: `
<div class="page filing-page">
  <div class="page-head"><h2>立案</h2><span class="muted">执行案件受理登记；案号、执行期限、申请执行费和繁简分流由系统生成</span></div>
  <el-form label-width="110px" size="default" @submit.prevent data-test="filing-form">
    <el-card shadow="never" header="案件信息">
      <el-row :gutter="12">
        <el-col :span="8"><el-form-item label="案件类型" :error="err('type_code')">
          <el-select v-model="f.type_code" style="width:100%"><el-option v-for="t in typeOptions" :key="t.code" :value="t.code" :label="t.code + '（' + t.label + '）'" /></el-select>
        </el-form-item></el-col>
        <el-col :span="8"><el-form-item label="受理法院" :error="err('court')">
          <el-select v-model="f.court" style="width:100%" :placeholder="session.user && session.user.court ? session.user.court.name : ''" clearable>
            <el-option v-for="c in courts" :key="c.code" :value="c.code" :label="c.name + '（' + c.code + '）'" />
          </el-select>
        </el-form-item></el-col>
        <el-col :span="8"><el-form-item label="申请执行标的" :error="claimError || err('claim_fen')">
          <el-input v-model="f.claim" placeholder="单位：元" data-test="claim"><template #prepend>¥</template></el-input>
          <div class="muted" v-if="fee !== null" style="font-size:12px">申请执行费 {{ yuan(fee) }}（《诉讼费用交纳办法》第14条，由被执行人负担）</div>
        </el-form-item></el-col>
        <el-col :span="8"><el-form-item label="申请日期" :error="err('applied_on')">
          <el-date-picker v-model="f.applied_on" type="date" value-format="YYYY-MM-DD" style="width:100%" />
        </el-form-item></el-col>
        <el-col :span="8"><el-form-item label="立案日期" :error="err('filed_on')">
          <el-date-picker v-model="f.filed_on" type="date" value-format="YYYY-MM-DD" style="width:100%" />
        </el-form-item></el-col>
        <el-col :span="8"><el-form-item label="已提供财产线索"><el-switch v-model="f.property_clue" /></el-form-item></el-col>
      </el-row>
    </el-card>

    <el-card shadow="never" header="执行依据">
      <el-row :gutter="12">
        <el-col :span="8"><el-form-item label="依据种类" :error="err('basis.kind')">
          <el-select v-model="f.basis.kind" style="width:100%"><el-option v-for="k in meta.basis_kinds" :key="k.code" :value="k.code" :label="k.label" /></el-select>
        </el-form-item></el-col>
        <el-col :span="8"><el-form-item label="作出机关" :error="err('basis.issuer')"><el-input v-model="f.basis.issuer" placeholder="如：沈阳市和平区人民法院" data-test="basis-issuer" /></el-form-item></el-col>
        <el-col :span="8"><el-form-item label="文书编号" :error="err('basis.doc_no')"><el-input v-model="f.basis.doc_no" placeholder="如：（2023）辽0102民初5号" data-test="basis-doc-no" /></el-form-item></el-col>
        <el-col :span="8"><el-form-item label="生效日期" :error="err('basis.effective_on')">
          <el-date-picker v-model="f.basis.effective_on" type="date" value-format="YYYY-MM-DD" style="width:100%" data-test="basis-effective" />
        </el-form-item></el-col>
        <el-col :span="8"><el-form-item label="非诉执行" :error="err('basis.non_litigation')"><el-switch v-model="f.basis.non_litigation" /><span class="muted" style="margin-left:8px">执行期限 3 个月</span></el-form-item></el-col>
        <el-col :span="24"><el-form-item label="履行行为" :error="err('basis.act')"><el-input v-model="f.basis.act" placeholder="非金钱给付内容（如：交付房屋、停止侵害），无则不填" /></el-form-item></el-col>
      </el-row>
    </el-card>

    <el-card shadow="never">
      <template #header>当事人
        <span style="float:right">
          <el-button size="small" @click="addParty('applicant')">+ 申请执行人</el-button>
          <el-button size="small" @click="addParty('debtor')">+ 被执行人</el-button>
          <el-button size="small" @click="addParty('agent')">+ 代理人</el-button>
          <el-button size="small" @click="addParty('lawyer')">+ 律师</el-button>
        </span>
      </template>
      <el-alert v-if="err('parties')" :title="err('parties')" type="error" :closable="false" style="margin-bottom:8px" />
      <div v-for="(p, i) in f.parties" :key="i" class="party-box" :data-test="'party-' + i">
        <div class="party-head">
          <b>{{ i + 1 }}. {{ ROLE_OF_PARTY[p.role] }}</b>
          <el-radio-group v-model="p.kind" size="small" v-if="p.role === 'applicant' || p.role === 'debtor'">
            <el-radio-button value="person">自然人</el-radio-button>
            <el-radio-button value="unit">法人/非法人组织</el-radio-button>
          </el-radio-group>
          <el-select v-if="p.role !== 'applicant' && p.role !== 'debtor'" v-model="p.of" size="small" style="width:200px">
            <el-option v-for="x in principalIndexes" :key="x.i" :value="x.i" :label="'代理：' + (x.i + 1) + '. ' + (x.p.name || ROLE_OF_PARTY[x.p.role])" />
          </el-select>
          <span class="spacer" />
          <el-button size="small" text type="danger" @click="removeParty(i)">删除</el-button>
        </div>
        <el-row :gutter="12">
          <el-col :span="6"><el-form-item :label="p.kind === 'unit' ? '名称' : '姓名'" :error="err('parties[' + i + '].name')" label-width="70px">
            <el-input v-model="p.name" :data-test="'party-' + i + '-name'" /></el-form-item></el-col>
          <el-col :span="7" v-if="p.kind === 'person'"><el-form-item label="身份证号" :error="err('parties[' + i + '].id_number') || (p.id_number.length >= 18 ? idNumberError(p.id_number) : '')" label-width="80px">
            <el-input v-model="p.id_number" maxlength="18" placeholder="18位公民身份号码" :data-test="'party-' + i + '-id'" class="mono" @input="clearErr('parties[' + i + '].id_number')" /></el-form-item></el-col>
          <el-col :span="7" v-else><el-form-item label="信用代码" :error="err('parties[' + i + '].credit_code')" label-width="80px">
            <el-input v-model="p.credit_code" maxlength="18" placeholder="18位统一社会信用代码" :data-test="'party-' + i + '-code'" class="mono" @input="clearErr('parties[' + i + '].credit_code')" /></el-form-item></el-col>
          <el-col :span="5"><el-form-item label="电话" :error="err('parties[' + i + '].phone')" label-width="50px"><el-input v-model="p.phone" /></el-form-item></el-col>
          <el-col :span="6"><el-form-item label="地址" :error="err('parties[' + i + '].address')" label-width="50px"><el-input v-model="p.address" /></el-form-item></el-col>
        </el-row>
        <div v-if="p.kind === 'unit'" class="unit-persons">
          <div v-for="(u, j) in p.unit_persons" :key="j" class="unit-row">
            <el-select v-model="u.role_of_unit" size="small" style="width:130px">
              <el-option v-for="(l, k) in ROLE_OF_UNIT" :key="k" :value="k" :label="l" />
            </el-select>
            <el-form-item label="姓名" label-width="44px" :error="err('parties[' + i + '].unit_persons[' + j + '].name')" style="margin-bottom:0"><el-input v-model="u.name" size="small" style="width:120px" /></el-form-item>
            <el-form-item label="身份证号" label-width="70px" :error="err('parties[' + i + '].unit_persons[' + j + '].id_number') || (u.id_number.length >= 18 ? idNumberError(u.id_number) : '')" style="margin-bottom:0"><el-input v-model="u.id_number" size="small" maxlength="18" style="width:200px" /></el-form-item>
            <el-button size="small" text type="danger" @click="p.unit_persons.splice(j, 1)">删除</el-button>
          </div>
          <el-button size="small" text type="primary" @click="addUnitPerson(p)">+ 法定代表人/主要负责人/实际控制人</el-button>
        </div>
      </div>
    </el-card>

    <el-card shadow="never" header="受理条件审查（《执行工作规定》第16条）">
      <div v-for="[k, l] in CONDITIONS" :key="k" class="cond-row">
        <el-checkbox v-model="f.conditions[k]" :data-test="'cond-' + k">{{ l }}</el-checkbox>
        <span v-if="err('conditions.' + k)" class="dl-overdue" style="margin-left:8px">{{ err('conditions.' + k) }}</span>
      </div>
    </el-card>
    <div class="toolbar">
      <el-button type="primary" :loading="busy" @click="submit" data-test="file-submit">提交立案</el-button>
      <span class="muted">提交后系统校验身份证号（GB 11643）与统一社会信用代码（GB 32100），错误将在对应栏目下提示。</span>
    </div>
  </el-form>
</div>
`,
});
