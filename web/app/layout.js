import { computed } from 'vue';
import { ElMessageBox } from 'element-plus';
import { session, logout } from './api.js';
import { route, go } from './router.js';
import { view } from './view.js';
import { NAV, ROLE_LABELS, allowed } from './roles.js';

export default view(import.meta.url, {
  setup() {
    const user = computed(() => session.user || {});
    const roleLabels = computed(() => {
      const u = user.value;
      if (u.role_labels && u.role_labels.length) return u.role_labels;
      return (u.roles || []).map((r) => ROLE_LABELS[r] || r);
    });
    const nav = computed(() => NAV.map((g) => ({
      group: g.group,
      items: g.items.filter((i) => allowed(i.roles, user.value.roles)),
    })).filter((g) => g.items.length));
    const active = computed(() => {
      const p = route.path;
      let best = '/';
      for (const g of NAV) for (const i of g.items) {
        if ((p === i.path || p.startsWith(i.path + '/')) && i.path.length > best.length) best = i.path;
      }
      if (p.startsWith('/cases/')) return '/cases';
      return best;
    });
    const routeAllowed = computed(() => {
      for (const g of NAV) for (const i of g.items) if (i.path === route.path) return allowed(i.roles, user.value.roles);
      return true;
    });
    async function onLogout() {
      try {
        await ElMessageBox.confirm('确定要退出登录吗？', '退出', { confirmButtonText: '退出', cancelButtonText: '取消', type: 'warning' });
      } catch { return; }
      await logout();
    }
    return { user, roleLabels, nav, active, route, go, onLogout, routeAllowed };
  },
  template: `
<el-container class="shell">
  <el-header class="shell-header" height="52px">
    <div class="brand" @click="go('/')">
      <span class="brand-mark">执</span>
      <span class="brand-title">执行案件办理平台</span>
    </div>
    <div class="header-user">
      <span class="court" data-test="user-court">{{ user.court ? user.court.name : '' }}</span>
      <el-divider direction="vertical" />
      <span class="user-name" data-test="user-name">{{ user.display_name || user.username }}</span>
      <el-tag v-for="l in roleLabels" :key="l" size="small" effect="plain" class="role-tag" data-test="role-label">{{ l }}</el-tag>
      <el-button size="small" text class="logout" data-test="logout" @click="onLogout">
        <el-icon><icon-switch-button /></el-icon>退出
      </el-button>
    </div>
  </el-header>
  <el-alert v-if="user.demo" class="demo-banner" type="warning" :closable="false" show-icon data-test="demo-banner"
    title="演示账户：当前登录的是演示数据中的账户，案件与当事人信息均为模拟数据，请勿用于实际办案。" />
  <el-container class="shell-body">
    <el-aside width="188px" class="shell-aside">
      <el-menu :default-active="active" class="nav" @select="go">
        <el-menu-item-group v-for="g in nav" :key="g.group" :title="g.group">
          <el-menu-item v-for="i in g.items" :key="i.path" :index="i.path" :data-test="'nav-' + i.path">
            <el-icon><component :is="'Icon' + i.icon" /></el-icon>
            <span>{{ i.title }}</span>
          </el-menu-item>
        </el-menu-item-group>
      </el-menu>
    </el-aside>
    <el-main class="shell-main">
      <el-result v-if="!route.def" icon="warning" title="页面不存在" sub-title="请从左侧菜单进入需要的功能。" />
      <el-result v-else-if="!routeAllowed" icon="error" title="无权访问" sub-title="您的角色没有使用此功能的权限。" />
      <component v-else :is="route.def.component" :key="route.path" />
    </el-main>
  </el-container>
</el-container>
`,
});
