// Staff: 控制措施登记簿 — every live freeze/seizure of the courts the user may see, ordered by its
// legal end date (民诉解释 art 485), with expiry warnings, renewal, release, and release proposals
// for cases closed as completed. The court's chief sets the court's own 查控 rules here: the filing-day
// automatic query on or off, and the expiry warning days (GET/PUT /inquiry/settings).
import { ref, reactive, computed, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { api, hasRole } from '../api.js';
import { go } from '../router.js';
import { view } from '../view.js';
import { yuan } from '../fmt.js';
import { CONTROL_STATUS, CONTROL_KIND } from './inquiry-common.js';

export default view(import.meta.url, {
  setup() {
    const within = ref(90);
    const rows = ref([]);
    const warn = ref([30, 15, 7]);
    const loading = ref(false);
    async function load() {
      loading.value = true;
      try {
        const r = await api('GET', '/controls', null, { query: { within: within.value } });
        rows.value = r.controls;
        warn.value = r.warn_days;
      } catch { } finally { loading.value = false; }
    }
    const settings = ref(null);
    const isChief = computed(() => hasRole('chief'));
    const dlg = reactive({ open: false, on_filing: true, days: [30, 15, 7], saving: false });
    async function loadSettings() { try { settings.value = await api('GET', '/inquiry/settings'); } catch { } }
    function openSettings() {
      const s = settings.value || { on_filing: true, expiry_warn_days: [30, 15, 7] };
      Object.assign(dlg, { open: true, on_filing: s.on_filing, days: [0, 1, 2].map((i) => s.expiry_warn_days[i] ?? null) });
    }
    async function saveSettings() {
      dlg.saving = true;
      try {
        settings.value = await api('PUT', '/inquiry/settings', { on_filing: dlg.on_filing, expiry_warn_days: dlg.days.filter((d) => d) });
        dlg.open = false;
        ElMessage.success('本院查控设置已保存');
        await load();
      } catch { } finally { dlg.saving = false; }
    }
    onMounted(() => { load(); loadSettings(); });
    const level = (r) => (r.warn_level ? (r.days_left <= warn.value[warn.value.length - 1] ? 'danger' : 'warning') : 'success');
    async function renew(r) {
      try {
        await ElMessageBox.confirm(`续行${CONTROL_KIND[r.kind]}“${r.identifier}”（期限自原到期日起按法定最长期限计算）？`, '续行', { confirmButtonText: '续行', cancelButtonText: '取消' });
      } catch { return; }
      try { const x = await api('POST', `/controls/${r.id}/renew`, {}); ElMessage.success('续行请求已发出，新的到期日 ' + x.until); await load(); } catch { }
    }
    async function release(r) {
      try {
        await ElMessageBox.confirm(`解除对“${r.identifier}”的${CONTROL_KIND[r.kind]}？`, '解除', { type: 'warning', confirmButtonText: '解除', cancelButtonText: '取消' });
      } catch { return; }
      try { await api('POST', `/assets/${r.asset_id}/release`, {}); ElMessage.success('解除请求已发出'); await load(); } catch { }
    }
    return { within, rows, warn, loading, load, level, renew, release, go, yuan, CONTROL_STATUS, CONTROL_KIND,
      settings, isChief, dlg, openSettings, saveSettings };
  },
  template: `
<div class="page" data-test="controls-page">
  <div class="page-head">
    <h2>控制措施登记簿</h2>
    <span class="spacer" />
    <span style="font-size:13px;margin-right:6px">到期日在</span>
    <el-select v-model="within" size="small" style="width:120px" @change="load" data-test="within">
      <el-option :value="30" label="30 天内" /><el-option :value="90" label="90 天内" /><el-option :value="400" label="一年内" /><el-option :value="3650" label="全部" />
    </el-select>
    <el-button size="small" @click="load" style="margin-left:8px">刷新</el-button>
    <el-button v-if="isChief" size="small" @click="openSettings" data-test="inquiry-settings">本院查控设置</el-button>
  </div>
  <div v-if="settings" class="muted" style="font-size:13px;margin-bottom:6px" data-test="settings-line">
    立案当日自动查控：{{ settings.on_filing ? '已开启' : '已关闭' }}<span v-if="settings.on_filing_from && settings.on_filing_from !== settings.court">（沿用上级法院设置）</span>；
    到期预警：届满前 {{ settings.expiry_warn_days.join('、') }} 天<span v-if="settings.expiry_warn_days_from && settings.expiry_warn_days_from !== settings.court">（沿用上级法院设置）</span><span v-else-if="!settings.expiry_warn_days_from">（系统默认）</span>。
  </div>
  <el-alert type="info" :closable="false" show-icon style="margin-bottom:10px" :title="'冻结存款最长一年、查封动产最长二年、查封不动产及冻结其他财产权最长三年（民诉法解释第四百八十五条）；到期前 ' + warn.join('、') + ' 天预警，须在期限届满前续行。'" />
  <el-table :data="rows" v-loading="loading" size="small" border data-test="controls" empty-text="没有符合条件的控制措施">
    <el-table-column label="到期日" width="110"><template #default="{ row }"><b>{{ row.until }}</b></template></el-table-column>
    <el-table-column label="剩余" width="110"><template #default="{ row }"><el-tag disable-transitions size="small" :type="level(row)" data-test="days-left">{{ row.days_left < 0 ? '已过期' : row.days_left + ' 天' }}</el-tag></template></el-table-column>
    <el-table-column label="案号" min-width="170"><template #default="{ row }"><a :href="'#/cases/' + row.case_id + '/assets'">{{ row.case_no }}</a></template></el-table-column>
    <el-table-column label="被执行人" prop="debtor" min-width="110" />
    <el-table-column label="措施" width="80"><template #default="{ row }">{{ CONTROL_KIND[row.kind] }}</template></el-table-column>
    <el-table-column label="财产" min-width="200"><template #default="{ row }">{{ row.asset_kind_label }} · {{ row.identifier }}<div class="muted" style="font-size:12px">{{ row.institution }}</div></template></el-table-column>
    <el-table-column label="金额" width="130" align="right"><template #default="{ row }">{{ yuan(row.amount_fen) }}</template></el-table-column>
    <el-table-column label="状态" width="110"><template #default="{ row }">{{ CONTROL_STATUS[row.status] }}<span v-if="row.renewals">（已续行{{ row.renewals }}次）</span></template></el-table-column>
    <el-table-column label="提示" min-width="120"><template #default="{ row }"><el-tag disable-transitions v-if="row.release_proposed" type="danger" size="small">案件已执行完毕，建议解除</el-tag></template></el-table-column>
    <el-table-column label="操作" width="120" fixed="right">
      <template #default="{ row }">
        <el-button size="small" link type="primary" @click="renew(row)" data-test="renew">续行</el-button>
        <el-button size="small" link type="danger" @click="release(row)">解除</el-button>
      </template>
    </el-table-column>
  </el-table>
  <el-dialog v-model="dlg.open" title="本院查控设置" width="540px" data-test="settings-dialog">
    <el-form label-width="130px">
      <el-form-item label="立案当日自动查控">
        <el-switch v-model="dlg.on_filing" active-text="开启" inactive-text="关闭" data-test="set-on-filing" />
        <div class="muted" style="font-size:12px;line-height:1.5">开启后，首次执行、恢复执行和财产保全案件立案当日自动对全部被执行人发起网络查控。</div>
      </el-form-item>
      <el-form-item label="到期预警天数">
        <el-input-number v-for="(d, i) in dlg.days" :key="i" v-model="dlg.days[i]" :min="1" :max="365" size="small" controls-position="right" style="width:100px;margin-right:6px" :data-test="'set-warn-' + i" />
        <div class="muted" style="font-size:12px;line-height:1.5">冻结、查封期限届满前预警（1至3个，1至365天）；第一个预警日起，续行事项列入承办人待办。</div>
      </el-form-item>
    </el-form>
    <template #footer>
      <el-button @click="dlg.open = false">取消</el-button>
      <el-button type="primary" :loading="dlg.saving" @click="saveSettings" data-test="settings-save">保存</el-button>
    </template>
  </el-dialog>
</div>`,
});
