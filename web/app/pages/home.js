import { computed, ref, onMounted } from 'vue';
import { session, get } from '../api.js';
import { go } from '../router.js';
import { view } from '../view.js';
import { NAV, allowed } from '../roles.js';
import { yuan, today } from '../fmt.js';

export default view(import.meta.url, {
  setup() {
    const user = computed(() => session.user || {});
    const shortcuts = computed(() => NAV.flatMap((g) => g.items)
      .filter((i) => i.path !== '/' && allowed(i.roles, user.value.roles)));
    const hour = new Date().getHours();
    const greet = hour < 11 ? '上午好' : hour < 13 ? '中午好' : hour < 18 ? '下午好' : '晚上好';
    // deadline summary for case staff (GET /todo counts): what needs attention first
    const counts = ref(null);
    const caseStaff = computed(() => allowed(['judge', 'assistant', 'clerk', 'chief', 'command'], user.value.roles));
    const chief = computed(() => allowed(['chief'], user.value.roles));
    const business = computed(() => allowed(['judge', 'assistant', 'clerk', 'chief', 'command', 'finance', 'filing_clerk'], user.value.roles));
    // approvals: what waits for this chief's signature; for others, what they submitted and still waits
    const approvals = ref(null);
    const todoLink = ref('/todo');
    // finance staff: the money waiting for them (unclaimed arrivals, approved payouts to pay, payouts
    // overdue under the court's rule) — their own work on their home page (issue 9 item 9)
    const finance = computed(() => allowed(['finance'], user.value.roles));
    const funds = ref(null);
    async function loadFunds() {
      try {
        const [arr, pay, od] = await Promise.all([get('/funds/arrivals', { status: 'unidentified' }, { quiet: true }),
          get('/funds/payouts', { status: 'approved' }, { quiet: true }), get('/funds/overdue', {}, { quiet: true })]);
        funds.value = { unidentified: arr.items.length, approved: pay.items.length, overdue: od.overdue_cases || 0 };
      } catch { funds.value = null; }
    }
    // the 执行局长: money past its payout limit escalated to them (src/funds/alerts.c) and not yet paid out —
    // the list a chief checks every week, on their own home page (issue 11 item 4)
    const escalations = ref(null);
    const daysPast = (due) => Math.max(0, Math.round((Date.parse(today()) - Date.parse(due)) / 86400e3));
    onMounted(async () => {
      if (chief.value) {
        get('/funds/alerts', { open: 1, stage: 'overdue' }, { quiet: true })
          .then((a) => { escalations.value = a.items; }).catch(() => { escalations.value = null; });
      }
      if (business.value) {
        get('/approvals', { scope: chief.value ? 'decide' : 'submitted', status: 'pending', page_size: 5 }, { quiet: true })
          .then((a) => { approvals.value = a; }).catch(() => { approvals.value = null; });
      }
      if (finance.value) loadFunds();
      if (!caseStaff.value) return;
      // command staff and chiefs (issue 9 item 11): the deadlines of their court and the courts below (their
      // work is overseeing them); a judge, assistant or clerk: their own
      const command = allowed(['command', 'chief'], user.value.roles) && !allowed(['judge', 'assistant', 'clerk'], user.value.roles);
      const q = command ? { page_size: 1, court: user.value.court && user.value.court.code, subordinates: 1 } : { page_size: 1 };
      todoLink.value = command ? '/todo?scope=courts' : '/todo';
      try { counts.value = (await get('/todo', q, { quiet: true })).counts || null; } catch { counts.value = null; }
    });
    return { user, shortcuts, greet, go, counts, approvals, chief, todoLink, funds, escalations, daysPast, yuan };
  },
  template: `
<div class="page">
  <div class="page-head">
    <h2>{{ greet }}，{{ user.display_name || user.username }}</h2>
    <span class="muted">{{ user.court && user.court.name }}（{{ user.court && user.court.code }}）</span>
  </div>
  <div v-if="counts" class="kpis" data-test="home-todo">
    <div class="kpi clickable" @click="go(todoLink + (todoLink.includes('?') ? '&' : '?') + 'level=overdue')"><div class="k-label">已逾期</div><div class="k-value dl-overdue">{{ counts.overdue || 0 }}</div></div>
    <div class="kpi clickable" @click="go(todoLink + (todoLink.includes('?') ? '&' : '?') + 'level=warning')"><div class="k-label">临期预警</div><div class="k-value dl-warn">{{ counts.warning || 0 }}</div></div>
    <div class="kpi clickable" @click="go(todoLink)"><div class="k-label">全部待办</div><div class="k-value">{{ (counts.overdue || 0) + (counts.warning || 0) + (counts.ok || 0) }}</div></div>
  </div>
  <div v-if="funds" class="kpis" data-test="home-funds">
    <div class="kpi clickable" @click="go('/funds')"><div class="k-label">待认领到账</div><div class="k-value dl-warn">{{ funds.unidentified }}</div></div>
    <div class="kpi clickable" @click="go('/funds')"><div class="k-label">已批准待付款</div><div class="k-value">{{ funds.approved }}</div></div>
    <div class="kpi clickable" @click="go('/funds')"><div class="k-label">超期未发放案件</div><div class="k-value dl-overdue">{{ funds.overdue }}</div></div>
  </div>
  <el-card v-if="approvals && (chief || approvals.total)" shadow="never" class="home-approvals" data-test="home-approvals">
    <template #header>
      <div class="card-head">
        <span>{{ chief ? '待我审批' : '我提交的待审批事项' }}</span>
        <el-badge :value="approvals.total" :hidden="!approvals.total" type="danger" />
        <span class="spacer" />
        <el-button size="small" text type="primary" @click="go('/approvals')">全部审批事项</el-button>
      </div>
    </template>
    <el-table v-if="approvals.items.length" :data="approvals.items" size="small" @row-click="(r) => go('/approvals')">
      <el-table-column label="事项" prop="kind_label" min-width="140" />
      <el-table-column label="案号" min-width="190"><template #default="{ row }">{{ row.case_no || '—' }}</template></el-table-column>
      <el-table-column label="内容" prop="summary" min-width="220" show-overflow-tooltip />
      <el-table-column label="已等待" width="80"><template #default="{ row }">{{ row.age_days }} 天</template></el-table-column>
    </el-table>
    <el-empty v-else description="暂无待审批事项" :image-size="50" />
  </el-card>
  <el-card v-if="chief && escalations" shadow="never" class="home-approvals" data-test="home-funds-escalations">
    <template #header>
      <div class="card-head">
        <span>执行款超期未发放（已报执行局长）</span>
        <el-badge :value="escalations.length" :hidden="!escalations.length" type="danger" />
        <span class="spacer" />
        <el-button size="small" text type="primary" @click="go('/funds?tab=overdue')">超期未发放清单</el-button>
      </div>
    </template>
    <el-table v-if="escalations.length" :data="escalations.slice(0, 8)" size="small" @row-click="(r) => go('/cases/' + r.case_id + '/funds')">
      <el-table-column label="案号" prop="case_no" min-width="190" />
      <el-table-column label="承办人" width="100"><template #default="{ row }">{{ row.handler_name || '未分配' }}</template></el-table-column>
      <el-table-column label="应发放日" prop="due_on" width="110" />
      <el-table-column label="已超期" width="90"><template #default="{ row }">{{ daysPast(row.due_on) }} 天</template></el-table-column>
      <el-table-column label="在账金额" width="140" align="right"><template #default="{ row }">{{ yuan(row.held_fen) }}</template></el-table-column>
    </el-table>
    <div v-if="escalations.length > 8" class="muted" style="margin-top:6px">另有 {{ escalations.length - 8 }} 案，见超期未发放清单。</div>
    <el-empty v-if="!escalations.length" description="暂无超期未发放的执行款" :image-size="50" />
  </el-card>
  <el-card shadow="never" header="常用功能">
    <div class="shortcuts">
      <div v-for="s in shortcuts" :key="s.path" class="shortcut" @click="go(s.path)" :data-test="'shortcut-' + s.path">
        <el-icon :size="22"><component :is="'Icon' + s.icon" /></el-icon>
        <span>{{ s.title }}</span>
      </div>
    </div>
    <el-empty v-if="!shortcuts.length" description="当前角色暂无可用功能" :image-size="60" />
  </el-card>
</div>
`,
});
