import { reactive, ref, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { get, post, del } from '../api.js';
import { view } from '../view.js';
import { cmeta, loadCreditMeta, clabel } from '../credit-meta.js';

export default view(import.meta.url, {
  setup() {
    const tab = ref('matches');
    const matches = ref([]);
    const subjects = ref({ items: [], total: 0 });
    const f = reactive({ q: '', category: '' });
    const loading = ref(false);
    const imp = reactive({ busy: false, result: null });
    async function loadMatches() {
      loading.value = true;
      try { matches.value = (await get('/credit/special-subjects/matches')).items || []; } catch { matches.value = []; } finally { loading.value = false; }
    }
    async function loadSubjects() {
      loading.value = true;
      try { subjects.value = await get('/credit/special-subjects', { q: f.q.trim(), category: f.category }); } catch { subjects.value = { items: [] }; } finally { loading.value = false; }
    }
    async function onFile(ev) {
      const file = ev.target.files && ev.target.files[0];
      ev.target.value = '';
      if (!file) return;
      imp.busy = true; imp.result = null;
      try {
        const text = await file.text();
        imp.result = await post('/credit/special-subjects/import', text, { contentType: 'text/csv; charset=utf-8' });
        ElMessage.success(`导入 ${imp.result.imported}，更新 ${imp.result.updated}`);
        loadSubjects(); loadMatches();
      } catch { /* shown */ } finally { imp.busy = false; }
    }
    async function remove(s) {
      try { await ElMessageBox.confirm(`删除特殊主体“${s.name}”？`, '删除', { type: 'warning' }); } catch { return; }
      try { await del('/credit/special-subjects/' + s.id); loadSubjects(); } catch { /* shown */ }
    }
    onMounted(() => { loadCreditMeta(); loadMatches(); loadSubjects(); });
    return { tab, matches, subjects, f, loading, imp, loadMatches, loadSubjects, onFile, remove, cmeta, clabel };
  },
  template: `
<div class="page">
  <div class="page-head"><h2>特殊主体</h2><span class="muted">党政机关、国有企业、公职人员、人大代表和政协委员等名册与被执行人比对，结果通报组织人事部门、纪检监察机关（失信规定第8条）；每次查看均记入审计</span></div>
  <el-tabs v-model="tab">
    <el-tab-pane label="比对结果" name="matches">
      <el-table :data="matches" v-loading="loading" size="small" border empty-text="暂无比中的被执行人">
        <el-table-column label="特殊主体" min-width="140"><template #default="{ row }">{{ row.subject.name }} <span class="muted">{{ clabel('special_categories', row.subject.category) }}</span></template></el-table-column>
        <el-table-column label="单位/职务" min-width="140"><template #default="{ row }">{{ row.subject.employer }}</template></el-table-column>
        <el-table-column label="被执行人" min-width="120"><template #default="{ row }">{{ row.debtor.name }}</template></el-table-column>
        <el-table-column label="案号" min-width="170"><template #default="{ row }"><a :href="'#/cases/' + row.debtor.case_id">{{ row.debtor.case_no }}</a></template></el-table-column>
        <el-table-column label="名单" width="160"><template #default="{ row }">
          <el-tag v-for="e in row.entries" :key="e.id" size="small" :type="e.list === 'dishonest' ? 'danger' : 'warning'" style="margin-right:4px">{{ e.list === 'dishonest' ? '失信' : '限消' }}</el-tag>
        </template></el-table-column>
        <el-table-column label="比中依据" width="110"><template #default="{ row }">{{ { id_number: '身份证号', credit_code: '信用代码', name: '名称' }[row.match] || row.match }}</template></el-table-column>
        <el-table-column label="通报对象" prop="notify" min-width="170" />
      </el-table>
    </el-tab-pane>
    <el-tab-pane label="名册" name="subjects">
      <div class="toolbar">
        <el-input v-model="f.q" placeholder="姓名/名称" clearable style="width:180px" @keyup.enter="loadSubjects" />
        <el-select v-model="f.category" clearable placeholder="全部类别" style="width:160px" @change="loadSubjects">
          <el-option v-for="c in cmeta.special_categories" :key="c.code" :value="c.code" :label="c.label" />
        </el-select>
        <el-button @click="loadSubjects">查询</el-button>
        <span style="flex:1" />
        <label class="el-button el-button--primary" :class="{ 'is-disabled': imp.busy }" style="cursor:pointer">
          {{ imp.busy ? '导入中…' : '导入名册（CSV）' }}<input type="file" accept=".csv,text/csv" style="display:none" @change="onFile" :disabled="imp.busy" />
        </label>
      </div>
      <div class="muted" style="font-size:12px;margin-bottom:8px">CSV（UTF-8）表头：name,id_number,category,employer,note；id_number 可填身份证号或统一社会信用代码；按证件号更新。</div>
      <el-alert v-if="imp.result && imp.result.errors && imp.result.errors.length" type="warning" :closable="false" show-icon style="margin-bottom:8px"
        :title="'导入 ' + imp.result.imported + '，更新 ' + imp.result.updated + '，错误 ' + imp.result.errors.length + ' 行'">
        <div v-for="e in imp.result.errors.slice(0, 20)" :key="e.line">第 {{ e.line }} 行：{{ e.message }}</div>
      </el-alert>
      <el-table :data="subjects.items" v-loading="loading" size="small" border empty-text="名册为空">
        <el-table-column label="姓名/名称" prop="name" min-width="120" />
        <el-table-column label="证件号码" min-width="170"><template #default="{ row }"><span class="mono">{{ row.id_number || row.credit_code }}</span></template></el-table-column>
        <el-table-column label="类别" width="140"><template #default="{ row }">{{ clabel('special_categories', row.category) }}</template></el-table-column>
        <el-table-column label="单位/职务" prop="employer" min-width="140" />
        <el-table-column label="备注" prop="note" min-width="120" />
        <el-table-column width="70"><template #default="{ row }"><el-button link type="danger" size="small" @click="remove(row)">删除</el-button></template></el-table-column>
      </el-table>
    </el-tab-pane>
  </el-tabs>
</div>
`,
});
