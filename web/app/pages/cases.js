import { reactive, ref, onMounted } from 'vue';
import { get, session, download } from '../api.js';
import { route, go, setQuery } from '../router.js';
import { view } from '../view.js';
import { yuan } from '../fmt.js';
import { meta, loadMeta, label, STATUS_TAG } from '../meta.js';

const KEYS = ['q', 'case_no', 'party', 'status', 'stage', 'track', 'handler', 'court', 'subordinates', 'filed_from', 'filed_to', 'page', 'size'];

export default view(import.meta.url, {
  setup() {
    const f = reactive({ q: '', case_no: '', party: '', id_number: '', status: '', stage: '', track: '', handler: '', court: '',
      subordinates: false, filed: null, page: 1, size: 20 });
    // restore from the URL (the ID number is never put in the URL)
    for (const k of KEYS) if (route.query[k] !== undefined) f[k] = route.query[k];
    f.page = Number(f.page) || 1; f.size = Number(f.size) || 20;
    f.subordinates = route.query.subordinates === '1';
    if (route.query.filed_from && route.query.filed_to) f.filed = [route.query.filed_from, route.query.filed_to];
    const res = ref({ total: 0, items: [] });
    const loading = ref(false);
    const moved = reactive({ page: 1, size: 10 }); // the 已移出 register's own pager

    async function search(resetPage) {
      if (resetPage) f.page = 1, moved.page = 1;
      const q = query();
      // the address keeps the filters that are set, nothing else (no page=1, no default size)
      setQuery({ ...q, page: f.page > 1 ? f.page : '', size: f.size !== 20 ? f.size : '' });
      loading.value = true;
      try {
        res.value = await get('/cases', { ...q, id_number: f.id_number.trim(), moved_page: moved.page, moved_size: moved.size });
      } catch { res.value = { total: 0, items: [] }; } finally { loading.value = false; }
    }
    function query() {
      return {
        q: f.q.trim(), case_no: f.case_no.trim(), party: f.party.trim(), status: f.status, stage: f.stage, track: f.track,
        handler: f.handler, court: f.court.trim(), subordinates: f.subordinates ? 1 : '',
        filed_from: f.filed ? f.filed[0] : '', filed_to: f.filed ? f.filed[1] : '', page: f.page, size: f.size,
      };
    }
    const exporting = ref(false);
    async function exportXlsx() {
      exporting.value = true;
      try {
        const { page, size, ...q } = query();
        const qs = new URLSearchParams(Object.entries({ ...q, id_number: f.id_number.trim(), format: 'xlsx' }).filter(([, v]) => v !== '' && v !== undefined));
        await download('/cases?' + qs.toString(), '案件清单.xlsx');
      } catch { /* message shown */ } finally { exporting.value = false; }
    }
    function reset() {
      Object.assign(f, { q: '', case_no: '', party: '', id_number: '', status: '', stage: '', track: '', handler: '', court: '', subordinates: false, filed: null, page: 1 });
      search(true);
    }
    onMounted(() => { loadMeta(); search(false); });
    return { f, res, loading, search, reset, exportXlsx, exporting, go, yuan, meta, label, STATUS_TAG, session, moved };
  },
  template: `
<div class="page">
  <div class="page-head"><h2>案件查询</h2><span class="muted">可按案号、当事人、证件号码、状态、承办人、法院组合查询</span></div>
  <el-card shadow="never">
    <el-form :model="f" inline class="search-form" label-width="72px" @submit.prevent="search(true)">
      <el-form-item label="快速查找"><el-input v-model="f.q" placeholder="案号或当事人的任意部分，如 执352、建设银行" clearable style="width:280px" data-test="q-any" /></el-form-item>
      <el-form-item label="案号"><el-input v-model="f.case_no" placeholder="（2024）辽0102执1号" clearable style="width:200px" data-test="q-case-no" /></el-form-item>
      <el-form-item label="当事人"><el-input v-model="f.party" placeholder="姓名或名称的开头" clearable style="width:170px" data-test="q-party" /></el-form-item>
      <el-form-item label="证件号码"><el-input v-model="f.id_number" placeholder="身份证号或统一社会信用代码" clearable style="width:230px" data-test="q-id" /></el-form-item>
      <el-form-item label="状态">
        <el-select v-model="f.status" clearable placeholder="全部" style="width:120px">
          <el-option v-for="s in meta.statuses" :key="s.code" :value="s.code" :label="s.label" />
        </el-select>
      </el-form-item>
      <el-form-item label="阶段">
        <el-select v-model="f.stage" clearable placeholder="全部" style="width:150px">
          <el-option v-for="s in meta.stages" :key="s.code" :value="s.code" :label="s.label" />
        </el-select>
      </el-form-item>
      <el-form-item label="繁简">
        <el-select v-model="f.track" clearable placeholder="全部" style="width:100px">
          <el-option v-for="s in meta.tracks" :key="s.code" :value="s.code" :label="s.label" />
        </el-select>
      </el-form-item>
      <el-form-item label="承办人">
        <el-select v-model="f.handler" clearable placeholder="全部" style="width:120px">
          <el-option value="me" label="本人承办" />
        </el-select>
      </el-form-item>
      <el-form-item label="法院">
        <el-input v-model="f.court" :placeholder="session.user && session.user.court ? session.user.court.code : '法院代字'" clearable style="width:110px" />
        <el-checkbox v-model="f.subordinates" style="margin-left:8px">含下级法院</el-checkbox>
      </el-form-item>
      <el-form-item label="立案日期">
        <el-date-picker v-model="f.filed" type="daterange" value-format="YYYY-MM-DD" start-placeholder="起" end-placeholder="止" style="width:240px" />
      </el-form-item>
      <el-form-item>
        <el-button type="primary" native-type="submit" :loading="loading" data-test="search"><el-icon><icon-search /></el-icon>查询</el-button>
        <el-button @click="reset" data-test="reset">重置</el-button>
        <el-button @click="exportXlsx" :loading="exporting" :disabled="!res.total" data-test="export"><el-icon><icon-download /></el-icon>导出 Excel</el-button>
      </el-form-item>
    </el-form>
  </el-card>
  <el-card shadow="never">
    <el-table :data="res.items" v-loading="loading" size="small" border stripe data-test="case-table" empty-text="没有符合条件的案件"
      @row-dblclick="(r) => go('/cases/' + r.id)">
      <el-table-column label="案号" min-width="180" fixed>
        <template #default="{ row }"><a :href="'#/cases/' + row.id">{{ row.case_no }}</a></template>
      </el-table-column>
      <el-table-column label="申请执行人 / 被执行人" min-width="150" show-overflow-tooltip>
        <template #default="{ row }"><div>{{ row.applicant_name || '—' }}</div><div class="muted">{{ row.debtor_name || '—' }}</div></template>
      </el-table-column>
      <el-table-column label="状态" width="80">
        <template #default="{ row }"><el-tag size="small" :type="STATUS_TAG[row.status]">{{ label('statuses', row.status) }}</el-tag></template>
      </el-table-column>
      <el-table-column label="阶段" width="110"><template #default="{ row }">{{ label('stages', row.stage) }}</template></el-table-column>
      <el-table-column label="繁简" width="56"><template #default="{ row }">{{ label('tracks', row.track) }}</template></el-table-column>
      <el-table-column label="承办人" width="80"><template #default="{ row }">{{ row.handler ? row.handler.name : '未分案' }}</template></el-table-column>
      <el-table-column label="立案 / 期限" width="100">
        <template #default="{ row }"><div>{{ row.filed_on }}</div><div class="muted">{{ row.limit_date || '—' }}</div></template>
      </el-table-column>
      <el-table-column label="结案" width="130">
        <template #default="{ row }"><template v-if="row.closed_on"><div>{{ row.closed_on }}</div><div class="muted">{{ label('closure_modes', row.closure_mode) }}</div></template><span v-else class="muted">—</span></template>
      </el-table-column>
      <el-table-column label="申请标的" width="118" align="right"><template #default="{ row }"><span class="money">{{ yuan(row.claim_fen) }}</span></template></el-table-column>
      <el-table-column label="已执行到位" width="118" align="right"><template #default="{ row }"><span class="money">{{ yuan(row.recovered_fen) }}</span></template></el-table-column>
    </el-table>
    <div class="pager">
      <el-pagination v-model:current-page="f.page" v-model:page-size="f.size" :total="res.total || 0" :page-sizes="[20, 50, 100]"
        :layout="(res.total_capped ? 'slot' : 'total') + ', sizes, prev, pager, next, jumper'" background small @current-change="search(false)" @size-change="search(true)">
        <span class="el-pagination__total" data-test="total-capped">超过 {{ (res.total || 0).toLocaleString('zh-CN') }} 条</span>
      </el-pagination>
    </div>
    <div v-if="res.total_capped" class="muted" data-test="total-capped-note">结果超过 {{ (res.total || 0).toLocaleString('zh-CN') }} 件，仅列出其中 {{ (res.total || 0).toLocaleString('zh-CN') }} 件（按立案日期排列）；请输入更多文字或增加条件缩小范围。</div>
  </el-card>
  <el-card shadow="never" v-if="res.moved_out_total" data-test="moved-out">
    <template #header>已移出本院的案件（提级执行、指定执行、交叉执行：本院原案终结执行，由新的执行法院另行立案）</template>
    <el-table :data="res.moved_out" size="small" border data-test="moved-out-table" @row-dblclick="(r) => go('/cases/' + r.id)">
      <el-table-column label="本院原案号" min-width="180">
        <template #default="{ row }"><a :href="'#/cases/' + row.id">{{ row.case_no }}</a> <el-tag size="small" type="info">已移出</el-tag></template>
      </el-table-column>
      <el-table-column label="申请执行人 / 被执行人" min-width="150" show-overflow-tooltip>
        <template #default="{ row }"><div>{{ row.applicant_name || '—' }}</div><div class="muted">{{ row.debtor_name || '—' }}</div></template>
      </el-table-column>
      <el-table-column label="移至法院" min-width="160"><template #default="{ row }">{{ row.moved_to_name }}</template></el-table-column>
      <el-table-column label="新案号" min-width="170"><template #default="{ row }">{{ row.new_case_no || '（原案件移送）' }}</template></el-table-column>
      <el-table-column label="移出日期" width="110"><template #default="{ row }">{{ row.moved_on }}</template></el-table-column>
      <el-table-column label="本院原案" width="150">
        <template #default="{ row }"><el-tag size="small" :type="STATUS_TAG[row.status]">{{ label('statuses', row.status) }}</el-tag>
          <span v-if="row.closure_mode" class="muted"> {{ label('closure_modes', row.closure_mode) }}</span></template>
      </el-table-column>
      <el-table-column label="权限" width="80"><template #default>只读</template></el-table-column>
    </el-table>
    <div class="pager">
      <el-pagination v-model:current-page="moved.page" v-model:page-size="moved.size" :total="res.moved_out_total || 0" :page-sizes="[10, 20, 50, 100]"
        layout="total, sizes, prev, pager, next" background small @current-change="search(false)" @size-change="moved.page = 1; search(false)" data-test="moved-out-pager" />
    </div>
  </el-card>
</div>
`,
});
