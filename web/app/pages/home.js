import { computed } from 'vue';
import { session } from '../api.js';
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
    return { user, shortcuts, greet, go };
  },
  template: `
<div class="page">
  <div class="page-head">
    <h2>{{ greet }}，{{ user.display_name || user.username }}</h2>
    <span class="muted">{{ user.court && user.court.name }}（{{ user.court && user.court.code }}）</span>
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
