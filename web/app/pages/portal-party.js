// Party portal (执行公开, issue 15): an applicant or debtor signs in with 案号 + 查询码 + SMS code and
// sees "my case" — public nodes, deadlines, documents served, account movements (applicant), what is
// owed today and where to pay (debtor). Phone-sized (390 px): one column, cards.
import { reactive, ref, onMounted } from 'vue';
import { get, post, put } from '../api.js';
import { L } from '../labels.js';
import { view } from '../view.js';
import { yuan, dateTime } from '../fmt.js';

const STATUS = { open: '执行中', suspended: '中止执行', closed: '已结案' };
const ROLE = { applicant: '申请执行人', debtor: '被执行人' };
const ORDER = { pending: '待法院审查', issued: '已签发', rejected: '不予签发' };
const CLUE = { pending: '待核查', found: '经核查属实', none: '已核查，未发现可供执行的财产' };

export default view(import.meta.url, {
  setup() {
    const f = reactive({ case_no: '', query_code: '', licence_no: '', code: '' });
    const mode = ref('party'); // party | lawyer
    const w = reactive({ message: '', clue: '', urgent: false, files: [], app_kind: '', app_reason: '', reward_yuan: '', commitment: false,
      inst: '', scope: '', reason: '' });
    const sent = ref('');
    const step = ref('code'); // code → otp → case
    const login = ref(null);
    const kase = ref(null);
    const busy = ref(false);
    const error = ref('');
    const q = { quiet: true, noRedirect: true };
    const msg = (e) => (e.status === 429 ? '操作过于频繁，请稍后再试' : e.message || '操作失败，请稍后再试');
    const myCases = ref([]); // a lawyer's confirmed cases (one sign-in for all)
    async function load() {
      try {
        kase.value = await get('/portal/party/case', undefined, q);
        step.value = 'case';
        myCases.value = kase.value.lawyer ? (await get('/portal/party/lawyer/cases', undefined, q).catch(() => ({ cases: [] }))).cases : [];
      } catch (e) {
        if (e.status !== 401) error.value = msg(e);
        step.value = 'code';
      }
    }
    onMounted(load);
    async function sendCode() {
      error.value = '';
      const lawyer = mode.value === 'lawyer';
      if ((!lawyer && !f.case_no.trim()) || !(lawyer ? f.licence_no : f.query_code).trim()) { error.value = lawyer ? '请输入律师执业证号' : '请输入案号和查询码'; return; }
      busy.value = true;
      try {
        login.value = lawyer /* a lawyer: the licence alone — every case a court confirmed, one sign-in */
          ? await post('/portal/lawyer/login', f.case_no.trim() ? { case_no: f.case_no.trim(), licence_no: f.licence_no.trim() } : { licence_no: f.licence_no.trim() }, q)
          : await post('/portal/party/login', { case_no: f.case_no.trim(), query_code: f.query_code.trim() }, q);
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
    async function switchCase(id) {
      error.value = '';
      try { await post('/portal/party/lawyer/switch', { case_id: id }, q); await load(); } catch (e) { error.value = msg(e); }
    }
    async function logout() {
      try { await post('/portal/party/logout', {}, q); } catch { /* the session is gone either way */ }
      kase.value = null;
      Object.assign(f, { case_no: '', query_code: '', licence_no: '', code: '' }); // nothing of the case stays on a shared phone
      step.value = 'code';
    }
    // what the party sends the court (src/api/portal_mail.c); every answer reloads "my case"
    async function send(path, body, done, method = post) {
      error.value = ''; sent.value = '';
      busy.value = true;
      try {
        const r = await method(path, body, q);
        sent.value = done + (r && r.due_on ? `，法院将于${r.due_on}前处理` : '');
        await load();
        return true;
      } catch (e) { error.value = msg(e); return false; } finally { busy.value = false; }
    }
    async function sendMessage() {
      if (!w.message.trim()) { error.value = '请填写留言内容'; return; }
      if (await send('/portal/party/messages', { body: w.message.trim() }, '留言已送达承办法官')) w.message = '';
    }
    function readFiles(ev) {
      const list = [...ev.target.files].slice(0, 3);
      w.files = [];
      for (const file of list) {
        const rd = new FileReader();
        rd.onload = () => w.files.push({ name: file.name, content_type: file.type, data: String(rd.result).split(',')[1] || '' });
        rd.readAsDataURL(file);
      }
    }
    async function sendClue() {
      if (!w.clue.trim()) { error.value = '请填写财产线索'; return; }
      if (await send('/portal/party/clues', { description: w.clue.trim(), urgent: w.urgent, attachments: w.files }, '财产线索已提交')) {
        w.clue = ''; w.urgent = false; w.files = [];
      }
    }
    async function sendApplication() {
      if (!w.app_kind || !w.app_reason.trim()) { error.value = '请选择申请类型并填写理由'; return; }
      if (await send('/portal/party/applications', { kind: w.app_kind, reason: w.app_reason.trim() }, '申请已提交')) w.app_reason = '';
    }
    async function sendReward() {
      const fen = Math.round(Number(w.reward_yuan) * 100);
      if (!(fen > 0)) { error.value = '请填写悬赏金数额（元）'; return; }
      if (!w.commitment) { error.value = '请勾选支付悬赏金的承诺'; return; }
      if (await send('/portal/party/rewards', { amount_fen: fen, commitment: true }, '悬赏申请已提交')) { w.reward_yuan = ''; w.commitment = false; }
    }
    async function sendOrder() {
      if (!w.inst.trim() || !w.scope.trim() || !w.reason.trim()) { error.value = '请填写被调查单位、调查事项和理由'; return; }
      if (await send('/portal/lawyer/orders', { institution: w.inst.trim(), scope: w.scope.trim(), reason: w.reason.trim() }, '调查令申请已提交')) {
        w.inst = ''; w.scope = ''; w.reason = '';
      }
    }
    const optOut = (v) => send('/portal/party/notifications', { opt_out: v }, v ? '已退订节点短信' : '已恢复节点短信', put);
    return { f, step, login, kase, busy, error, sendCode, verify, logout, yuan, dateTime, STATUS, ROLE, CLUE, ORDER, mode, w, sent,
      sendMessage, readFiles, sendClue, sendApplication, sendReward, sendOrder, optOut, L, myCases, switchCase };
  },
  template: `
<div class="portal party-portal">
  <div class="portal-head">
    <span class="brand-mark big">执</span>
    <div class="portal-title"><h1>当事人查询</h1><div class="portal-sub">执行公开 · 案件进展 · 案款 · 联系法官</div></div>
    <span class="spacer" />
    <nav class="portal-links"><a href="#/open">执行公开平台</a><a href="#/auctions">司法拍卖</a></nav>
  </div>
  <div class="portal-body">
    <el-card v-if="step !== 'case'" shadow="never">
      <el-form v-if="step === 'code'" label-position="top" @submit.prevent="sendCode">
        <el-radio-group v-model="mode" size="small" style="margin-bottom:10px"><el-radio-button value="party">当事人</el-radio-button><el-radio-button value="lawyer" data-test="pp-mode-lawyer">代理律师</el-radio-button></el-radio-group>
        <el-form-item :label="mode === 'lawyer' ? '案号（可不填，登录后可查看全部代理案件）' : '案号'"><el-input v-model="f.case_no" placeholder="如（2026）辽0102执123号" data-test="pp-case-no" /></el-form-item>
        <el-form-item v-if="mode === 'party'" label="查询码"><el-input v-model="f.query_code" placeholder="受理通知书、执行通知书上的8位查询码" maxlength="12" data-test="pp-query-code" /></el-form-item>
        <el-form-item v-else label="律师执业证号"><el-input v-model="f.licence_no" placeholder="17位执业证号（法院确认代理后可登录）" maxlength="17" data-test="pp-licence" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy" class="portal-submit" data-test="pp-send">获取短信验证码</el-button>
      </el-form>
      <el-form v-else label-position="top" @submit.prevent="verify">
        <div class="muted">验证码已发送至 {{ login.phone }}，5分钟内有效。</div>
        <el-form-item label="短信验证码"><el-input v-model="f.code" maxlength="6" inputmode="numeric" data-test="pp-otp" /></el-form-item>
        <el-button type="primary" native-type="submit" :loading="busy" class="portal-submit" data-test="pp-verify">登录</el-button>
        <el-button link @click="step = 'code'">重新输入查询码</el-button>
      </el-form>
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon data-test="pp-error" style="margin-top:12px" />
      <div class="muted portal-note" v-if="mode === 'lawyer'">法院确认您的代理后，凭执业证号登录，可查看全部代理案件。验证码发送至法院登记的律师手机。连续输错5次，该执业证号锁定30分钟。您的每次查看均有记录。</div>
      <div class="muted portal-note" v-else>查询码印于受理通知书（申请执行人）、执行通知书（被执行人）。查询码或验证码连续输错5次，本案登录锁定30分钟。您的每次查看均有记录。</div>
    </el-card>
    <template v-else>
      <el-card v-if="myCases.length > 1" shadow="never" data-test="pp-lawyer-cases">
        <div class="pub-card-head"><b>我的代理案件（{{ myCases.length }}件）</b></div>
        <div v-for="x in myCases" :key="x.case_id" class="pp-row">
          <el-button link :type="x.current ? 'primary' : ''" :disabled="x.current" @click="switchCase(x.case_id)" :data-test="'pp-switch-' + x.case_id">{{ x.case_no }}</el-button>
          <span class="muted">{{ x.court }} · 委托人 {{ x.client }}</span>
        </div>
      </el-card>
      <el-card shadow="never" data-test="pp-case">
        <div class="pub-card-head"><b data-test="pp-case-title">{{ kase.case_no }}</b><span class="muted">{{ STATUS[kase.status] || '' }}</span></div>
        <dl class="pp-dl">
          <template v-if="kase.lawyer"><dt>您的身份</dt><dd>代理律师 {{ kase.lawyer.name }}（{{ kase.lawyer.firm }}）</dd>
            <dt>委托人</dt><dd>{{ ROLE[kase.me.role] }} {{ kase.me.name }}</dd></template>
          <template v-else><dt>您的身份</dt><dd>{{ ROLE[kase.me.role] }} {{ kase.me.name }}</dd></template>
          <dt>执行法院</dt><dd>{{ kase.handler.court }}</dd>
          <dt>承办法官</dt><dd>{{ kase.handler.name }}</dd>
          <template v-if="kase.handler.phone"><dt>联系电话</dt><dd><a :href="'tel:' + kase.handler.phone.replace(/[^0-9]/g, '')" data-test="pp-contact-phone">{{ kase.handler.phone }}</a><template v-if="kase.handler.hours">（{{ kase.handler.hours }}）</template></dd></template>
          <dt>立案日期</dt><dd>{{ kase.filed_on }}</dd>
          <dt>执行标的</dt><dd>{{ yuan(kase.claim_fen) }}</dd>
          <dt>已执行到位</dt><dd>{{ yuan(kase.recovered_fen) }}</dd>
        </dl>
        <div class="muted" data-test="pp-contact">{{ kase.handler.phone ? '也可在本页“联系承办法官”留言，或拨打12368诉讼服务热线。' : kase.handler.contact }}</div>
        <el-button link type="primary" @click="logout" data-test="pp-logout">退出</el-button>
      </el-card>
      <el-card v-if="kase.owed" shadow="never" data-test="pp-owed">
        <template #header>截至{{ kase.owed.as_of }}应履行金额</template>
        <dl class="pp-dl">
          <dt>未履行本金</dt><dd>{{ yuan(kase.owed.principal_fen) }}</dd>
          <dt>迟延履行利息</dt><dd>{{ yuan(kase.owed.delay_interest_fen) }}（{{ kase.owed.interest_days }}日）</dd>
          <dt>合计</dt><dd><b data-test="pp-owed-total">{{ yuan(kase.owed.total_fen) }}</b></dd>
          <template v-if="kase.pay_to.bank_account_no"><dt>收款账户</dt><dd>{{ kase.pay_to.bank_name }}<br><span class="mono" data-test="pp-bank-account">{{ kase.pay_to.bank_account_no }}</span></dd></template>
          <dt>本案案款账号</dt><dd class="mono" data-test="pp-pay-to">{{ kase.pay_to.account_no }}</dd>
        </dl>
        <div class="muted">{{ kase.owed.basis }}。{{ kase.pay_to.note }}</div>
      </el-card>
      <el-card shadow="never" data-test="pp-nodes">
        <template #header>执行节点</template>
        <el-timeline>
          <el-timeline-item v-for="n in kase.nodes" :key="n.seq" :timestamp="n.on_date">{{ n.label }}<div v-if="n.detail" class="muted pp-detail">{{ n.detail }}</div></el-timeline-item>
        </el-timeline>
      </el-card>
      <el-card v-if="kase.deadlines.length" shadow="never">
        <template #header>期限</template>
        <div v-for="(d, i) in kase.deadlines" :key="i" class="pp-row"><span>{{ d.label }}</span><span>{{ d.due_on }}{{ d.done ? '（已完成）' : '' }}</span></div>
      </el-card>
      <el-card shadow="never">
        <template #header>送达文书</template>
        <el-empty v-if="!kase.documents.length" description="暂无送达给您的文书" :image-size="50" />
        <div v-for="d in kase.documents" :key="d.id" class="pp-row"><a :href="'/api/v1/portal/party/documents/' + d.id" target="_blank">{{ d.title }}</a><span class="muted">{{ d.on_date || dateTime(d.served_ms) }}</span></div>
      </el-card>
      <el-card v-if="kase.account_movements" shadow="never" data-test="pp-moves">
        <template #header>案款收支</template>
        <el-empty v-if="!kase.account_movements.length" description="暂无案款收支" :image-size="50" />
        <div v-for="(m, i) in kase.account_movements" :key="i" class="pp-row"><span>{{ m.booked_on }} {{ m.label }}</span><span>{{ m.direction === 'in' ? '+' : '−' }}{{ yuan(m.amount_fen) }}</span></div>
      </el-card>
      <el-alert v-if="sent" :title="sent" type="success" :closable="false" show-icon data-test="pp-sent" />
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon data-test="pp-error" />
      <el-card shadow="never" data-test="pp-messages">
        <template #header>联系承办法官</template>
        <div v-for="m in kase.messages" :key="m.id" class="pp-msg">
          <div><b>我：</b>{{ m.body }} <span class="muted">{{ dateTime(m.created_ms) }}</span></div>
          <div v-if="m.reply" data-test="pp-reply"><b>法官：</b>{{ m.reply }} <span class="muted">{{ dateTime(m.replied_ms) }}</span></div>
          <div v-else class="muted">等待答复（{{ m.reply_due }}前）</div>
        </div>
        <template v-if="kase.can.message">
          <el-input v-model="w.message" type="textarea" :rows="3" maxlength="1000" placeholder="写给承办法官的留言" data-test="pp-message" />
          <el-button type="primary" :loading="busy" class="portal-submit" style="margin-top:8px" @click="sendMessage" data-test="pp-message-send">发送留言</el-button>
        </template>
      </el-card>
      <el-card v-if="kase.clues.length || kase.can.clue" shadow="never" data-test="pp-clues">
        <template #header>财产线索</template>
        <div v-for="c in kase.clues" :key="c.id" class="pp-msg">
          <div>{{ c.description }}<el-tag v-if="c.urgent" size="small" type="danger" style="margin-left:4px">紧急</el-tag></div>
          <div class="muted">提交于{{ dateTime(c.created_ms) }}<template v-if="c.attachments.length">，附件{{ c.attachments.length }}个</template></div>
          <div :data-test="'pp-clue-' + c.status">{{ CLUE[c.status] || '待核查' }}<template v-if="c.status === 'pending' && c.due_on">（法院应于{{ c.due_on }}前核查）</template><template v-if="c.answer">：{{ c.answer }}</template></div>
        </div>
        <template v-if="kase.can.clue">
          <el-input v-model="w.clue" type="textarea" :rows="3" maxlength="2000" placeholder="财产种类、所在地、权属、价值等" data-test="pp-clue" />
          <el-checkbox v-model="w.urgent">情况紧急（法院应在三日内核查）</el-checkbox>
          <div class="pp-files">
            <label class="el-button el-button--default" style="cursor:pointer" data-test="pp-clue-choose">
              添加附件<input type="file" accept="application/pdf,image/jpeg,image/png" multiple style="display:none" @change="readFiles" data-test="pp-clue-files" />
            </label>
            <span class="muted" data-test="pp-clue-chosen">{{ w.files.length ? '已选' + w.files.length + '个：' + w.files.map((f) => f.name).join('、') : '未选择附件' }}</span>
          </div>
          <div class="muted">附件最多3个，PDF、JPG或PNG，每个不超过512KB。法院收到线索后7日内（紧急的3日内）核查。</div>
          <el-button type="primary" :loading="busy" class="portal-submit" style="margin-top:8px" @click="sendClue" data-test="pp-clue-send">提交财产线索</el-button>
        </template>
      </el-card>
      <el-card shadow="never" v-if="kase.applications.length || kase.can.applications.length">
        <template #header>网上申请</template>
        <div v-for="a in kase.applications" :key="a.id" class="pp-msg">
          <div><b>{{ L('portal_app_kind', a.kind) }}</b>：{{ a.reason }}</div>
          <div>{{ L('portal_status', a.status) }}<template v-if="a.status === 'pending'">（{{ a.due_on }}前处理）</template><template v-if="a.opinion">：{{ a.opinion }}</template><template v-if="a.new_case_no">，新案号{{ a.new_case_no }}</template></div>
        </div>
        <template v-if="kase.can.applications.length">
          <el-select v-model="w.app_kind" placeholder="申请类型" style="width:100%;margin-bottom:8px">
            <el-option v-for="k in kase.can.applications" :key="k" :value="k" :label="L('portal_app_kind', k)" />
          </el-select>
          <el-input v-model="w.app_reason" type="textarea" :rows="3" maxlength="2000" placeholder="申请事项和理由" />
          <el-button type="primary" :loading="busy" class="portal-submit" style="margin-top:8px" @click="sendApplication">提交申请</el-button>
        </template>
      </el-card>
      <el-card shadow="never" v-if="kase.rewards">
        <template #header>悬赏</template>
        <div v-for="rw in kase.rewards" :key="rw.id" class="pp-msg">
          <div>{{ rw.amount_fen ? yuan(rw.amount_fen) : (rw.percent_bp / 100) + '%' }}：{{ L('portal_status', rw.status) }}<template v-if="rw.ends_on">，公告至{{ rw.ends_on }}</template>；登记线索{{ rw.tips }}条</div>
          <div v-if="rw.opinion" class="muted">{{ rw.opinion }}</div>
        </div>
        <template v-if="kase.can.reward">
          <el-input v-model="w.reward_yuan" placeholder="悬赏金（元）" inputmode="decimal" />
          <el-checkbox v-model="w.commitment">线索使债权全部或部分实现时，本人自愿支付悬赏金</el-checkbox>
          <el-button :loading="busy" class="portal-submit" @click="sendReward">申请悬赏</el-button>
          <div class="muted">法院在收到申请后10日内决定是否准许（财产调查规定第21条）。</div>
        </template>
      </el-card>
      <el-card shadow="never" v-if="kase.orders" data-test="pp-orders">
        <template #header>律师调查令</template>
        <div v-for="o in kase.orders" :key="o.id" class="pp-msg">
          <div>{{ o.institution }}：{{ o.scope }}</div>
          <div>{{ ORDER[o.status] || '' }}<template v-if="o.status === 'pending'">（法院应于{{ o.due_on }}前审查）</template><template v-if="o.verify_code">，核验码 <span class="mono">{{ o.verify_code }}</span>，有效期至{{ o.valid_until }}，<a :href="'/api/v1/portal/lawyer/orders/' + o.id + '/pdf'" target="_blank">下载调查令</a></template><template v-if="o.opinion">（{{ o.opinion }}）</template></div>
        </div>
        <template v-if="kase.can.order">
          <el-input v-model="w.inst" placeholder="被调查单位" style="margin-bottom:6px" data-test="pp-order-inst" />
          <el-input v-model="w.scope" type="textarea" :rows="2" maxlength="200" placeholder="调查事项" style="margin-bottom:6px" data-test="pp-order-scope" />
          <el-input v-model="w.reason" type="textarea" :rows="2" maxlength="500" placeholder="申请理由" data-test="pp-order-reason" />
          <el-button :loading="busy" class="portal-submit" style="margin-top:8px" @click="sendOrder" data-test="pp-order-send">申请调查令</el-button>
        </template>
      </el-card>
      <el-card shadow="never" v-if="!kase.lawyer">
        <template #header>短信通知</template>
        <div class="pp-row"><span>{{ kase.sms_opted_out ? '已退订案件节点短信（登录验证码仍会发送）' : '案件节点将以短信通知您' }}</span>
          <el-button link type="primary" @click="optOut(!kase.sms_opted_out)" data-test="pp-optout">{{ kase.sms_opted_out ? '恢复' : '退订' }}</el-button></div>
      </el-card>
    </template>
  </div>
</div>`,
});
