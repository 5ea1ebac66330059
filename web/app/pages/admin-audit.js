import { reactive, ref, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { get, download } from '../api.js';
import { view } from '../view.js';
import { dateTime, today, addDays } from '../fmt.js';

const ACTIONS = { 'auth.login': '登录', 'auth.logout': '退出', 'auth.password': '修改密码', 'auth.login_failed': '登录失败',
  'user.create': '创建账户', 'user.roles': '分配角色', 'user.unlock': '解锁账户', 'user.reset_password': '重置密码',
  'user.disable': '停用账户', 'user.enable': '启用账户', 'partner.create': '签发合作方密钥', 'partner.revoke': '吊销合作方密钥',
  'case.file': '立案', 'case.close': '结案', 'case.action': '办理', 'case.resume': '恢复执行', 'case.assign': '分案',
  'pii.read': '查看个人信息', 'pii.search': '按证件号查询', 'audit.search': '检索审计', 'audit.export': '导出审计',
  'audit.verify': '校验审计链', 'system.init': '系统初始化', 'auth.lock': '连续失败锁定', 'case.read': '查看案件', 'case.import': '历史导入',
  'case.triage.set': '设置繁简分流规则', 'calendar.set_day': '设置节假日', 'case.refused': '拒绝访问案件',
  'credit.propose': '提出失信决定', 'credit.restrict_propose': '提出限消决定', 'credit.decision.approve': '院长签发',
  'credit.decision.reject': '院长驳回', 'credit.decision.withdraw': '撤回决定', 'credit.decision.serve': '登记送达', 'credit.list': '纳入失信名单',
  'credit.restrict': '限制消费生效', 'credit.extend': '延长失信期限', 'credit.deletion_trigger': '登记删除事由', 'credit.delete': '删除失信信息',
  'credit.revoke': '撤销失信信息', 'credit.correct': '更正失信信息', 'credit.lift': '解除限制消费', 'credit.permit': '临时许可',
  'credit.permit_revoke': '撤销临时许可', 'credit.correction_add': '登记纠错申请', 'credit.correction_step': '纠错申请办理',
  'credit.special.import': '导入特殊主体', 'credit.special.read': '查看特殊主体匹配', 'credit.special.delete': '删除特殊主体',
  'credit.repair_settings': '设置信用修复规则', 'credit.interception_report': '合作方拦截报告' };
const actionLabel = (a) => ACTIONS[a] || (a && a.startsWith('credit.') ? '信用惩戒' : '');
const OBJECTS = { user: '账户', case: '案件', audit_log: '审计日志', holiday_calendar: '节假日历', import_file: '导入文件', partner: '合作方', audit: '审计', credit_entry: '名单条目', credit_decision: '信用决定',
  credit_deletion: '删除', credit_permit: '临时许可', credit_correction: '纠错申请', special_subject: '特殊主体', setting: '设置',
  court: '法院', calendar: '日历', document: '文书', party: '当事人' };
const objectLabel = (t) => (t ? OBJECTS[t] || t : '');
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
    const q = () => ({ from: f.range && f.range[0], to: f.range && f.range[1], user: f.user.trim(), action: f.action.trim(),
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
    const detail = (d) => (d === null || d === undefined ? '' : typeof d === 'string' ? d : JSON.stringify(d));
    onMounted(() => search(true));
    return { f, res, loading, search, exportCsv, runVerify, verify, verifying, dateTime, detail, hasMore, actionLabel, objectLabel, resultLabel, resultType };
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
      <el-form-item label="操作"><el-input v-model="f.action" placeholder="前缀，如 case. / user." clearable style="width:170px" /></el-form-item>
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
      <el-table-column label="用户" prop="username" width="150" show-overflow-tooltip />
      <el-table-column label="法院" prop="court_code" width="80" />
      <el-table-column label="操作" width="190"><template #default="{ row }">{{ actionLabel(row.action) }} <span class="muted mono">{{ row.action }}</span></template></el-table-column>
      <el-table-column label="对象" min-width="160" show-overflow-tooltip><template #default="{ row }">{{ objectLabel(row.object_type) }} <span class="mono">{{ row.object_id }}</span></template></el-table-column>
      <el-table-column label="结果" width="70">
        <template #default="{ row }"><el-tag size="small" :type="resultType(row.result)">{{ resultLabel(row.result) }}</el-tag></template>
      </el-table-column>
      <el-table-column label="客户端" prop="client_ip" width="120" />
      <el-table-column label="详情" min-width="200" show-overflow-tooltip><template #default="{ row }"><span class="mono">{{ detail(row.detail) }}</span></template></el-table-column>
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
