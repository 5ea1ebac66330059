// Public: one lot — the announcement facts, the live price and time left (Server-Sent Events), the
// bid form for a registered bidder with a held deposit, the bid history.
import { reactive, ref, computed, onMounted, onUnmounted } from 'vue';
import { ElMessage } from 'element-plus';
import { route } from '../router.js';
import { view } from '../view.js';
import { yuan, yuanToFen } from '../fmt.js';
import { pub, bidder, STATUS, KIND, ROUND, DEPOSIT, cnTime, left } from './auction-common.js';

export default view(import.meta.url, {
  setup() {
    const id = route.params.id;
    const lot = ref(null);
    const live = ref(null);
    const bids = ref([]);
    const error = ref('');
    const me = ref(null);
    const offset = ref(0); // server clock − browser clock
    const now = ref(Date.now());
    const form = reactive({ amount: '', busy: false });
    const connected = ref(false);
    let es, timer;
    const who = bidder();

    async function load() {
      try {
        lot.value = await pub('GET', '/auctions/' + id);
        live.value = lot.value.live;
        bids.value = lot.value.recent_bids || [];
        if (live.value) offset.value = live.value.server_ms - Date.now();
        error.value = '';
      } catch (e) { error.value = e.message; }
      if (who) { try { me.value = await pub('GET', '/bidders/me'); } catch { me.value = null; } }
    }
    function listen() {
      es = new EventSource('/api/v1/public/auctions/' + id + '/stream');
      es.onopen = () => { connected.value = true; };
      es.onerror = () => { connected.value = false; };
      es.addEventListener('price', (ev) => {
        const s = JSON.parse(ev.data);
        const prevSeq = live.value ? live.value.seq : 0;
        live.value = s;
        offset.value = s.server_ms - Date.now();
        if (s.seq !== prevSeq) pub('GET', '/auctions/' + id + '/bids').then((r) => { bids.value = r.bids.slice(0, 20); }).catch(() => {});
      });
    }
    onMounted(() => { load(); listen(); timer = setInterval(() => { now.value = Date.now(); }, 250); });
    onUnmounted(() => { if (es) es.close(); clearInterval(timer); });

    const remainMs = computed(() => (live.value ? Date.parse(live.value.ends_at) - (now.value + offset.value) : 0));
    const open = computed(() => live.value && (live.value.status === 'bidding' || live.value.status === 'announced') && remainMs.value > 0);
    const myDeposit = computed(() => (me.value ? me.value.deposits.find((d) => d.lot_id === id && d.round_no === (live.value && live.value.round_no)) : null));
    const nextMin = computed(() => (live.value ? live.value.next_min_fen : 0));

    async function payDeposit() {
      try {
        const d = await pub('POST', '/auctions/' + id + '/deposit', {});
        ElMessage.success(d && d.exempt_fen ? (d.amount_fen ? '申请执行人以债权抵作部分保证金，已冻结差额，可以出价' : '申请执行人免交保证金，可以出价') : '保证金已冻结，可以出价');
        me.value = await pub('GET', '/bidders/me');
      } catch (e) { ElMessage.error(e.message); }
    }
    function quick() { form.amount = (nextMin.value / 100).toFixed(2); }
    async function placeBid() {
      const fen = yuanToFen(form.amount);
      if (!fen) { ElMessage.error('请输入出价金额（元）'); return; }
      form.busy = true;
      try {
        const r = await pub('POST', '/auctions/' + id + '/bids', { amount_fen: fen });
        ElMessage.success(`出价成功（第 ${r.seq} 次出价）` + (r.extended ? '，竞价时间已顺延五分钟' : ''));
        form.amount = '';
        live.value = { ...live.value, seq: r.seq, current_fen: r.amount_fen, ends_at: r.ends_at, leader: r.bidder, next_min_fen: r.amount_fen + live.value.increment_fen };
        pub('GET', '/auctions/' + id + '/bids').then((b) => { bids.value = b.bids.slice(0, 20); }).catch(() => {});
      } catch (e) { ElMessage.error(e.message); } finally { form.busy = false; }
    }
    return { id, lot, live, bids, error, who, me, myDeposit, form, remainMs, open, connected, nextMin, payDeposit, placeBid, quick, yuan, STATUS, KIND, ROUND, DEPOSIT, cnTime, left };
  },
  template: `
<div class="portal">
  <div class="portal-head">
    <span class="brand-mark big">拍</span>
    <div><h1>网络司法拍卖</h1><div style="font-size:12px;opacity:.85">出价时间以本院服务器接收时间为准</div></div>
    <span style="flex:1" /><a href="#/auctions" style="color:#fff;margin-right:16px">全部标的</a><a href="#/auctions/bidder" style="color:#fff">竞买人中心</a>
  </div>
  <div class="portal-body">
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon />
    <template v-if="lot">
      <el-card shadow="never">
        <h2 style="margin:0 0 6px" data-test="lot-title">{{ lot.title }}</h2>
        <div class="muted" style="font-size:13px">{{ KIND[lot.asset_kind] }} · {{ lot.court }} · {{ lot.case_no }}</div>
        <el-row :gutter="16" style="margin-top:12px">
          <el-col :span="14">
            <div v-if="lot.photos && lot.photos.length" style="display:flex;gap:8px;margin-bottom:8px"><img v-for="p in lot.photos" :key="p" :src="p" alt="" style="width:160px;height:110px;object-fit:cover;border-radius:4px" /></div>
            <el-descriptions :column="1" border size="small">
              <el-descriptions-item label="标的物情况">{{ lot.description || '—' }}</el-descriptions-item>
              <el-descriptions-item label="坐落/存放地点">{{ lot.location || '—' }}</el-descriptions-item>
              <el-descriptions-item label="参考价">{{ yuan(lot.reference_fen) }}</el-descriptions-item>
              <el-descriptions-item label="已知瑕疵">{{ lot.defects || '未发现' }}</el-descriptions-item>
              <el-descriptions-item label="税费负担">{{ lot.taxes || '按法律规定各自负担' }}</el-descriptions-item>
              <el-descriptions-item label="优先购买权人">{{ lot.priority_holders.length ? lot.priority_holders.map((p) => p.name + '（第' + p.rank + '顺位）').join('、') : '未查明' }}</el-descriptions-item>
              <el-descriptions-item label="看样">{{ lot.viewing || '请与法院联系' }}</el-descriptions-item>
            </el-descriptions>
          </el-col>
          <el-col :span="10">
            <el-card v-if="live" shadow="never" class="live-box" data-test="live">
              <div class="muted">{{ ROUND(live) }} · <el-tag size="small" :type="open ? 'danger' : 'info'" data-test="live-status">{{ open ? '正在进行' : (STATUS[live.status] || live.status) }}</el-tag>
                <span v-if="connected" style="font-size:12px;color:#16a34a;margin-left:6px" data-test="live-connected">● 实时</span></div>
              <div style="font-size:13px;margin-top:8px">当前价</div>
              <div style="font-size:30px;color:#b91c1c;font-weight:700" class="money" data-test="live-price">{{ yuan(live.current_fen || live.start_fen) }}</div>
              <div class="muted" style="font-size:12px">出价 <span data-test="live-seq">{{ live.seq }}</span> 次<span v-if="live.leader"> · 领先：{{ live.leader }}</span></div>
              <div style="margin-top:8px">起拍价 {{ yuan(live.start_fen) }} · 加价幅度 {{ yuan(live.increment_fen) }} · 保证金 {{ yuan(live.deposit_fen) }}</div>
              <div style="margin-top:8px">结束时间 <b data-test="live-ends">{{ cnTime(live.ends_at) }}</b></div>
              <div style="font-size:18px;margin-top:4px">距结束 <b data-test="live-left">{{ left(remainMs) }}</b></div>
              <div class="muted" style="font-size:12px">结束前五分钟内有人出价的，自该出价时点顺延五分钟</div>
              <el-divider />
              <div v-if="!who"><a href="#/auctions/bidder" data-test="go-register">实名登记后参与竞买 →</a></div>
              <div v-else-if="!myDeposit || myDeposit.status !== 'held'">
                <div v-if="myDeposit" class="muted">保证金：{{ DEPOSIT[myDeposit.status] }}</div>
                <el-button v-if="open" type="warning" @click="payDeposit" data-test="pay-deposit">交纳保证金 {{ yuan(live.deposit_fen) }}</el-button>
              </div>
              <div v-else>
                <div class="muted" style="font-size:12px">{{ who.alias }} · <span v-if="myDeposit.exempt_fen">申请执行人{{ myDeposit.amount_fen ? '以债权抵作部分保证金，已冻结 ' + yuan(myDeposit.amount_fen) : '免交保证金' }}（网拍规定第十七条）</span><span v-else>保证金已冻结</span><span v-if="myDeposit.priority_rank"> · 优先购买权人（第{{ myDeposit.priority_rank }}顺位）</span></div>
                <el-form inline @submit.prevent="placeBid" style="margin-top:6px">
                  <el-input v-model="form.amount" placeholder="出价（元）" style="width:170px" :disabled="!open" data-test="bid-amount" />
                  <el-button @click="quick" :disabled="!open">最低出价</el-button>
                  <el-button type="danger" native-type="submit" :loading="form.busy" :disabled="!open" data-test="bid-submit">出价</el-button>
                </el-form>
                <div class="muted" style="font-size:12px">最低可出价 {{ yuan(nextMin) }}</div>
              </div>
            </el-card>
          </el-col>
        </el-row>
      </el-card>
      <el-card shadow="never" style="margin-top:12px">
        <template #header>出价记录</template>
        <el-empty v-if="!bids.length" description="暂无出价" :image-size="50" />
        <el-table v-else :data="bids" size="small" data-test="bid-list">
          <el-table-column label="序号" prop="seq" width="70" />
          <el-table-column label="竞买号" prop="bidder" width="130" />
          <el-table-column label="出价" align="right"><template #default="{ row }"><span class="money">{{ yuan(row.amount_fen) }}</span><el-tag v-if="row.priority" size="small" style="margin-left:6px">优先购买权</el-tag></template></el-table-column>
          <el-table-column label="出价时间（服务器接收）" width="200"><template #default="{ row }">{{ cnTime(row.at) }}</template></el-table-column>
        </el-table>
      </el-card>
    </template>
  </div>
</div>`,
});
