// 执行公开平台 (issue 15 item 7; no login): one search over the four public lists (失信, 限消, 被执行人, 终本),
// the auction lots and the 悬赏 notices (GET /api/v1/portal/search); the published 悬赏 notices with the
// tip form (实名, identity kept confidential); the check of a 律师调查令 by its verification code; a link to
// the open statistics. One column on a phone (390 px); identifiers come masked from the server.
import { reactive, ref, onMounted } from 'vue';
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
      if (text.length < 2) { error.value = '请输入至少2个字的姓名、名称、证件号码或拍卖标的'; res.value = null; return; }
      busy.value = true;
      try { res.value = await get('/portal/search', { q: text }, q); } catch (e) { error.value = msg(e); res.value = null; } finally { busy.value = false; }
    }
    const items = (k) => (res.value && res.value.lists[k] ? res.value.lists[k].items : []);
    const total = (k) => (res.value && res.value.lists[k] ? res.value.lists[k].total : 0);
    const money = (s) => (s === null || s === undefined ? '—' : yuan(yuanToFen(s)));
    // 悬赏公告
    const rewards = ref([]);
    const tipFor = ref(null);
    const tip = reactive({ name: '', id_number: '', phone: '', clue: '' });
    const tipDone = ref('');
    async function loadRewards() {
      try { rewards.value = (await get('/portal/rewards', undefined, q)).rewards; } catch (e) { error.value = msg(e); }
    }
    async function sendTip() {
      error.value = ''; tipDone.value = '';
      if (!tip.name.trim() || !tip.id_number.trim() || !tip.phone.trim() || !tip.clue.trim()) { error.value = '请如实填写姓名、身份证号码、手机号码和财产线索'; return; }
      busy.value = true;
      try {
        const r = await post(`/portal/rewards/${tipFor.value.id}/tips`, { name: tip.name.trim(), id_number: tip.id_number.trim().toUpperCase(),
          phone: tip.phone.trim(), clue: tip.clue.trim() }, q);
        tipDone.value = `${r.message}（登记序号 ${r.seq}）`;
        Object.assign(tip, { name: '', id_number: '', phone: '', clue: '' });
        tipFor.value = null;
      } catch (e) { error.value = msg(e); } finally { busy.value = false; }
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
    onMounted(loadRewards);
    return { tab, qtext, res, busy, error, search, items, total, money, dash, LISTS, LOT_STATUS, yuan, rewards, tipFor, tip, tipDone, sendTip, code, order, verify };
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
            <el-input v-model="qtext" placeholder="被执行人姓名/名称、证件号码或拍卖标的" clearable data-test="open-q" />
            <el-button type="primary" native-type="submit" :loading="busy" data-test="open-search">查询</el-button>
          </form>
          <div class="muted portal-note">一次查询失信被执行人、限制消费人员、被执行人、终结本次执行案件、司法拍卖标的和悬赏公告。证件号码以“前10位＋****＋后4位”显示。</div>
        </el-card>
        <el-card v-if="res" shadow="never" data-test="open-results" class="open-section">
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
            <el-button type="primary" native-type="submit" :loading="busy" class="portal-submit" data-test="tip-send">提交线索</el-button>
          </el-form>
        </el-card>
      </el-tab-pane>
      <el-tab-pane name="order" label="调查令核验">
        <el-card shadow="never">
          <form class="open-search" @submit.prevent="verify">
            <el-input v-model="code" placeholder="调查令上的16位核验码" maxlength="16" data-test="order-code" />
            <el-button type="primary" native-type="submit" :loading="busy">核验</el-button>
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
