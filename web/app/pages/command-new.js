// 指挥中心 — 登记与发起 (issue 14 §1–5): a superior court's 督办函 and 约谈, a court's 事项委托 and 协调
// request, the petition desk, the duty roster and the urgent-matter log.
import { ref, reactive, watch } from 'vue';
import { get, post, session } from '../api.js';
import { route, go } from '../router.js';
import { view } from '../view.js';
import { today } from '../fmt.js';
import { SOURCES, TASKS, CHANNELS, URGENT_KINDS } from './command-meta.js';

export default view(import.meta.url, {
  setup() {
    const tab = ref(route.query.tab || 'petition');
    const msg = ref('');
    const sup = reactive({ case_no: '', source: 'complaint', complaint_on: today(), due_on: '', request: '' });
    const com = reactive({ case_no: '', to_court: '', task: 'freeze_deposit', request: '', documents: '协助执行通知书、执行裁定书' });
    const route_ = ref(null);
    const pet = reactive({ court: '', channel: 'visit', petitioner_name: '', case_no: '', received_on: '', content: '' });
    const coo = reactive({ case_no: '', other_court: '', other_case_no: '', asset: '', dispute: '' });
    const duty = reactive({ court: '', user_id: '', range: [], role_note: '值班' });
    const urg = reactive({ kind: 'debtor_located', summary: '', location: '', case_no: '' });
    const itv = reactive({ court: '', person: '', title: '执行局长', held_on: '', reason: '', outcome: '' });
    const users = ref([]);
    const clean = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== '' && v !== null && v !== undefined));
    async function submit(path, body, list) {
      msg.value = '';
      try {
        await post(path, clean(body));
        msg.value = '已提交';
        if (list) go('/command/list/' + list);
      } catch { /* api() shows the error */ }
    }
    async function lookupRoute() {
      route_.value = null;
      try { route_.value = await get('/command/route', { code: com.to_court }, { quiet: true }); } catch (e) { route_.value = { error: e.message }; }
    }
    async function loadUsers() {
      try { users.value = (await get('/users', { court: duty.court || (session.user && session.user.court.code) }, { quiet: true })).users || []; } catch { users.value = []; }
    }
    const sendCommission = () => submit('/command/commissions', { ...com, documents: com.documents.split(/[、,，]/).map((x) => x.trim()).filter(Boolean) }, 'commissions');
    const addDuty = () => submit('/command/duty', { court: duty.court, user_id: duty.user_id, role_note: duty.role_note,
      starts_ms: duty.range && duty.range[0] ? new Date(duty.range[0]).getTime() : null,
      ends_ms: duty.range && duty.range[1] ? new Date(duty.range[1]).getTime() : null }, 'duty');
    watch(() => route.query.tab, (v) => { if (v) tab.value = v; });
    loadUsers();
    return { tab, msg, sup, com, route_, pet, coo, duty, urg, itv, users, submit, lookupRoute, loadUsers, sendCommission, addDuty,
      SOURCES, TASKS, CHANNELS, URGENT_KINDS };
  },
  template: `
<div class="page">
  <div class="page-head"><h2>登记与发起</h2><span class="muted">督办、事项委托、信访、协调、值班、紧急事项、约谈</span></div>
  <el-alert v-if="msg" :title="msg" type="success" show-icon :closable="false" style="margin-bottom:12px" />
  <el-card shadow="never">
    <el-tabs v-model="tab">
      <el-tab-pane label="信访登记" name="petition">
        <el-form label-width="110px" style="max-width:640px">
          <el-form-item label="法院代字"><el-input v-model="pet.court" placeholder="默认本院；上级交办填下级法院" /></el-form-item>
          <el-form-item label="渠道"><el-select v-model="pet.channel"><el-option v-for="[v, l] in CHANNELS" :key="v" :value="v" :label="l" /></el-select></el-form-item>
          <el-form-item label="信访人" required><el-input v-model="pet.petitioner_name" data-test="pet-name" /></el-form-item>
          <el-form-item label="关联案号"><el-input v-model="pet.case_no" /></el-form-item>
          <el-form-item label="收到日期"><el-date-picker v-model="pet.received_on" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
          <el-form-item label="信访内容" required><el-input v-model="pet.content" type="textarea" :rows="3" data-test="pet-content" /></el-form-item>
          <el-button type="primary" @click="submit('/command/petitions', pet, 'petitions')" data-test="pet-submit">登记</el-button>
        </el-form>
      </el-tab-pane>
      <el-tab-pane label="督办函" name="supervision">
        <el-form label-width="110px" style="max-width:640px">
          <el-form-item label="下级法院案号" required><el-input v-model="sup.case_no" data-test="sup-case" /></el-form-item>
          <el-form-item label="督办来源"><el-select v-model="sup.source"><el-option v-for="[v, l] in SOURCES" :key="v" :value="v" :label="l" /></el-select></el-form-item>
          <el-form-item label="反映日期"><el-date-picker v-model="sup.complaint_on" value-format="YYYY-MM-DD" /></el-form-item>
          <el-form-item label="报告期限"><el-date-picker v-model="sup.due_on" value-format="YYYY-MM-DD" placeholder="默认发函后30日" /></el-form-item>
          <el-form-item label="督办事项" required><el-input v-model="sup.request" type="textarea" :rows="3" data-test="sup-request" /></el-form-item>
          <el-button type="primary" @click="submit('/command/supervision', sup, 'supervision')" data-test="sup-submit">发出督办函</el-button>
        </el-form>
      </el-tab-pane>
      <el-tab-pane label="事项委托" name="commission">
        <el-form label-width="110px" style="max-width:640px">
          <el-form-item label="本院案号" required><el-input v-model="com.case_no" /></el-form-item>
          <el-form-item label="受托法院代字" required>
            <el-input v-model="com.to_court" style="width:160px" @change="lookupRoute" />
            <span v-if="route_ && route_.path" class="muted" style="margin-left:8px">{{ route_.path.map((p) => p.name).join(' › ') }}</span>
            <span v-if="route_ && route_.error" style="color:#dc2626;margin-left:8px">{{ route_.error }}</span>
          </el-form-item>
          <el-form-item label="委托事项"><el-select v-model="com.task"><el-option v-for="[v, l] in TASKS" :key="v" :value="v" :label="l" /></el-select></el-form-item>
          <el-form-item label="具体要求" required><el-input v-model="com.request" type="textarea" :rows="3" /></el-form-item>
          <el-form-item label="随附材料" required><el-input v-model="com.documents" placeholder="以顿号分隔" /></el-form-item>
          <el-button type="primary" @click="sendCommission">发出委托</el-button>
        </el-form>
      </el-tab-pane>
      <el-tab-pane label="执行协调" name="coordination">
        <el-form label-width="110px" style="max-width:640px">
          <el-form-item label="本院案号" required><el-input v-model="coo.case_no" /></el-form-item>
          <el-form-item label="对方法院代字" required><el-input v-model="coo.other_court" /></el-form-item>
          <el-form-item label="对方案号"><el-input v-model="coo.other_case_no" /></el-form-item>
          <el-form-item label="争议财产" required><el-input v-model="coo.asset" /></el-form-item>
          <el-form-item label="争议事由" required><el-input v-model="coo.dispute" type="textarea" :rows="3" /></el-form-item>
          <el-button type="primary" @click="submit('/command/coordination', coo, 'coordination')">报请共同上级法院协调</el-button>
        </el-form>
      </el-tab-pane>
      <el-tab-pane label="值班排班" name="duty">
        <el-form label-width="110px" style="max-width:640px">
          <el-form-item label="法院代字"><el-input v-model="duty.court" placeholder="默认本院" @change="loadUsers" /></el-form-item>
          <el-form-item label="值班人员" required>
            <el-select v-model="duty.user_id" filterable><el-option v-for="u in users" :key="u.id" :value="String(u.id)" :label="u.display_name" /></el-select>
          </el-form-item>
          <el-form-item label="起止时间" required><el-date-picker v-model="duty.range" type="datetimerange" /></el-form-item>
          <el-form-item label="岗位"><el-input v-model="duty.role_note" /></el-form-item>
          <el-button type="primary" @click="addDuty">排班</el-button>
        </el-form>
      </el-tab-pane>
      <el-tab-pane label="紧急事项" name="urgent">
        <el-form label-width="110px" style="max-width:640px">
          <el-form-item label="类型"><el-select v-model="urg.kind"><el-option v-for="[v, l] in URGENT_KINDS" :key="v" :value="v" :label="l" /></el-select></el-form-item>
          <el-form-item label="事项" required><el-input v-model="urg.summary" type="textarea" :rows="2" /></el-form-item>
          <el-form-item label="地点"><el-input v-model="urg.location" /></el-form-item>
          <el-form-item label="案号"><el-input v-model="urg.case_no" /></el-form-item>
          <el-button type="primary" @click="submit('/command/urgent', urg, 'urgent')">登记并派给值班人员</el-button>
        </el-form>
      </el-tab-pane>
      <el-tab-pane label="约谈" name="interview">
        <el-form label-width="110px" style="max-width:640px">
          <el-form-item label="下级法院代字" required><el-input v-model="itv.court" /></el-form-item>
          <el-form-item label="被约谈人" required><el-input v-model="itv.person" /></el-form-item>
          <el-form-item label="职务"><el-input v-model="itv.title" /></el-form-item>
          <el-form-item label="约谈日期"><el-date-picker v-model="itv.held_on" value-format="YYYY-MM-DD" placeholder="默认今天" /></el-form-item>
          <el-form-item label="约谈事由" required><el-input v-model="itv.reason" type="textarea" :rows="2" /></el-form-item>
          <el-form-item label="约谈结果" required><el-input v-model="itv.outcome" type="textarea" :rows="2" /></el-form-item>
          <el-button type="primary" @click="submit('/command/interviews', itv, 'interviews')">记录约谈</el-button>
        </el-form>
      </el-tab-pane>
    </el-tabs>
  </el-card>
</div>
`,
});
