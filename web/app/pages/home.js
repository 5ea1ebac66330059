import { computed, ref, onMounted } from 'vue';
import { session, get } from '../api.js';
import { go } from '../router.js';
import { view } from '../view.js';
import { NAV, allowed } from '../roles.js';

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
    onMounted(async () => {
      if (!caseStaff.value) return;
      try { counts.value = (await get('/todo', { limit: 1 }, { quiet: true })).counts || null; } catch { counts.value = null; }
    });
    return { user, shortcuts, greet, go, counts };
  },
  template: `
<div class="page">
  <div class="page-head">
    <h2>{{ greet }}，{{ user.display_name || user.username }}</h2>
    <span class="muted">{{ user.court && user.court.name }}（{{ user.court && user.court.code }}）</span>
  </div>
  <div v-if="counts" class="kpis" data-test="home-todo">
    <div class="kpi clickable" @click="go('/todo?level=overdue')"><div class="k-label">已逾期</div><div class="k-value dl-overdue">{{ counts.overdue || 0 }}</div></div>
    <div class="kpi clickable" @click="go('/todo?level=warning')"><div class="k-label">临期预警</div><div class="k-value dl-warn">{{ counts.warning || 0 }}</div></div>
    <div class="kpi clickable" @click="go('/todo')"><div class="k-label">全部待办</div><div class="k-value">{{ (counts.overdue || 0) + (counts.warning || 0) + (counts.ok || 0) }}</div></div>
  </div>
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
