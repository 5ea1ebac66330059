// Staff: the disposal panel of a case (财产处置) — each lot's reference-price steps with their
// deadlines, the auction rounds, the outcome, and the actions the law allows next.
import { reactive, ref, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { get, post, download } from '../api.js';
import { route, go } from '../router.js';
import { view } from '../view.js';
import { yuan, yuanToFen, today } from '../fmt.js';
import { STATUS, KIND, ROUND, cnTime } from './auction-common.js';

const METHOD = { agreed: '当事人议价', directed_inquiry: '定向询价', online_inquiry: '网络询价', appraisal: '委托评估' };
const STEP = { open: '进行中', fixed: '已确定', failed: '未能确定', objected: '异议中' };
const RESULT = { waiting: '等待答复', delivered: '按期出具', late: '逾期出具', failed: '未委托/失败' };
const LOT = { pricing: '确定参考价', priced: '已确定参考价', auction: '拍卖中', fixed_sale: '变卖中', sold: '已成交', in_kind: '以物抵债', released: '已解除处置', withdrawn: '已撤回' };
const SKIP = { '': '（按法定顺序）', party_refused: '一方当事人拒绝议价', party_absent: '当事人下落不明或无法议价', joint_request: '双方当事人共同申请', official_price: '财产有计税基准价/政府定价', required_by_law: '法律规定必须评估' };
const GROUND = { basic_info: '财产基本信息错误', scope: '超出财产范围或遗漏财产', qualification: '评估机构或人员不具备资质', procedure: '评估程序严重违法', technical: '技术性问题（参照标准、计算方法等）' };
const PAY = { balance: '成交余款', deposit_applied: '保证金抵作价款', deposit_forfeited: '悔拍保证金', in_kind: '以物抵债' };

// local date-time input "YYYY-MM-DD HH:mm" (Asia/Shanghai) → ISO with +08:00
const toIso = (s) => (s ? s.replace(' ', 'T') + ':00+08:00' : '');

export default view(import.meta.url, {
  setup() {
    const caseId = route.params.id;
    const c = ref(null);
    const lots = ref([]);
    const busy = ref(false);
    const dlg = reactive({ open: false, kind: '', title: '', lot: null, step: null, f: {} });

    async function load() {
      try {
        c.value = await get('/cases/' + caseId);
        lots.value = (await get('/cases/' + caseId + '/lots')).lots;
      } catch { /* shown by api.js */ }
    }
    onMounted(load);

    function open(kind, lot, step, title) {
      const f = {};
      if (kind === 'lot') Object.assign(f, { title: '', asset_kind: 'real_estate', description: '', location: '', defects: '', taxes: '', viewing: '', seized_on: today(), asset_id: '' });
      if (kind === 'step') Object.assign(f, { method: 'agreed', price: '', skip_reason: '', institutions: '', chosen_by: 'lottery', failed: false });
      if (kind === 'result') Object.assign(f, { source: step.results.find((r) => r.status === 'waiting')?.source || '', price: '' });
      if (kind === 'objection') Object.assign(f, { ground: 'technical', result_id: '', received_on: today() });
      if (kind === 'priority') Object.assign(f, { name: '', id_number: '', rank: 1, basis: '' });
      if (kind === 'round') {
        const last = lot.rounds[lot.rounds.length - 1];
        const start = last && last.status === 'unsold' ? Math.ceil(last.start_fen * 0.8) : Math.ceil((lot.reference_fen || 0) * 0.7);
        Object.assign(f, { kind: last && lot.rounds.filter((r) => r.status === 'unsold').length >= 2 ? 'fixed_sale' : 'auction', start: (start / 100).toFixed(2),
          deposit: (Math.ceil(start / 10) / 100).toFixed(2), inc: '', announced_on: today(), starts_at: '', ends_at: '', platform: 'court' });
      }
      if (kind === 'in_kind') Object.assign(f, { creditor: c.value ? c.value.applicant_name || '' : '', claim: '' });
      Object.assign(dlg, { open: true, kind, title, lot, step, f });
    }

    async function submit() {
      const f = dlg.f;
      const lot = dlg.lot, step = dlg.step;
      let path, body;
      const money = (v) => yuanToFen(v);
      switch (dlg.kind) {
      case 'lot': path = `/cases/${caseId}/lots`; body = { ...f, asset_id: f.asset_id || undefined }; break;
      case 'step':
        path = `/lots/${lot.id}/price-steps`;
        body = { method: f.method, skip_reason: f.skip_reason || undefined };
        if (f.method === 'agreed' || f.method === 'directed_inquiry') { if (f.failed) body.failed = true; else body.price_fen = money(f.price); }
        if (f.method === 'appraisal') { body.institutions = f.institutions.split(/[，,、\s]+/).filter(Boolean); body.chosen_by = f.chosen_by; }
        break;
      case 'result': path = `/lots/${lot.id}/price-steps/${step.id}/results`; body = { source: f.source, price_fen: money(f.price) }; break;
      case 'objection': path = `/lots/${lot.id}/price-steps/${step.id}/objections`; body = { ground: f.ground, result_id: f.result_id || undefined, received_on: f.received_on }; break;
      case 'priority': path = `/lots/${lot.id}/priority-holders`; body = { ...f, rank: Number(f.rank) }; break;
      case 'round':
        path = `/lots/${lot.id}/rounds`;
        body = { kind: f.kind, start_fen: money(f.start), deposit_fen: money(f.deposit), increment_fen: money(f.inc), announced_on: f.announced_on, starts_at: toIso(f.starts_at), ends_at: f.kind === 'fixed_sale' ? undefined : toIso(f.ends_at), platform: f.platform };
        break;
      case 'in_kind': path = `/lots/${lot.id}/in-kind`; body = { creditor: f.creditor, claim_fen: money(f.claim) }; break;
      default: return;
      }
      busy.value = true;
      try {
        await post(path, body);
        ElMessage.success('已办理');
        dlg.open = false;
        await load();
      } catch { /* message shown */ } finally { busy.value = false; }
    }

    async function act(lot, path, confirm, body = {}) {
      if (confirm) { try { await ElMessageBox.confirm(confirm, '确认', { type: 'warning' }); } catch { return; } }
      try { await post(`/lots/${lot.id}/${path}`, body); ElMessage.success('已办理'); await load(); } catch { /* shown */ }
    }
    const doc = (docId, name) => download(`/cases/${caseId}/documents/${docId}`, name);
    const lastRound = (lot) => lot.rounds[lot.rounds.length - 1];
    return { caseId, c, lots, dlg, busy, open, submit, act, doc, go, lastRound, yuan, cnTime, METHOD, STEP, RESULT, LOT, SKIP, GROUND, PAY, STATUS, KIND, ROUND };
  },
  template: `
<div>
  <el-page-header @back="go('/cases/' + caseId)" :content="'财产处置' + (c ? ' · ' + c.case_no : '')" style="margin-bottom:12px" />
  <div style="margin-bottom:12px">
    <el-button type="primary" @click="open('lot', null, null, '登记待处置财产')" data-test="new-lot">登记待处置财产</el-button>
    <a href="#/auctions" style="margin-left:12px">网络司法拍卖公开页面 →</a>
  </div>
  <el-empty v-if="!lots.length" description="本案尚无处置标的" />
  <el-card v-for="lot in lots" :key="lot.id" shadow="never" style="margin-bottom:14px" :data-test="'panel-lot-' + lot.id">
    <template #header>
      <b>{{ lot.title }}</b> <el-tag size="small" style="margin-left:6px" data-test="lot-status">{{ LOT[lot.status] || lot.status }}</el-tag>
      <span class="muted" style="margin-left:8px">{{ KIND[lot.asset_kind] }}<span v-if="lot.reference_fen"> · 参考价 {{ yuan(lot.reference_fen) }}（{{ METHOD[lot.reference_method] }}，{{ lot.reference_on }}）</span></span>
    </template>
    <el-descriptions :column="3" size="small" border>
      <el-descriptions-item label="查封日">{{ lot.seized_on || '—' }}</el-descriptions-item>
      <el-descriptions-item label="应启动定价（30日）">{{ lot.deadlines.pricing_start_by || '—' }}</el-descriptions-item>
      <el-descriptions-item label="应启动拍卖（10日）">{{ lot.deadlines.sale_start_by || '—' }}</el-descriptions-item>
      <el-descriptions-item label="参考价有效期至">{{ lot.deadlines.reference_valid_until || '—' }}</el-descriptions-item>
      <el-descriptions-item label="优先购买权人" :span="2">{{ lot.priority_holders.length ? lot.priority_holders.map((p) => p.name + '（' + (p.basis || '') + '，第' + p.rank + '顺位）').join('、') : '未登记' }}
        <el-button link type="primary" size="small" @click="open('priority', lot, null, '确认优先购买权人')">添加</el-button></el-descriptions-item>
    </el-descriptions>

    <h4>确定参考价 <el-button v-if="lot.status === 'pricing' || lot.status === 'priced'" size="small" @click="open('step', lot, null, '确定参考价')" data-test="new-step">新的定价程序</el-button></h4>
    <el-table :data="lot.price_steps" size="small" border empty-text="尚未开始">
      <el-table-column label="方式" width="100"><template #default="{ row }">{{ METHOD[row.method] }}</template></el-table-column>
      <el-table-column label="状态" width="90"><template #default="{ row }">{{ STEP[row.status] }}</template></el-table-column>
      <el-table-column label="开始/期限" width="170"><template #default="{ row }">{{ row.started_on }}<span v-if="row.due_on"> → {{ row.due_on }}</span><span v-if="row.extensions">（延期{{ row.extensions }}次）</span></template></el-table-column>
      <el-table-column label="结果">
        <template #default="{ row }">
          <div v-for="r in row.results" :key="r.id" style="font-size:12px">{{ r.source }}：{{ RESULT[r.status] }}<span v-if="r.price_fen"> {{ yuan(r.price_fen) }}</span><span v-if="r.objection_upheld" style="color:#b91c1c">（异议成立）</span></div>
          <div v-for="o in row.objections" :key="o.id" style="font-size:12px;color:#92400e">异议：{{ GROUND[o.ground] }} · {{ o.route === 'execution_objection' ? '执行行为异议程序' : '评估机构说明/行业协会复核' }} · {{ o.status === 'open' ? '待处理' : o.status === 'upheld' ? '成立' : '不成立' }}
            <template v-if="o.status === 'open'"><el-button link size="small" @click="act(lot, 'price-steps/' + row.id + '/objections/' + o.id + '/decision', '', { upheld: true })">成立</el-button><el-button link size="small" @click="act(lot, 'price-steps/' + row.id + '/objections/' + o.id + '/decision', '', { upheld: false })">不成立</el-button></template></div>
          <div v-if="row.result_fen" style="font-weight:600">参考价 {{ yuan(row.result_fen) }}</div>
        </template>
      </el-table-column>
      <el-table-column label="操作" width="260">
        <template #default="{ row }">
          <template v-if="row.status === 'open'">
            <el-button link size="small" @click="open('result', lot, row, '登记结果')">登记结果</el-button>
            <el-button link size="small" @click="act(lot, 'price-steps/' + row.id + '/extension', '确认延期？')">延期</el-button>
            <el-button link size="small" @click="open('objection', lot, row, '登记异议')">异议</el-button>
            <el-button link type="primary" size="small" @click="act(lot, 'price-steps/' + row.id + '/fix', '按规定确定参考价（网络询价取平均值）？')" data-test="fix-step">确定参考价</el-button>
          </template>
        </template>
      </el-table-column>
    </el-table>

    <h4>拍卖/变卖 <el-button v-if="lot.status === 'priced' || lot.status === 'auction'" size="small" @click="open('round', lot, null, '发布拍卖/变卖公告')" data-test="new-round">发布公告</el-button></h4>
    <el-table :data="lot.rounds" size="small" border empty-text="尚未拍卖" data-test="rounds">
      <el-table-column label="轮次" width="100"><template #default="{ row }">{{ ROUND(row) }}</template></el-table-column>
      <el-table-column label="起拍价/保证金/加价" width="220"><template #default="{ row }">{{ yuan(row.start_fen) }} / {{ yuan(row.deposit_fen) }} / {{ yuan(row.increment_fen) }}</template></el-table-column>
      <el-table-column label="公告/通知" width="170"><template #default="{ row }">{{ row.announced_on }}（通知当事人 {{ row.notice_by }} 前）</template></el-table-column>
      <el-table-column label="竞价时间" width="300"><template #default="{ row }">{{ cnTime(row.starts_at) }} — {{ cnTime(row.ends_at) }}<span v-if="row.platform !== 'court'">（{{ row.platform }}）</span></template></el-table-column>
      <el-table-column label="状态/结果" min-width="200"><template #default="{ row }">{{ STATUS[row.status] || row.status }}<span v-if="row.current_fen"> · {{ yuan(row.current_fen) }}（{{ row.bids }}次出价<span v-if="row.leader">，{{ row.leader }}</span>）</span><span v-if="row.reauction_by"> · 应于 {{ row.reauction_by }} 前再次拍卖</span><span v-if="row.balance_due_on && row.status === 'sold'"> · 余款期限 {{ row.balance_due_on }}</span></template></el-table-column>
      <el-table-column label="文书" width="150"><template #default="{ row }"><el-button v-if="row.announcement_doc_id" link size="small" @click="doc(row.announcement_doc_id, '拍卖公告.pdf')">公告</el-button><el-button v-if="row.sale_ruling_doc_id" link size="small" @click="doc(row.sale_ruling_doc_id, '成交裁定书.pdf')">成交裁定</el-button></template></el-table-column>
    </el-table>
    <div v-if="lot.rounds.length" style="margin-top:8px">
      <template v-if="lastRound(lot).status === 'sold'">
        <el-button type="success" size="small" @click="act(lot, 'payment', '买受人已付清余款？将作出成交裁定，价款转入本案账户。')" data-test="payment">余款已付清（成交裁定）</el-button>
        <el-button type="danger" size="small" plain @click="act(lot, 'default', '确认买受人悔拍？保证金不予退还，其不得参加再次拍卖。')">悔拍</el-button>
      </template>
      <template v-if="lastRound(lot).status === 'unsold'"><el-button size="small" @click="open('in_kind', lot, null, '以物抵债')">以物抵债</el-button></template>
      <el-button v-if="!['sold','in_kind','released'].includes(lot.status) && !['announced','bidding','sold'].includes(lastRound(lot).status)" size="small" @click="act(lot, 'release', '解除处置并退还被执行人？')">解除处置</el-button>
    </div>
    <div v-if="lot.payments.length" style="margin-top:8px;font-size:13px">到账：<span v-for="p in lot.payments" :key="p.at + p.kind" style="margin-right:12px">{{ PAY[p.kind] }} {{ yuan(p.amount_fen) }}</span></div>
  </el-card>

  <el-dialog v-model="dlg.open" :title="dlg.title" width="560px">
    <el-form label-width="120px" size="default">
      <template v-if="dlg.kind === 'lot'">
        <el-form-item label="标的物名称"><el-input v-model="dlg.f.title" data-test="lot-title-input" /></el-form-item>
        <el-form-item label="财产类别"><el-select v-model="dlg.f.asset_kind"><el-option v-for="(l, k) in KIND" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="查封日期"><el-date-picker v-model="dlg.f.seized_on" value-format="YYYY-MM-DD" /></el-form-item>
        <el-form-item label="情况说明"><el-input v-model="dlg.f.description" type="textarea" /></el-form-item>
        <el-form-item label="坐落/存放地"><el-input v-model="dlg.f.location" /></el-form-item>
        <el-form-item label="已知瑕疵"><el-input v-model="dlg.f.defects" /></el-form-item>
        <el-form-item label="税费负担"><el-input v-model="dlg.f.taxes" /></el-form-item>
        <el-form-item label="看样安排"><el-input v-model="dlg.f.viewing" /></el-form-item>
      </template>
      <template v-if="dlg.kind === 'step'">
        <el-form-item label="方式"><el-select v-model="dlg.f.method"><el-option v-for="(l, k) in METHOD" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="适用理由"><el-select v-model="dlg.f.skip_reason"><el-option v-for="(l, k) in SKIP" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <template v-if="dlg.f.method === 'agreed' || dlg.f.method === 'directed_inquiry'">
          <el-form-item label="未能确定"><el-switch v-model="dlg.f.failed" /></el-form-item>
          <el-form-item v-if="!dlg.f.failed" label="价格（元）"><el-input v-model="dlg.f.price" /></el-form-item>
        </template>
        <template v-if="dlg.f.method === 'appraisal'">
          <el-form-item label="评估机构（3家，按顺序）"><el-input v-model="dlg.f.institutions" placeholder="以逗号分隔" /></el-form-item>
          <el-form-item label="确定方式"><el-radio-group v-model="dlg.f.chosen_by"><el-radio value="agreement">协商</el-radio><el-radio value="lottery">摇号</el-radio></el-radio-group></el-form-item>
        </template>
        <div v-if="dlg.f.method === 'online_inquiry'" class="muted" style="font-size:12px">将同时向名单库中全部司法网络询价平台发出询价，平台应在三日内出具报告。</div>
      </template>
      <template v-if="dlg.kind === 'result'">
        <el-form-item label="来源"><el-select v-model="dlg.f.source"><el-option v-for="r in dlg.step.results.filter((x) => x.status === 'waiting')" :key="r.id" :label="r.source" :value="r.source" /></el-select></el-form-item>
        <el-form-item label="价格（元）"><el-input v-model="dlg.f.price" /></el-form-item>
      </template>
      <template v-if="dlg.kind === 'objection'">
        <el-form-item label="异议事由"><el-select v-model="dlg.f.ground"><el-option v-for="(l, k) in GROUND" :key="k" :label="l" :value="k" /></el-select></el-form-item>
        <el-form-item label="针对的结果"><el-select v-model="dlg.f.result_id" clearable><el-option v-for="r in dlg.step.results.filter((x) => x.price_fen)" :key="r.id" :label="r.source" :value="r.id" /></el-select></el-form-item>
        <el-form-item label="收到报告日期"><el-date-picker v-model="dlg.f.received_on" value-format="YYYY-MM-DD" /></el-form-item>
      </template>
      <template v-if="dlg.kind === 'priority'">
        <el-form-item label="姓名/名称"><el-input v-model="dlg.f.name" /></el-form-item>
        <el-form-item label="证件号码"><el-input v-model="dlg.f.id_number" maxlength="18" /></el-form-item>
        <el-form-item label="顺位"><el-input-number v-model="dlg.f.rank" :min="1" :max="9" /></el-form-item>
        <el-form-item label="权利依据"><el-input v-model="dlg.f.basis" placeholder="按份共有人、承租人……" /></el-form-item>
      </template>
      <template v-if="dlg.kind === 'round'">
        <el-form-item label="类型"><el-radio-group v-model="dlg.f.kind"><el-radio value="auction">拍卖</el-radio><el-radio value="fixed_sale">变卖</el-radio></el-radio-group></el-form-item>
        <el-form-item :label="dlg.f.kind === 'fixed_sale' ? '变卖价（元）' : '起拍价（元）'"><el-input v-model="dlg.f.start" /></el-form-item>
        <el-form-item label="保证金（元）"><el-input v-model="dlg.f.deposit" /></el-form-item>
        <el-form-item label="加价幅度（元）"><el-input v-model="dlg.f.inc" /></el-form-item>
        <el-form-item label="公告日期"><el-date-picker v-model="dlg.f.announced_on" value-format="YYYY-MM-DD" /></el-form-item>
        <el-form-item label="开始时间"><el-date-picker v-model="dlg.f.starts_at" type="datetime" value-format="YYYY-MM-DD HH:mm" format="YYYY-MM-DD HH:mm" /></el-form-item>
        <el-form-item v-if="dlg.f.kind !== 'fixed_sale'" label="结束时间"><el-date-picker v-model="dlg.f.ends_at" type="datetime" value-format="YYYY-MM-DD HH:mm" format="YYYY-MM-DD HH:mm" /></el-form-item>
        <el-form-item label="拍卖平台"><el-select v-model="dlg.f.platform" filterable allow-create><el-option label="本院网络司法拍卖平台" value="court" /><el-option v-for="p in ['淘宝网络司法拍卖平台','京东网络司法拍卖平台','人民法院诉讼资产网','公拍网','中国拍卖行业协会网络拍卖平台']" :key="p" :label="p" :value="p" /></el-select></el-form-item>
        <div class="muted" style="font-size:12px">起拍价不低于参考价的70%；保证金为起拍价的5%–20%；不动产提前30日、动产提前15日公告（再次拍卖15日/7日）；竞价不少于24小时；流拍后30日内再次拍卖，降价不超过20%。</div>
      </template>
      <template v-if="dlg.kind === 'in_kind'">
        <el-form-item label="接受抵债的申请执行人"><el-input v-model="dlg.f.creditor" /></el-form-item>
        <el-form-item label="其债权金额（元）"><el-input v-model="dlg.f.claim" /></el-form-item>
        <div class="muted" style="font-size:12px">按该次拍卖的保留价抵债；超过债权的部分由申请执行人补交。</div>
      </template>
    </el-form>
    <template #footer><el-button @click="dlg.open = false">取消</el-button><el-button type="primary" :loading="busy" @click="submit" data-test="dlg-submit">确定</el-button></template>
  </el-dialog>
</div>`,
});
