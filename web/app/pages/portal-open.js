// 执行公开平台 (issue 15 item 7; no login): one search over the four public lists (失信, 限消, 被执行人, 终本),
// the auction lots and the 悬赏 notices (GET /api/v1/portal/search); the published 悬赏 notices with the
// tip form (实名, identity kept confidential); the check of a 律师调查令 by its verification code; a link to
// the open statistics; coercive measures (罚款, 拘留, 限制出境) and case-flow information as their own lists (法发〔2014〕18号;
// GET /api/v1/portal/measures, /case-flow). A tip is registered once the tipster enters the SMS code sent to
// the phone. One column on a phone (390 px); identifiers come masked from the server.
import { reactive, ref, computed, onMounted } from 'vue';
import { get, post } from '../api.js';
import { view } from '../view.js';
import { yuan, yuanToFen, dash } from '../fmt.js';

const LISTS = [['dishonest', '失信被执行人'], ['restricted', '限制消费人员'], ['debtor', '被执行人'], ['interim_closure', '终结本次执行案件']];
const LOT_STATUS = { announced: '即将开始', bidding: '正在进行', sold: '已成交', unsold: '流拍', cancelled: '已撤回', suspended: '已中止' };

export default view(import.meta.url, {
  setup() {
    const tab = ref('search');
    const qtext = ref('');
    const res = ref(null);
    const busy = ref(false);
    const error = ref('');
    const q = { quiet: true, noRedirect: true };
    const msg = (e) => (e.status === 429 ? '查询过于频繁，请稍后再试' : e.message || '查询失败，请稍后再试');
    async function search() {
      error.value = '';
      const text = qtext.value.trim();
      if (text.length < 2) { error.value = '请输入至少2个字的姓名、名称、证件号码、案号或拍卖标的'; res.value = null; return; }
      busy.value = true;
      try { res.value = await get('/portal/search', { q: text }, q); } catch (e) { error.value = msg(e); res.value = null; } finally { busy.value = false; }
    }
    const isCase = computed(() => !!(res.value && /执.*号/.test(res.value.q || ''))); // a 案号 was searched (server: one_search_case)
    const items = (k) => (res.value && res.value.lists[k] ? res.value.lists[k].items : []);
    const total = (k) => (res.value && res.value.lists[k] ? res.value.lists[k].total : 0);
    const money = (s) => (s === null || s === undefined ? '—' : yuan(yuanToFen(s)));
    // 悬赏公告
    const rewards = ref([]);
    const tipFor = ref(null);
    const tip = reactive({ name: '', id_number: '', phone: '', clue: '' });
    const tipDone = ref('');
    const tipVerify = ref(null); // {verify_id, phone} once the code was sent
    const tipCode = ref('');
    async function loadRewards() {
      try { rewards.value = (await get('/portal/rewards', undefined, q)).rewards; } catch (e) { error.value = msg(e); }
    }
    async function sendTip() {
      error.value = ''; tipDone.value = '';
      if (!tip.name.trim() || !tip.id_number.trim() || !tip.phone.trim() || !tip.clue.trim()) { error.value = '请如实填写姓名、身份证号码、手机号码和财产线索'; return; }
      busy.value = true;
      try {
        tipVerify.value = await post(`/portal/rewards/${tipFor.value.id}/tips`, { name: tip.name.trim(), id_number: tip.id_number.trim().toUpperCase(),
          phone: tip.phone.trim(), clue: tip.clue.trim() }, q);
        tipCode.value = '';
      } catch (e) { error.value = msg(e); } finally { busy.value = false; }
    }
    async function verifyTip() {
      error.value = '';
      if (!/^\d{6}$/.test(tipCode.value.trim())) { error.value = '请输入短信中的6位验证码'; return; }
      busy.value = true;
      try {
        const r = await post('/portal/rewards/tips/verify', { verify_id: tipVerify.value.verify_id, code: tipCode.value.trim() }, q);
        tipDone.value = `${r.message}（登记序号 ${r.seq}）`;
        Object.assign(tip, { name: '', id_number: '', phone: '', clue: '' });
        tipFor.value = null; tipVerify.value = null;
      } catch (e) { error.value = msg(e); } finally { busy.value = false; }
    }
    // 强制措施、流程信息 (paged lists)
    const ms = reactive({ q: '', court: '', page: 1, size: 10, res: null });
    const fl = reactive({ q: '', court: '', page: 1, size: 10, res: null });
    async function loadList(st, path, page) {
      error.value = '';
      if (page) st.page = page;
      const p = { page: st.page, size: st.size };
      if (st.q.trim()) p.q = st.q.trim();
      if (st.court.trim()) p.court = st.court.trim();
      if (path === '/portal/case-flow' && !p.q && !p.court) { error.value = '请输入案号或法院代字'; return; }
      if (p.q && p.q.length < 2) { error.value = '请输入至少2个字'; return; }
      busy.value = true;
      try { st.res = await get(path, p, q); } catch (e) { error.value = msg(e); st.res = null; } finally { busy.value = false; }
    }
    // 调查令核验
    const code = ref('');
    const order = ref(null);
    async function verify() {
      error.value = ''; order.value = null;
      if (code.value.trim().length !== 16) { error.value = '请输入调查令上的16位核验码'; return; }
      busy.value = true;
      try { order.value = await get('/portal/orders/verify', { code: code.value.trim() }, q); } catch (e) { error.value = msg(e); } finally { busy.value = false; }
    }
    onMounted(() => { loadRewards(); loadList(ms, '/portal/measures'); });
    return { tab, qtext, res, busy, error, search, isCase, items, total, money, dash, LISTS, LOT_STATUS, yuan, rewards, tipFor, tip, tipDone, sendTip,
      tipVerify, tipCode, verifyTip, ms, fl, loadList, code, order, verify };
  },
  template: `
<div class="portal party-portal">
  <div class="portal-head">
    <span class="brand-mark big">执</span>
    <div class="portal-title"><h1>执行公开平台</h1><div class="portal-sub">失信 · 限消 · 被执行人 · 终本 · 司法拍卖 · 悬赏 · 公开统计</div></div>
    <span class="spacer" />
    <nav class="portal-links"><a href="#/my-case">当事人查询</a><a href="#/open/stats">公开统计</a><a href="#/auctions">司法拍卖</a></nav>
  </div>
  <div class="portal-body">
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon data-test="open-error" />
    <el-tabs v-model="tab">
      <el-tab-pane name="search" label="一站式查询">
        <el-card shadow="never">
          <form class="open-search" @submit.prevent="search">
            <el-input v-model="qtext" placeholder="姓名/名称、证件号码、案号或拍卖标的" clearable data-test="open-q" />
            <el-button type="primary" native-type="submit" :loading="busy" data-test="open-search">查询</el-button>
          </form>
          <div class="muted portal-note">一次查询失信被执行人、限制消费人员、被执行人、终结本次执行案件、司法拍卖标的和悬赏公告；输入案号可查该案流程信息和强制措施。证件号码以“前10位＋****＋后4位”显示。</div>
        </el-card>
        <el-card v-if="res" shadow="never" data-test="open-results" class="open-section">
          <template v-if="(res.case_flow || []).length">
            <h3>流程信息</h3>
            <div class="pub-cards" data-test="open-case-flow">
              <div v-for="f in res.case_flow" :key="f.case_no" class="pub-card">
                <div class="pub-card-head"><b>{{ f.case_no }}</b><span class="muted">{{ f.status_label }}</span></div>
                <dl><dt>执行法院</dt><dd>{{ f.court }}</dd><dt>立案日期</dt><dd>{{ f.filed_on }}</dd><dt>当前阶段</dt><dd>{{ f.stage_label }}</dd>
                  <template v-if="f.closed_on"><dt>结案</dt><dd>{{ f.closed_on }}{{ f.closure_label ? '（' + f.closure_label + '）' : '' }}</dd></template></dl>
              </div>
            </div>
            <h3>强制措施（{{ res.measures.length }}）</h3>
            <div class="pub-cards" data-test="open-case-measures">
              <div v-for="(m, i) in res.measures" :key="i" class="pub-card"><b>{{ m.measure_label }}</b> · {{ m.target }} · 决定日期 {{ m.decided_on }}</div>
              <div v-if="!res.measures.length" class="muted">本案未公开强制措施</div>
            </div>
          </template>
          <div v-else-if="isCase" class="muted" data-test="open-case-none">未查询到该案号的执行案件</div>
          <template v-if="!isCase">
          <template v-for="[k, l] in LISTS" :key="k">
            <h3>{{ l }}（{{ total(k) }}）</h3>
            <div class="pub-cards" :data-test="'open-' + k">
              <div v-for="(row, i) in items(k)" :key="i" class="pub-card">
                <div class="pub-card-head"><b>{{ row.name }}</b><span class="muted">{{ row.court || '' }}</span></div>
                <dl>
                  <dt>证件号码</dt><dd class="mono">{{ row.id_number || row.credit_code || '—' }}</dd>
                  <dt>案号</dt><dd>{{ row.case_no || '—' }}</dd>
                  <dt>立案日期</dt><dd>{{ row.filed_on || '—' }}</dd>
                  <template v-if="k === 'debtor' || k === 'interim_closure'"><dt>执行标的</dt><dd class="money">{{ money(row.claim_yuan) }}</dd></template>
                  <template v-if="k === 'dishonest'"><dt>失信行为</dt><dd>{{ dash(row.conduct) }}</dd></template>
                </dl>
              </div>
              <div v-if="!items(k).length" class="muted">未查询到相关信息</div>
            </div>
          </template>
          <h3>司法拍卖（{{ res.auctions.length }}）</h3>
          <div class="pub-cards" data-test="open-auctions">
            <div v-for="a in res.auctions" :key="a.id" class="pub-card">
              <div class="pub-card-head"><a :href="'#/auctions/' + a.id"><b>{{ a.title }}</b></a><span class="muted">{{ LOT_STATUS[a.status] || '' }}</span></div>
              <dl><dt>法院</dt><dd>{{ a.court }}</dd><dt>起拍价</dt><dd class="money">{{ yuan(a.start_fen) }}</dd></dl>
            </div>
            <div v-if="!res.auctions.length" class="muted">未查询到相关拍卖标的</div>
          </div>
          <h3>悬赏公告（{{ res.rewards.length }}）</h3>
          <div class="pub-cards" data-test="open-rewards">
            <div v-for="rw in res.rewards" :key="rw.id" class="pub-card"><b>{{ rw.debtor }}</b> · {{ rw.court }} · {{ rw.case_no }}</div>
            <div v-if="!res.rewards.length" class="muted">未查询到相关悬赏公告</div>
          </div>
          </template>
        </el-card>
      </el-tab-pane>
      <el-tab-pane name="rewards" label="悬赏公告">
        <el-alert v-if="tipDone" :title="tipDone" type="success" :closable="false" show-icon data-test="open-tip-done" />
        <el-empty v-if="!rewards.length" description="暂无正在公告的悬赏" :image-size="60" />
        <el-card v-for="rw in rewards" :key="rw.id" shadow="never" class="open-section" :data-test="'open-reward-' + rw.id">
          <div class="pub-card-head"><b>{{ rw.court }}悬赏公告</b><span class="muted">{{ rw.published_on }}至{{ rw.ends_on }}</span></div>
          <dl class="pp-dl">
            <dt>案号</dt><dd>{{ rw.case_no }}</dd>
            <dt>被执行人</dt><dd><div v-for="(d, i) in rw.debtors" :key="i">{{ d.name }} <span class="mono">{{ d.id_number }}</span></div></dd>
            <dt>悬赏金</dt><dd>{{ rw.reward }}</dd>
          </dl>
          <div class="muted">{{ rw.terms }}</div>
          <el-button v-if="!tipFor || tipFor.id !== rw.id" link type="primary" @click="tipFor = rw" data-test="open-tip">提供线索</el-button>
          <el-form v-else label-position="top" @submit.prevent="sendTip" style="margin-top:8px">
            <el-form-item label="真实姓名"><el-input v-model="tip.name" data-test="tip-name" /></el-form-item>
            <el-form-item label="身份证号码"><el-input v-model="tip.id_number" maxlength="18" data-test="tip-id" /></el-form-item>
            <el-form-item label="手机号码"><el-input v-model="tip.phone" maxlength="11" inputmode="numeric" data-test="tip-phone" /></el-form-item>
            <el-form-item label="财产线索"><el-input v-model="tip.clue" type="textarea" :rows="3" maxlength="2000" data-test="tip-clue" /></el-form-item>
            <el-button v-if="!tipVerify" type="primary" native-type="submit" :loading="busy" class="portal-submit" data-test="tip-send">获取验证码并提交</el-button>
            <template v-else>
              <div class="muted">验证码已发送至 {{ tipVerify.phone }}，5分钟内有效。</div>
              <el-form-item label="短信验证码"><el-input v-model="tipCode" maxlength="6" inputmode="numeric" data-test="tip-code" /></el-form-item>
              <el-button type="primary" :loading="busy" class="portal-submit" @click="verifyTip" data-test="tip-verify">验证并登记线索</el-button>
            </template>
          </el-form>
        </el-card>
      </el-tab-pane>
      <el-tab-pane name="measures" label="强制措施">
        <el-form class="portal-form" @submit.prevent="loadList(ms, '/portal/measures', 1)" data-test="measures-form">
          <div class="portal-search">
            <el-input v-model="ms.q" placeholder="案号、法院或对象名称" clearable data-test="measures-q" />
            <el-button type="primary" native-type="submit" :loading="busy" data-test="measures-search">查询</el-button>
          </div>
        </el-form>
        <div v-if="ms.res" class="open-section" data-test="measures-list">
          <div class="muted">共 {{ ms.res.total }} 条。{{ ms.res.basis }}</div>
          <div class="pub-cards">
            <el-card v-for="(m, i) in ms.res.items" :key="i" shadow="never" class="pub-card" data-test="measure-item">
              <div><b>{{ m.measure_label }}</b> · {{ m.target }}<span v-if="m.id_number" class="mono">（{{ m.id_number }}）</span></div>
              <div class="muted">{{ m.court }} · {{ m.case_no }}</div>
              <div v-if="m.measure === 'exit_restriction'">{{ m.restricted_person ? '限制出境人员：' + m.restricted_person + '；' : '' }}决定日期 {{ m.decided_on }}<template v-if="m.lifted_on">，已于 {{ m.lifted_on }} 解除</template></div>
              <div v-else>{{ m.measure === 'fine' ? ('罚款 ' + yuan(m.amount_fen)) : ('拘留 ' + m.days + ' 日') }}，决定日期 {{ m.decided_on }}</div>
            </el-card>
          </div>
          <el-pagination v-if="ms.res.total > ms.size" small layout="prev, pager, next" :total="ms.res.total" :page-size="ms.size"
            :current-page="ms.page" @current-change="(p) => loadList(ms, '/portal/measures', p)" data-test="measures-pages" />
        </div>
      </el-tab-pane>
      <el-tab-pane name="flow" label="流程信息">
        <el-form class="portal-form" @submit.prevent="loadList(fl, '/portal/case-flow', 1)" data-test="flow-form">
          <div class="portal-search">
            <el-input v-model="fl.q" placeholder="案号（如（2026）辽0102执1号）" clearable data-test="flow-q" />
            <el-button type="primary" native-type="submit" :loading="busy" data-test="flow-search">查询</el-button>
          </div>
        </el-form>
        <div v-if="fl.res" class="open-section" data-test="flow-list">
          <div class="muted">共 {{ fl.res.total }} 件。仅公开案件流程，不显示当事人信息。</div>
          <el-card v-for="f in fl.res.items" :key="f.case_no" shadow="never" class="pub-card" data-test="flow-item">
            <div><b>{{ f.case_no }}</b> · {{ f.status_label }}</div>
            <div class="muted">{{ f.court }} · 立案 {{ f.filed_on }} · {{ f.stage_label }}<template v-if="f.closed_on"> · 结案 {{ f.closed_on }}（{{ f.closure_label }}）</template></div>
            <el-timeline v-if="f.nodes" style="margin-top:8px" data-test="flow-nodes">
              <el-timeline-item v-for="(n, i) in f.nodes" :key="i" :timestamp="n.on_date">{{ n.label }}</el-timeline-item>
            </el-timeline>
          </el-card>
          <el-pagination v-if="fl.res.total > fl.size" small layout="prev, pager, next" :total="fl.res.total" :page-size="fl.size"
            :current-page="fl.page" @current-change="(p) => loadList(fl, '/portal/case-flow', p)" />
        </div>
      </el-tab-pane>
      <el-tab-pane name="order" label="调查令核验">
        <el-card shadow="never">
          <form class="open-search" @submit.prevent="verify">
            <el-input v-model="code" placeholder="调查令上的16位核验码" maxlength="16" data-test="order-code" />
            <el-button type="primary" native-type="submit" :loading="busy" data-test="order-verify">核验</el-button>
          </form>
          <div v-if="order" class="open-section" data-test="order-result">
            <el-alert :title="order.message" :type="order.valid ? 'success' : 'warning'" :closable="false" show-icon />
            <dl class="pp-dl">
              <dt>签发法院</dt><dd>{{ order.court }}</dd><dt>案号</dt><dd>{{ order.case_no }}</dd>
              <dt>持令律师</dt><dd>{{ order.lawyer }}（{{ order.firm }}）</dd><dt>被调查单位</dt><dd>{{ order.institution }}</dd>
              <dt>调查事项</dt><dd>{{ order.scope }}</dd><dt>有效期至</dt><dd>{{ order.valid_until }}</dd>
            </dl>
          </div>
        </el-card>
      </el-tab-pane>
    </el-tabs>
  </div>
</div>`,
});
