// 对账单导入 (#/funds/import) — finance uploads the bank's statement of the 执行款专户 (CSV). The file is
// uploaded with a progress bar, then the server checks every line and posts all of them in one
// transaction while the page shows its progress; an error names the line and nothing is imported.
// Data: POST /api/v1/funds/imports, GET /api/v1/funds/imports[/:id] (docs/api/funds.md).
import { reactive, ref, computed, onMounted, onBeforeUnmount } from 'vue';
import { get, upload } from '../api.js';
import { view } from '../view.js';
import { go } from '../router.js';
import { yuan, dateTime } from '../fmt.js';

const STATUS = { running: '正在导入', done: '已完成', failed: '未导入' };

function fmtSize(n) {
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + ' MB';
  if (n >= 1024) return (n / 1024).toFixed(0) + ' KB';
  return n + ' 字节';
}

export default view(import.meta.url, {
  setup() {
    const banks = ref([]);
    const history = ref([]);
    const st = reactive({ file: null, bank: '', phase: 'idle', sent: 0, total: 0, percent: 0, step: '', lines: 0,
      linesTotal: 0, result: null, error: null });
    let timer = null;
    const busy = computed(() => st.phase === 'uploading' || st.phase === 'running');
    const numbered = computed(() => banks.value.filter((b) => b.account_no));
    async function load() {
      try {
        banks.value = (await get('/funds/bank-accounts')).items;
        if (!st.bank && numbered.value.length) st.bank = numbered.value[0].account_no;
        history.value = (await get('/funds/imports')).items;
      } catch { /* shown */ }
    }
    function onFile(e) {
      const f = e.target.files && e.target.files[0];
      e.target.value = '';
      if (!f) return;
      Object.assign(st, { file: f, phase: 'chosen', result: null, error: null, percent: 0 });
    }
    async function poll(id) {
      try {
        const r = await get(`/funds/imports/${id}`, undefined, { quiet: true });
        if (r.status === 'running') {
          Object.assign(st, { percent: r.percent, step: r.phase === 'posting' ? '正在入账并匹配案件' : '正在逐行校验',
            lines: r.lines_done, linesTotal: r.lines_total });
          timer = setTimeout(() => poll(id), 400);
          return;
        }
        if (r.status === 'done') Object.assign(st, { phase: 'done', percent: 100, result: r.summary });
        else Object.assign(st, { phase: 'failed', error: r.error });
        load();
      } catch {
        timer = setTimeout(() => poll(id), 1000);
      }
    }
    async function start() {
      if (!st.file) return;
      Object.assign(st, { phase: 'uploading', sent: 0, total: st.file.size, percent: 0, result: null, error: null, step: '' });
      try {
        const q = new URLSearchParams({ bank: st.bank || '', file_name: st.file.name });
        const r = await upload('/funds/imports?' + q.toString(), st.file, {
          onProgress: (sent, total) => { st.sent = sent; st.total = total; },
        });
        Object.assign(st, { phase: 'running', step: '正在逐行校验' });
        poll(r.import_id);
      } catch (e) {
        Object.assign(st, { phase: 'failed', error: { message: e.message, line: null } });
      }
    }
    const uploadPct = computed(() => (st.total ? Math.round((st.sent * 100) / st.total) : 0));
    onMounted(load);
    onBeforeUnmount(() => clearTimeout(timer));
    return { go, banks, numbered, history, st, busy, onFile, start, uploadPct, fmtSize, yuan, dateTime, STATUS };
  },
  template: `
<div class="page" data-test="funds-import">
  <div class="page-head"><h2>对账单导入</h2>
    <span class="muted">上传银行出具的执行款专户对账单（CSV 文件）。系统先逐行校验，全部无误后一次性入账：按案款账号、附言中的案号、付款人为被执行人依次匹配案件，其余列入待认领；任何一行有误则整份不导入，并指明行号。已导入过的流水不会重复入账。</span>
    <el-button size="small" @click="go('/funds')">返回案款管理</el-button>
  </div>
  <el-card shadow="never">
    <el-form label-width="110px">
      <el-form-item label="执行款专户">
        <el-select v-model="st.bank" style="width:360px" :disabled="busy" data-test="import-bank" placeholder="请先在案款管理中登记专户账号">
          <el-option v-for="b in numbered" :key="b.id" :value="b.account_no" :label="b.name + '（' + b.account_no + '）'" />
        </el-select>
      </el-form-item>
      <el-form-item label="对账单文件">
        <label class="el-button" :class="{ 'is-disabled': busy }" style="cursor:pointer" data-test="import-choose">
          选择 CSV 文件<input type="file" accept=".csv,text/csv" style="display:none" @change="onFile" :disabled="busy" data-test="import-file" />
        </label>
        <span v-if="st.file" style="margin-left:12px">{{ st.file.name }}（{{ fmtSize(st.file.size) }}）</span>
      </el-form-item>
      <el-form-item>
        <el-button type="primary" :disabled="!st.file || !st.bank || busy" :loading="busy" @click="start" data-test="import-start">开始导入</el-button>
      </el-form-item>
    </el-form>
    <div class="muted" style="font-size:12px">文件格式：UTF-8 编码，首行为列名，依次为银行流水号、记账日期（年-月-日）、金额（元，最多两位小数）、付款人、付款账号、案款账号、附言；列名行须与银行导出格式一致。流水号为“期末余额”标记的行登记专户当日余额，供对账使用。</div>
    <div v-if="st.phase === 'uploading'" style="margin-top:12px" data-test="import-progress">
      <div class="muted">正在上传… {{ fmtSize(st.sent) }} / {{ fmtSize(st.total) }}</div>
      <el-progress :percentage="uploadPct" :stroke-width="14" />
    </div>
    <div v-if="st.phase === 'running'" style="margin-top:12px" data-test="import-progress">
      <div class="muted">{{ st.step }}<span v-if="st.linesTotal">：已处理 {{ st.lines }} / {{ st.linesTotal }} 行</span></div>
      <el-progress :percentage="st.percent" :stroke-width="14" striped striped-flow />
    </div>
    <el-alert v-if="st.phase === 'done' && st.result" type="success" :closable="false" style="margin-top:12px" data-test="import-result"
      :title="'导入完成：共 ' + st.result.lines + ' 行，入账 ' + st.result.posted + ' 笔（' + yuan(st.result.amount_fen) + '），其中匹配到案件 ' + st.result.matched + ' 笔、列入待认领 ' + st.result.unidentified + ' 笔；已导入过而跳过 ' + st.result.skipped + ' 笔。'" />
    <el-alert v-if="st.phase === 'failed' && st.error" type="error" :closable="false" style="margin-top:12px" data-test="import-error"
      :title="'未导入任何记录。' + st.error.message" />
  </el-card>
  <h4>最近导入</h4>
  <el-table :data="history" size="small" border empty-text="暂无导入记录" data-test="import-history">
    <el-table-column label="上传时间" width="160"><template #default="{ row }">{{ dateTime(row.created_ms) }}</template></el-table-column>
    <el-table-column label="文件" prop="file_name" min-width="160" />
    <el-table-column label="状态" width="90"><template #default="{ row }">{{ STATUS[row.status] || row.status }}</template></el-table-column>
    <el-table-column label="行数" width="90"><template #default="{ row }">{{ row.summary ? row.summary.lines : '' }}</template></el-table-column>
    <el-table-column label="入账" width="90"><template #default="{ row }">{{ row.summary ? row.summary.posted : '' }}</template></el-table-column>
    <el-table-column label="金额" width="140" align="right"><template #default="{ row }">{{ row.summary ? yuan(row.summary.amount_fen) : '' }}</template></el-table-column>
    <el-table-column label="说明" min-width="200"><template #default="{ row }">{{ row.error || '' }}</template></el-table-column>
  </el-table>
</div>
`,
});
