// Public portal (no login): 失信 / 限消 / 被执行人 / 终本 lists by name and ID number; IDs masked by the server.
import { reactive, ref, onMounted, onBeforeUnmount } from 'vue';
import { get } from '../api.js';
import { view } from '../view.js';
import { yuan, yuanToFen, dash } from '../fmt.js';

const LISTS = [['dishonest', '失信被执行人'], ['restricted', '限制消费人员'], ['debtor', '被执行人'], ['interim_closure', '终结本次执行案件']];

export default view(import.meta.url, {
  setup() {
    const f = reactive({ name: '', id_number: '' });
    const res = ref(null);
    const busy = ref(false);
    const error = ref('');
    const tab = ref('dishonest');
    // phones (≤ 700 px wide): one card per result instead of a wide table
    const mq = window.matchMedia('(max-width: 700px)');
    const narrow = ref(mq.matches);
    const onMq = () => { narrow.value = mq.matches; };
    onMounted(() => mq.addEventListener('change', onMq));
    onBeforeUnmount(() => mq.removeEventListener('change', onMq));
    const searchedAt = ref('');
    async function search() {
      error.value = '';
      const name = f.name.trim(), id = f.id_number.trim().toUpperCase();
      // an error replaces the results of the previous query (never shown next to them)
      const fail = (msg) => { error.value = msg; res.value = null; };
      if (!name && !id) return fail('请输入被执行人姓名/名称或证件号码');
      if (name && name.length < 2) return fail('姓名/名称至少 2 个字');
      if (id && !/^[0-9A-Z]{18}$/.test(id)) return fail('证件号码应为 18 位居民身份证号码或统一社会信用代码');
      res.value = null;
      busy.value = true;
      try {
        res.value = await get('/portal/credit/search', { name, id_number: id, size: 50 }, { quiet: true, noRedirect: true });
        const first = LISTS.find(([k]) => res.value.results[k] && res.value.results[k].total > 0);
        if (first) tab.value = first[0];
        const d = new Date();
        searchedAt.value = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
      } catch (e) {
        error.value = e.status === 429 ? '查询过于频繁，请稍后再试' : e.message || '查询失败，请稍后再试';
        res.value = null;
      } finally { busy.value = false; }
    }
    const money = (s) => (s === null || s === undefined ? '—' : yuan(yuanToFen(s)));
    const total = (k) => (res.value && res.value.results[k] ? res.value.results[k].total : 0);
    const items = (k) => (res.value && res.value.results[k] ? res.value.results[k].items : []);
    const sexAge = (row) => `${row.sex === 'M' || row.sex === '男' ? '男' : row.sex === 'F' || row.sex === '女' ? '女' : ''}${row.age !== null && row.age !== undefined ? ' ' + row.age + '岁' : ''}`;
    const restrictions = (row) => (row.restrictions || []).map((x) => x.label || x).join('、');
    return { f, res, busy, error, tab, search, LISTS, money, total, items, dash, narrow, searchedAt, sexAge, restrictions };
  },
  template: `
<div class="portal">
  <div class="portal-head">
    <span class="brand-mark big">执</span>
    <div class="portal-title"><h1>执行信息公开查询</h1><div class="portal-sub">失信被执行人 · 限制消费人员 · 被执行人 · 终结本次执行案件</div></div>
    <span class="spacer" />
    <nav class="portal-links"><a href="#/auctions">网络司法拍卖</a><a href="#/my-case">当事人查询</a><a href="#/login">工作人员登录 →</a></nav>
  </div>
  <div class="portal-body">
    <el-card shadow="never">
      <el-form class="portal-form" @submit.prevent="search" :label-position="narrow ? 'top' : 'left'">
        <el-form-item label="姓名/名称"><el-input v-model="f.name" placeholder="被执行人姓名或单位名称" clearable data-test="pub-name" /></el-form-item>
        <el-form-item label="证件号码"><el-input v-model="f.id_number" placeholder="身份证号码或统一社会信用代码" maxlength="18" clearable data-test="pub-id" /></el-form-item>
        <el-form-item><el-button type="primary" native-type="submit" :loading="busy" data-test="pub-search" class="portal-submit">查询</el-button></el-form-item>
      </el-form>
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon data-test="pub-error" />
      <div class="muted portal-note">仅公开法律规定的信息；证件号码以“前10位＋****＋后4位”显示。查询频率受限。宽限期内及已删除、已解除的信息不予公开。</div>
    </el-card>
    <el-card v-if="res" shadow="never" data-test="pub-results">
      <el-tabs v-model="tab">
        <el-tab-pane v-for="[k, l] in LISTS" :key="k" :name="k" :label="l + '（' + total(k) + '）'">
          <el-empty v-if="!items(k).length" description="未查询到相关信息" :image-size="60" />
          <div v-else-if="narrow" class="pub-cards" :data-test="'pub-' + k">
            <div v-for="(row, i) in items(k)" :key="i" class="pub-card">
              <div class="pub-card-head"><b>{{ row.name }}</b><span class="muted">{{ sexAge(row) }}</span></div>
              <dl>
                <dt>证件号码</dt><dd class="mono">{{ row.id_number || row.credit_code || '—' }}</dd>
                <template v-if="row.legal_rep"><dt>法定代表人</dt><dd>{{ row.legal_rep }}</dd></template>
                <dt>执行法院</dt><dd>{{ row.court || '—' }}</dd>
                <dt>案号</dt><dd>{{ row.case_no || '—' }}</dd>
                <dt>立案日期</dt><dd>{{ row.filed_on || '—' }}</dd>
                <template v-if="k === 'dishonest'">
                  <dt>执行依据</dt><dd>{{ row.basis_issuer }} {{ row.basis_doc_no }}</dd>
                  <dt>义务</dt><dd>{{ dash(row.obligation) }}</dd>
                  <dt>履行情况</dt><dd>{{ dash(row.performance) }}</dd>
                  <dt>失信行为</dt><dd>{{ dash(row.conduct) }}</dd>
                </template>
                <template v-if="k === 'restricted'"><dt>限制项目</dt><dd>{{ restrictions(row) || '—' }}</dd></template>
                <template v-if="k === 'dishonest' || k === 'restricted'"><dt>发布日期</dt><dd>{{ row.published_on || '—' }}</dd></template>
                <template v-if="k === 'debtor' || k === 'interim_closure'"><dt>执行标的</dt><dd class="money">{{ money(row.claim_yuan) }}</dd></template>
                <template v-if="k === 'interim_closure'">
                  <dt>终本日期</dt><dd>{{ row.closed_on || '—' }}</dd>
                  <dt>未履行金额</dt><dd class="money">{{ money(row.unperformed_yuan) }}</dd>
                </template>
              </dl>
            </div>
          </div>
          <el-table v-else :data="items(k)" size="small" border :data-test="'pub-' + k" style="width:100%">
            <el-table-column v-if="k === 'dishonest' || k === 'restricted'" type="expand">
              <template #default="{ row }">
                <dl class="pub-detail">
                  <template v-if="k === 'dishonest'">
                    <dt>执行依据</dt><dd>{{ row.basis_issuer }} {{ row.basis_doc_no }}</dd>
                    <dt>生效法律文书确定的义务</dt><dd>{{ dash(row.obligation) }}</dd>
                    <dt>履行情况</dt><dd>{{ dash(row.performance) }}</dd>
                    <dt>失信行为</dt><dd>{{ dash(row.conduct) }}</dd>
                  </template>
                  <template v-if="k === 'restricted'"><dt>限制项目</dt><dd>{{ restrictions(row) || '—' }}</dd></template>
                </dl>
              </template>
            </el-table-column>
            <el-table-column label="姓名/名称" prop="name" min-width="120" />
            <el-table-column label="证件号码" min-width="170"><template #default="{ row }"><span class="mono">{{ row.id_number || row.credit_code }}</span></template></el-table-column>
            <el-table-column v-if="k === 'dishonest' || k === 'restricted'" label="性别/年龄" width="80"><template #default="{ row }">{{ sexAge(row) }}</template></el-table-column>
            <el-table-column v-if="k === 'dishonest' || k === 'restricted'" label="法定代表人" width="90"><template #default="{ row }">{{ dash(row.legal_rep) }}</template></el-table-column>
            <el-table-column label="执行法院" prop="court" min-width="150" show-overflow-tooltip />
            <el-table-column label="案号" prop="case_no" min-width="170" />
            <el-table-column label="立案日期" prop="filed_on" width="96" />
            <el-table-column v-if="k === 'dishonest' || k === 'restricted'" label="发布日期" prop="published_on" width="96" />
            <el-table-column v-if="k === 'debtor' || k === 'interim_closure'" label="执行标的" width="120" align="right"><template #default="{ row }"><span class="money">{{ money(row.claim_yuan) }}</span></template></el-table-column>
            <template v-if="k === 'interim_closure'">
              <el-table-column label="终本日期" prop="closed_on" width="96" />
              <el-table-column label="未履行金额" width="120" align="right"><template #default="{ row }"><span class="money">{{ money(row.unperformed_yuan) }}</span></template></el-table-column>
            </template>
          </el-table>
        </el-tab-pane>
      </el-tabs>
      <div class="muted portal-note">查询时间：{{ searchedAt }}。失信和限制消费信息展开可见详情。</div>
    </el-card>
  </div>
</div>
`,
});
