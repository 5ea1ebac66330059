// Public: 网络司法拍卖 — lots open to the public (no login).
import { ref, onMounted, onUnmounted } from 'vue';
import { view } from '../view.js';
import { yuan } from '../fmt.js';
import { pub, STATUS, KIND, cnTime, left } from './auction-common.js';

export default view(import.meta.url, {
  setup() {
    const lots = ref([]);
    const error = ref('');
    const now = ref(Date.now());
    let timer;
    async function load() {
      try { lots.value = (await pub('GET', '/auctions')).auctions; error.value = ''; } catch (e) { error.value = e.message; }
    }
    onMounted(() => { load(); timer = setInterval(() => { now.value = Date.now(); }, 1000); });
    onUnmounted(() => clearInterval(timer));
    const remain = (a) => left(Date.parse(a.ends_at) - now.value);
    return { lots, error, yuan, STATUS, KIND, cnTime, remain };
  },
  template: `
<div class="portal">
  <div class="portal-head">
    <span class="brand-mark big">拍</span>
    <div><h1>网络司法拍卖</h1><div style="font-size:12px;opacity:.85">本院网络司法拍卖平台 · 公开、公平、公正</div></div>
    <span style="flex:1" /><a href="#/auctions/bidder" style="color:#fff;margin-right:16px" data-test="to-bidder">竞买人中心</a><a href="#/public" style="color:#fff">执行信息公开查询 →</a>
  </div>
  <div class="portal-body">
    <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon />
    <el-empty v-if="!lots.length && !error" description="暂无公开的拍卖标的" />
    <el-card v-for="a in lots" :key="a.id" shadow="hover" style="margin-bottom:12px" :data-test="'lot-' + a.id">
      <div style="display:flex;gap:16px;align-items:center">
        <img v-if="a.photo" :src="a.photo" alt="" style="width:120px;height:84px;object-fit:cover;border-radius:4px" />
        <div style="flex:1">
          <a :href="'#/auctions/' + a.id" style="font-size:16px;font-weight:600" data-test="lot-link">{{ a.title }}</a>
          <div class="muted" style="font-size:13px;margin-top:4px">{{ KIND[a.asset_kind] || a.asset_kind }} · {{ a.court }} · {{ a.kind === 'fixed_sale' ? '变卖' : (a.round_no === 1 ? '第一次拍卖' : '第二次拍卖') }}<span v-if="a.platform !== 'court'"> · {{ a.platform }}</span></div>
          <div style="margin-top:6px;font-size:13px">起拍价 <span class="money">{{ yuan(a.start_fen) }}</span> · 保证金 <span class="money">{{ yuan(a.deposit_fen) }}</span> · 出价 {{ a.bids }} 次</div>
        </div>
        <div style="text-align:right;min-width:200px">
          <el-tag :type="a.status === 'bidding' ? 'danger' : a.status === 'announced' ? 'warning' : 'info'">{{ STATUS[a.status] || a.status }}</el-tag>
          <div style="font-size:20px;color:#b91c1c;margin-top:6px" class="money">{{ a.current_fen ? yuan(a.current_fen) : yuan(a.start_fen) }}</div>
          <div class="muted" style="font-size:12px">{{ a.status === 'bidding' ? '距结束 ' + remain(a) : (a.status === 'announced' ? '开始：' + cnTime(a.starts_at) : '结束：' + cnTime(a.ends_at)) }}</div>
        </div>
      </div>
    </el-card>
  </div>
</div>`,
});
