// Public portal (no login): 失信 / 限消 / 被执行人 / 终本 lists by name and ID number; IDs masked by the server.
import { reactive, ref } from 'vue';
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
    async function search() {
      error.value = '';
      const name = f.name.trim(), id = f.id_number.trim().toUpperCase();
      if (!name && !id) { error.value = '请输入被执行人姓名/名称或证件号码'; return; }
      if (name && name.length < 2) { error.value = '姓名/名称至少 2 个字'; return; }
      if (id && !/^[0-9A-Z]{18}$/.test(id)) { error.value = '证件号码应为 18 位居民身份证号码或统一社会信用代码'; return; }
      busy.value = true;
      try {
        res.value = await get('/portal/credit/search', { name, id_number: id, size: 50 }, { quiet: true, noRedirect: true });
        const first = LISTS.find(([k]) => res.value.results[k] && res.value.results[k].total > 0);
        if (first) tab.value = first[0];
      } catch (e) { error.value = e.message; res.value = null; } finally { busy.value = false; }
    }
    const money = (s) => (s === null || s === undefined ? '—' : yuan(yuanToFen(s)));
    const total = (k) => (res.value && res.value.results[k] ? res.value.results[k].total : 0);
    const items = (k) => (res.value && res.value.results[k] ? res.value.results[k].items : []);
    return { f, res, busy, error, tab, search, LISTS, money, total, items, dash };
  },
  template: `
<div class="portal">
  <div class="portal-head">
    <span class="brand-mark big">执</span>
    <div><h1>执行信息公开查询</h1><div style="font-size:12px;opacity:.85">失信被执行人 · 限制消费人员 · 被执行人 · 终结本次执行案件</div></div>
    <span style="flex:1" /><a href="#/auctions" style="color:#fff;margin-right:16px">网络司法拍卖</a><a href="#/login" style="color:#fff">工作人员登录 →</a>
  </div>
  <div class="portal-body">
    <el-card shadow="never">
      <el-form inline @submit.prevent="search">
        <el-form-item label="姓名/名称"><el-input v-model="f.name" placeholder="被执行人姓名或单位名称" clearable style="width:240px" data-test="pub-name" /></el-form-item>
        <el-form-item label="证件号码"><el-input v-model="f.id_number" placeholder="身份证号码或统一社会信用代码" maxlength="18" clearable style="width:260px" data-test="pub-id" /></el-form-item>
        <el-form-item><el-button type="primary" native-type="submit" :loading="busy" data-test="pub-search">查询</el-button></el-form-item>
      </el-form>
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon />
      <div class="muted" style="font-size:12px;margin-top:6px">仅公开法律规定的信息；证件号码以“前10位＋****＋后4位”显示。查询频率受限。宽限期内及已删除、已解除的信息不予公开。</div>
    </el-card>
    <el-card v-if="res" shadow="never">
      <el-tabs v-model="tab">
        <el-tab-pane v-for="[k, l] in LISTS" :key="k" :name="k" :label="l + '（' + total(k) + '）'">
          <el-empty v-if="!items(k).length" description="未查询到相关信息" :image-size="60" />
          <el-table v-else :data="items(k)" size="small" border :data-test="'pub-' + k">
            <el-table-column label="姓名/名称" prop="name" min-width="120" />
            <el-table-column label="证件号码" min-width="180"><template #default="{ row }"><span class="mono">{{ row.id_number || row.credit_code }}</span></template></el-table-column>
            <el-table-column v-if="k === 'dishonest' || k === 'restricted'" label="性别/年龄" width="90">
              <template #default="{ row }">{{ row.sex === 'M' ? '男' : row.sex === 'F' ? '女' : (row.sex || '') }}{{ row.age !== null && row.age !== undefined ? ' ' + row.age + '岁' : '' }}</template>
            </el-table-column>
            <el-table-column v-if="k === 'dishonest' || k === 'restricted'" label="法定代表人" width="100"><template #default="{ row }">{{ dash(row.legal_rep) }}</template></el-table-column>
            <el-table-column label="执行法院" prop="court" min-width="160" />
            <el-table-column label="案号" prop="case_no" min-width="170" />
            <el-table-column label="立案日期" prop="filed_on" width="100" />
            <template v-if="k === 'dishonest'">
              <el-table-column label="执行依据" min-width="200" show-overflow-tooltip><template #default="{ row }">{{ row.basis_issuer }} {{ row.basis_doc_no }}</template></el-table-column>
              <el-table-column label="生效法律文书确定的义务" prop="obligation" min-width="160" show-overflow-tooltip />
              <el-table-column label="履行情况" prop="performance" width="100" />
              <el-table-column label="失信行为" prop="conduct" min-width="160" show-overflow-tooltip />
              <el-table-column label="发布日期" prop="published_on" width="100" />
            </template>
            <template v-if="k === 'restricted'">
              <el-table-column label="限制项目" min-width="200" show-overflow-tooltip>
                <template #default="{ row }">{{ (row.restrictions || []).map((x) => x.label || x).join('、') }}</template>
              </el-table-column>
              <el-table-column label="发布日期" prop="published_on" width="100" />
            </template>
            <template v-if="k === 'debtor' || k === 'interim_closure'">
              <el-table-column label="执行标的" width="130" align="right"><template #default="{ row }"><span class="money">{{ money(row.claim_yuan) }}</span></template></el-table-column>
            </template>
            <template v-if="k === 'interim_closure'">
              <el-table-column label="终本日期" prop="closed_on" width="100" />
              <el-table-column label="未履行金额" width="130" align="right"><template #default="{ row }"><span class="money">{{ money(row.unperformed_yuan) }}</span></template></el-table-column>
            </template>
          </el-table>
        </el-tab-pane>
      </el-tabs>
      <div class="muted" style="font-size:12px">名单版本 {{ res.list_version }}</div>
    </el-card>
  </div>
</div>
`,
});
