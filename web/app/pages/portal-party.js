// Party portal (执行公开, issue 15): an applicant or debtor signs in with 案号 + 查询码 + SMS code and
// sees "my case" — public nodes, deadlines, documents served, account movements (applicant), what is
// owed today and where to pay (debtor). Phone-sized (390 px): one column, cards.
import { reactive, ref, onMounted } from 'vue';
import { get, post } from '../api.js';
import { view } from '../view.js';
import { yuan, dateTime } from '../fmt.js';

const STATUS = { open: '执行中', suspended: '中止执行', closed: '已结案' };
const ROLE = { applicant: '申请执行人', debtor: '被执行人' };

export default view(import.meta.url, {
  setup() {
    const f = reactive({ case_no: '', query_code: '', code: '' });
    const step = ref('code'); // code → otp → case
    const login = ref(null);
    const kase = ref(null);
    const busy = ref(false);
    const error = ref('');
    const q = { quiet: true, noRedirect: true };
    const msg = (e) => (e.status === 429 ? '操作过于频繁，请稍后再试' : e.message || '操作失败，请稍后再试');
    async function load() {
      try {
        kase.value = await get('/portal/party/case', undefined, q);
        step.value = 'case';
      } catch (e) {
        if (e.status !== 401) error.value = msg(e);
        step.value = 'code';
      }
    }
    onMounted(load);
    async function sendCode() {
      error.value = '';
      if (!f.case_no.trim() || !f.query_code.trim()) { error.value = '请输入案号和查询码'; return; }
      busy.value = true;
      try {
        login.value = await post('/portal/party/login', { case_no: f.case_no.trim(), query_code: f.query_code.trim() }, q);
        step.value = 'otp';
      } catch (e) { error.value = msg(e); } finally { busy.value = false; }
    }
    async function verify() {
      error.value = '';
      if (!/^\d{6}$/.test(f.code.trim())) { error.value = '请输入6位短信验证码'; return; }
      busy.value = true;
      try {
        await post('/portal/party/verify', { login_id: login.value.login_id, code: f.code.trim() }, q);
        f.code = '';
        await load();
      } catch (e) {
        error.value = msg(e);
        if (e.status === 410 || e.status === 423) step.value = 'code';
      } finally { busy.value = false; }
    }
    async function logout() {
      try { await post('/portal/party/logout', {}, q); } catch { /* the session is gone either way */ }
      kase.value = null;
      step.value = 'code';
    }
    return { f, step, login, kase, busy, error, sendCode, verify, logout, yuan, dateTime, STATUS, ROLE };
  },
  template: `
<div class="portal party-portal">
  <div class="portal-head">
    <span class="brand-mark big">执</span>
    <div class="portal-title"><h1>当事人查询</h1><div class="portal-sub">执行公开 · 案件进展 · 案款 · 联系法官</div></div>
    <span class="spacer" />
    <nav class="portal-links"><a href="#/public">失信查询</a><a href="#/auctions">司法拍卖</a></nav>
  </div>
  <div class="portal-body">
    <el-card v-if="step !== 'case'" shadow="never">
      <el-form v-if="step === 'code'" label-position="top" @submit.prevent="sendCode">
        <el-form-item label="案号"><el-input v-model="f.case_no" placeholder="如（2026）辽0102执123号" data-test="pp-case-no" /></el-form-item>
        <el-form-item label="查询码"><el-input v-model="f.query_code" placeholder="受理通知书、执行通知书上的8位查询码" maxlength="12" data-test="pp-query-code" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy" class="portal-submit" data-test="pp-send">获取短信验证码</el-button>
      </el-form>
      <el-form v-else label-position="top" @submit.prevent="verify">
        <div class="muted">验证码已发送至 {{ login.phone }}，5分钟内有效。</div>
        <el-form-item label="短信验证码"><el-input v-model="f.code" maxlength="6" inputmode="numeric" data-test="pp-otp" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy" class="portal-submit" data-test="pp-verify">登录</el-button>
        <el-button link @click="step = 'code'">重新输入查询码</el-button>
      </el-form>
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon data-test="pp-error" style="margin-top:12px" />
      <div class="muted portal-note">查询码印于受理通知书、执行通知书。连续输错5次将锁定30分钟。您的每次查看均有记录。</div>
    </el-card>
    <template v-else>
      <el-card shadow="never" data-test="pp-case">
        <div class="pub-card-head"><b data-test="pp-case-title">{{ kase.case_no }}</b><span class="muted">{{ STATUS[kase.status] || '' }}</span></div>
        <dl class="pp-dl">
          <dt>您的身份</dt><dd>{{ ROLE[kase.me.role] }} {{ kase.me.name }}</dd>
          <dt>执行法院</dt><dd>{{ kase.handler.court }}</dd>
          <dt>承办法官</dt><dd>{{ kase.handler.name }}</dd>
          <dt>立案日期</dt><dd>{{ kase.filed_on }}</dd>
          <dt>执行标的</dt><dd>{{ yuan(kase.claim_fen) }}</dd>
          <dt>已执行到位</dt><dd>{{ yuan(kase.recovered_fen) }}</dd>
        </dl>
        <div class="muted">{{ kase.handler.contact }}</div>
        <el-button link type="primary" @click="logout" data-test="pp-logout">退出</el-button>
      </el-card>
      <el-card v-if="kase.owed" shadow="never" data-test="pp-owed">
        <template #header>截至{{ kase.owed.as_of }}应履行金额</template>
        <dl class="pp-dl">
          <dt>未履行本金</dt><dd>{{ yuan(kase.owed.principal_fen) }}</dd>
          <dt>迟延履行利息</dt><dd>{{ yuan(kase.owed.delay_interest_fen) }}（{{ kase.owed.interest_days }}日）</dd>
          <dt>合计</dt><dd><b data-test="pp-owed-total">{{ yuan(kase.owed.total_fen) }}</b></dd>
          <dt>缴款账户</dt><dd class="mono" data-test="pp-pay-to">{{ kase.pay_to.account_no }}</dd>
        </dl>
        <div class="muted">{{ kase.owed.basis }}。{{ kase.pay_to.note }}</div>
      </el-card>
      <el-card shadow="never" data-test="pp-nodes">
        <template #header>执行节点</template>
        <el-timeline>
          <el-timeline-item v-for="n in kase.nodes" :key="n.seq" :timestamp="n.on_date">{{ n.label }}</el-timeline-item>
        </el-timeline>
      </el-card>
      <el-card v-if="kase.deadlines.length" shadow="never">
        <template #header>期限</template>
        <div v-for="d in kase.deadlines" :key="d.kind" class="pp-row"><span>{{ d.label }}</span><span>{{ d.due_on }}{{ d.done ? '（已完成）' : '' }}</span></div>
      </el-card>
      <el-card shadow="never">
        <template #header>送达文书</template>
        <el-empty v-if="!kase.documents.length" description="暂无送达给您的文书" :image-size="50" />
        <div v-for="d in kase.documents" :key="d.id" class="pp-row"><a :href="'/api/v1/portal/party/documents/' + d.id" target="_blank">{{ d.title }}</a><span class="muted">{{ dateTime(d.served_ms) }}</span></div>
      </el-card>
      <el-card v-if="kase.account_movements" shadow="never" data-test="pp-moves">
        <template #header>案款收支</template>
        <el-empty v-if="!kase.account_movements.length" description="暂无案款收支" :image-size="50" />
        <div v-for="(m, i) in kase.account_movements" :key="i" class="pp-row"><span>{{ m.booked_on }} {{ m.label }}</span><span>{{ m.direction === 'in' ? '+' : '−' }}{{ yuan(m.amount_fen) }}</span></div>
      </el-card>
    </template>
  </div>
</div>`,
});
