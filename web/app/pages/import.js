// 历史导入: CSV of cases from an old system (issue 4 §9) → POST /api/v1/import/cases (text/csv).
// The file is checked locally first (header, preview), then uploaded with a progress bar; the server
// validates the whole file and imports all-or-nothing; errors name line and column.
import { reactive, computed } from 'vue';
import { upload } from '../api.js';
import { view } from '../view.js';

const COLUMNS = ['case_no', 'court_code', 'case_type', 'filed_on', 'closed_on', 'closure_mode', 'claim', 'recovered',
  'has_assets', 'deducted_days', 'non_litigation', 'applicant_name', 'debtor_name', 'debtor_id'];
const COL_LABELS = { case_no: '案号', court_code: '法院代字', case_type: '案件类型', filed_on: '立案日期', closed_on: '结案日期', closure_mode: '结案方式',
  claim: '申请标的（元）', recovered: '执行到位（元）', has_assets: '有财产', deducted_days: '扣除天数', non_litigation: '非诉', applicant_name: '申请执行人',
  debtor_name: '被执行人', debtor_id: '被执行人证件号' };
const TEMPLATE = COLUMNS.join(',') + '\n' +
  '（2023）辽0102执1号,辽0102,执,2023-01-05,2023-05-20,执行完毕,12000.00,12000.00,1,0,0,张三,李四,210102199003071233\n' +
  '（2023）辽0102执2号,辽0102,执,2023-02-10,,,50000,0,0,0,0,王五,沈阳某某贸易有限公司,\n';

// minimal RFC 4180 line splitter for the preview (quotes, doubled quotes)
function splitCsvLine(line) {
  const out = []; let cur = ''; let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) { if (ch === '"') { if (line[i + 1] === '"') { cur += '"'; i++; } else q = false; } else cur += ch; }
    else if (ch === '"') q = true;
    else if (ch === ',') { out.push(cur); cur = ''; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

export default view(import.meta.url, {
  setup() {
    const st = reactive({ file: null, header: [], preview: [], localErrors: [], estRows: 0, phase: 'idle', sent: 0, total: 0,
      result: null, error: null });
    const step = computed(() => ({ idle: 0, checked: 1, uploading: 2, processing: 2, done: 4, failed: 2 }[st.phase]));
    const pct = computed(() => (st.total ? Math.floor((st.sent / st.total) * 100) : 0));
    const fmtSize = (n) => (n > 1048576 ? (n / 1048576).toFixed(1) + ' MB' : (n / 1024).toFixed(1) + ' KB');

    async function onFile(ev) {
      const file = ev.target.files && ev.target.files[0];
      ev.target.value = '';
      if (!file) return;
      Object.assign(st, { file, header: [], preview: [], localErrors: [], result: null, error: null, phase: 'idle', sent: 0, total: file.size });
      const head = await file.slice(0, 256 * 1024).text();
      const lines = head.replace(/^\uFEFF/, '').split(/\r?\n/);
      if (file.size > 256 * 1024) lines.pop(); // last line may be cut
      const header = splitCsvLine(lines[0] || '').map((h) => h.trim());
      const errs = [];
      const missing = COLUMNS.filter((c) => !header.includes(c));
      const extra = header.filter((h) => h && !COLUMNS.includes(h));
      if (missing.length) errs.push('缺少列：' + missing.join('、'));
      if (extra.length) errs.push('多余的列：' + extra.join('、'));
      const rows = lines.slice(1).filter((l) => l.trim() !== '');
      const bytesPerRow = rows.length ? (head.length / (rows.length + 1)) : 100;
      st.estRows = file.size > 256 * 1024 ? Math.round(file.size / (bytesPerRow * 1.5)) : rows.length;
      st.header = header;
      st.preview = rows.slice(0, 8).map((l) => { const v = splitCsvLine(l); return Object.fromEntries(header.map((h, i) => [h, v[i]])); });
      rows.slice(0, 200).forEach((l, i) => { const n = splitCsvLine(l).length; if (n !== header.length) errs.push(`第 ${i + 2} 行：应有 ${header.length} 列，实有 ${n} 列`); });
      st.localErrors = errs.slice(0, 20);
      st.phase = 'checked';
    }
    async function start() {
      st.phase = 'uploading'; st.error = null; st.result = null;
      try {
        st.result = await upload('/import/cases', st.file, {
          onProgress: (a, b) => { st.sent = a; st.total = b; },
          onSent: () => { st.phase = 'processing'; },
        });
        st.phase = 'done';
      } catch (e) {
        st.error = { message: e.status === 404 ? '服务器未提供导入接口（POST /api/v1/import/cases），请联系系统管理员使用命令行 zhixing import cases 导入。' : e.message,
          errors: (e.body && e.body.error && (e.body.error.errors || e.body.error.fields)) || (e.body && e.body.errors) || [],
          total: e.body && e.body.error && (e.body.error.nerrors || e.body.error.total_errors) };
        st.phase = 'failed';
      }
    }
    function downloadTemplate() {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob(['\uFEFF' + TEMPLATE], { type: 'text/csv;charset=utf-8' }));
      a.download = '历史案件导入模板.csv';
      document.body.appendChild(a); a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 500);
    }
    const resultErrors = computed(() => (st.result && st.result.errors) || []);
    return { st, step, pct, fmtSize, onFile, start, downloadTemplate, COLUMNS, COL_LABELS, resultErrors };
  },
  template: `
<div class="page">
  <div class="page-head"><h2>历史导入</h2><span class="muted">从原系统迁移历史案件：CSV 文件（UTF-8 编码），整份文件先校验、全部通过才写入（全有或全无），错误注明行号和列名；导入的案件与新立案件一样计入质效指标</span></div>
  <el-card shadow="never">
    <el-steps :active="step" finish-status="success" :process-status="st.phase === 'failed' ? 'error' : 'process'" simple style="margin-bottom:14px">
      <el-step title="选择文件" /><el-step title="本地检查" /><el-step title="上传并校验" /><el-step title="完成" />
    </el-steps>
    <div class="toolbar">
      <label class="el-button el-button--primary" :class="{ 'is-disabled': st.phase === 'uploading' || st.phase === 'processing' }" style="cursor:pointer" data-test="import-choose">
        选择 CSV 文件<input type="file" accept=".csv,text/csv" style="display:none" @change="onFile" :disabled="st.phase === 'uploading' || st.phase === 'processing'" data-test="import-file" />
      </label>
      <el-button @click="downloadTemplate">下载模板</el-button>
      <span v-if="st.file" class="muted">{{ st.file.name }}（{{ fmtSize(st.file.size) }}，约 {{ st.estRows.toLocaleString() }} 行）</span>
    </div>
    <el-descriptions :column="2" size="small" border title="列说明（按模板表头顺序）" v-if="st.phase === 'idle'">
      <el-descriptions-item v-for="(c, i) in COLUMNS" :key="c" :label="'第' + (i + 1) + '列'">{{ COL_LABELS[c] }}</el-descriptions-item>
    </el-descriptions>
    <div v-if="st.phase === 'idle'" class="muted" style="font-size:12px;margin-top:6px">请下载模板、保留其表头行填写；日期写作“2024-01-31”（未结案件结案日期留空）；结案方式用中文名称（执行完毕、终结本次执行程序、终结执行、销案、不予执行、驳回申请）；金额以元为单位、最多两位小数；“有财产”“非诉”两列填 1（是）或 0（否）。</div>

    <template v-if="st.file && st.phase !== 'idle' || st.localErrors.length">
      <el-alert v-for="(e, i) in st.localErrors" :key="i" :title="e" type="error" :closable="false" show-icon style="margin-bottom:6px" />
      <el-table v-if="st.preview.length" :data="st.preview" size="small" border max-height="300" style="margin:8px 0">
        <el-table-column v-for="h in st.header" :key="h" :prop="h" :label="COL_LABELS[h] || h" :min-width="h === 'case_no' ? 175 : h === 'debtor_id' ? 170 : /_name$/.test(h) ? 130 : 110" show-overflow-tooltip />
      </el-table>
      <el-button v-if="st.phase === 'checked'" type="primary" :disabled="st.localErrors.length > 0" @click="start" data-test="import-start">开始导入</el-button>
    </template>

    <div v-if="st.phase === 'uploading' || st.phase === 'processing'" style="margin-top:12px" data-test="import-progress">
      <div class="muted">{{ st.phase === 'uploading' ? '正在上传… ' + fmtSize(st.sent) + ' / ' + fmtSize(st.total) : '上传完成，服务器正在校验并写入（大文件可能需要一分钟）…' }}</div>
      <el-progress :percentage="st.phase === 'uploading' ? pct : 100" :indeterminate="st.phase === 'processing'" :duration="2" :stroke-width="14" striped striped-flow />
    </div>

    <el-result v-if="st.phase === 'done'" icon="success" title="导入完成" data-test="import-done"
      :sub-title="'写入 ' + (st.result.inserted ?? st.result.imported ?? st.result.rows) + ' 件' + (st.result.opened !== undefined ? '（未结 ' + st.result.opened + '，已结 ' + st.result.closed + '）' : '')" />
    <div v-if="st.phase === 'failed'" style="margin-top:12px" data-test="import-failed">
      <el-alert type="error" :closable="false" show-icon :title="st.error.message + (st.error.total ? '（共 ' + st.error.total + ' 处错误，未写入任何数据）' : '')" />
      <el-table v-if="st.error.errors.length" :data="st.error.errors" size="small" border max-height="360" style="margin-top:8px">
        <el-table-column label="行" prop="line" width="80" />
        <el-table-column label="列" width="150"><template #default="{ row }">{{ (row.column || row.field) ? (COL_LABELS[row.column || row.field] || '表头') : '整行' }}</template></el-table-column>
        <el-table-column label="错误" prop="message" min-width="300" />
      </el-table>
    </div>
  </el-card>
</div>
`,
});
