// Public: the bidder's centre — real-name registration (ID checked by the server) and the deposits
// with their refunds.
import { reactive, ref, onMounted } from 'vue';
import { ElMessage } from 'element-plus';
import { view } from '../view.js';
import { yuan, idNumberError } from '../fmt.js';
import { pub, bidder, setBidder, DEPOSIT, cnTime } from './auction-common.js';

export default view(import.meta.url, {
  setup() {
    const who = ref(bidder());
    const me = ref(null);
    const f = reactive({ name: '', id_number: '', phone: '', busy: false, agree: false });
    async function load() {
      if (!who.value) return;
      try { me.value = await pub('GET', '/bidders/me'); } catch (e) { if (e.status === 401) { setBidder(null); who.value = null; } }
    }
    async function register() {
      const idErr = f.id_number.trim() ? idNumberError(f.id_number.trim().toUpperCase()) : '请填写身份证号码';
      if (!f.name.trim()) { ElMessage.error('请填写真实姓名'); return; }
      if (idErr) { ElMessage.error(idErr); return; }
      if (!f.agree) { ElMessage.error('请阅读并同意竞买须知'); return; }
      f.busy = true;
      try {
        const r = await pub('POST', '/bidders', { name: f.name.trim(), id_number: f.id_number.trim().toUpperCase(), phone: f.phone.trim() || undefined });
        setBidder({ token: r.token, alias: r.alias, name: r.name, id_number: r.id_number });
        who.value = bidder();
        ElMessage.success('实名登记成功，竞买号：' + r.alias);
        await load();
      } catch (e) { ElMessage.error(e.message); } finally { f.busy = false; }
    }
    function signOut() { setBidder(null); who.value = null; me.value = null; }
    onMounted(load);
    return { who, me, f, register, signOut, yuan, DEPOSIT, cnTime };
  },
  template: `
<div class="portal">
  <div class="portal-head">
    <span class="brand-mark big">拍</span>
    <div><h1>竞买人中心</h1><div style="font-size:12px;opacity:.85">实名登记 · 保证金与退款</div></div>
    <span style="flex:1" /><a href="#/auctions" style="color:#fff">全部标的 →</a>
  </div>
  <div class="portal-body">
    <el-card v-if="!who" shadow="never">
      <template #header>竞买人实名登记</template>
      <el-form label-width="100px" style="max-width:520px" @submit.prevent="register">
        <el-form-item label="真实姓名"><el-input v-model="f.name" data-test="reg-name" /></el-form-item>
        <el-form-item label="身份证号码"><el-input v-model="f.id_number" maxlength="18" data-test="reg-id" /></el-form-item>
        <el-form-item label="手机号码"><el-input v-model="f.phone" maxlength="11" data-test="reg-phone" /></el-form-item>
        <el-form-item><el-checkbox v-model="f.agree" data-test="reg-agree">已阅读竞买须知：法院及平台工作人员及其近亲属不得竞买；悔拍的保证金不予退还</el-checkbox></el-form-item>
        <el-form-item><el-button type="primary" native-type="submit" :loading="f.busy" data-test="reg-submit">登记</el-button></el-form-item>
      </el-form>
    </el-card>
    <el-card v-else shadow="never">
      <template #header><span data-test="bidder-alias">{{ who.alias }}</span> · {{ who.name }} · {{ who.id_number }} <el-button size="small" style="float:right" @click="signOut">退出</el-button></template>
      <el-empty v-if="me && !me.deposits.length" description="尚未交纳保证金" :image-size="50" />
      <el-table v-else-if="me" :data="me.deposits" size="small" data-test="deposit-list">
        <el-table-column label="标的" min-width="220"><template #default="{ row }"><a :href="'#/auctions/' + row.lot_id">{{ row.title }}</a></template></el-table-column>
        <el-table-column label="保证金" align="right" width="140"><template #default="{ row }"><span class="money">{{ yuan(row.amount_fen) }}</span><div v-if="row.exempt_fen" class="muted" style="font-size:12px">申请执行人免交 {{ yuan(row.exempt_fen) }}</div></template></el-table-column>
        <el-table-column label="状态" width="140"><template #default="{ row }"><el-tag size="small" :type="row.status === 'held' ? 'warning' : row.status === 'forfeited' ? 'danger' : 'success'">{{ DEPOSIT[row.status] }}</el-tag><span v-if="row.winner" style="margin-left:4px">竞得</span></template></el-table-column>
        <el-table-column label="交纳时间" width="170"><template #default="{ row }">{{ cnTime(row.held_at) }}</template></el-table-column>
        <el-table-column label="退还时间" width="170"><template #default="{ row }">{{ row.released_at ? cnTime(row.released_at) : '—' }}</template></el-table-column>
      </el-table>
      <div class="muted" style="font-size:12px;margin-top:8px">未竞得的保证金在竞价结束后二十四小时内解冻退还（网拍规定第二十三条）。</div>
    </el-card>
  </div>
</div>`,
});
