import { computed, reactive, ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { session, logout, post } from './api.js';
import { route, go, setQuery } from './router.js';
import { view } from './view.js';
import TotpEnrol from './totp-enrol.js';
import { NAV, ROLE_LABELS, allowed } from './roles.js';

export default view(import.meta.url, {
  components: { TotpEnrol },
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
    // change password (forced when the account must change it: new account or reset by secadmin)
    const pw = reactive({ open: false, old_password: '', new_password: '', again: '', busy: false, error: '' });
    const mustChange = computed(() => !!user.value.must_change_password);
    async function submitPw() {
      pw.error = '';
      if (!pw.old_password || !pw.new_password) { pw.error = '请填写原密码和新密码'; return; }
      if (pw.new_password !== pw.again) { pw.error = '两次输入的新密码不一致'; return; }
      const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(pw.new_password)).length;
      if (pw.new_password.length < 8 || classes < 3) { pw.error = '新密码至少 8 位，且包含大写字母、小写字母、数字、符号中的三类'; return; }
      pw.busy = true;
      try {
        await post('/auth/password', { old_password: pw.old_password, new_password: pw.new_password }, { quiet: true });
        Object.assign(pw, { open: false, old_password: '', new_password: '', again: '' });
        if (session.user) session.user.must_change_password = false;
        ElMessage.success('密码已修改');
      } catch (e) { pw.error = e.message; } finally { pw.busy = false; }
    }
    // a menu click always opens the page afresh, without the query string of the last visit
    // (filters reset), even when it is the page already shown
    const navKey = ref(0);
    function onNav(path) {
      if (path !== route.path) return go(path);
      setQuery({}); // same page: drop its query first, then mount it again
      navKey.value++;
    }
    return { user, roleLabels, nav, active, route, go, onNav, navKey, onLogout, routeAllowed, pw, mustChange, submitPw };
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
      <el-button size="small" text class="logout" @click="pw.open = true">修改密码</el-button>
      <el-button size="small" text class="logout" data-test="logout" @click="onLogout">
        <el-icon><icon-switch-button /></el-icon>退出
      </el-button>
    </div>
  </el-header>
  <el-alert v-if="user.demo" class="demo-banner" type="warning" :closable="false" show-icon data-test="demo-banner"
    title="演示账户：当前登录的是演示数据中的账户，案件与当事人信息均为模拟数据，请勿用于实际办案。" />
  <el-container class="shell-body">
    <el-aside width="188px" class="shell-aside">
      <el-menu :default-active="active" class="nav" @select="onNav">
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
      <component v-else :is="route.def.component" :key="route.path + '#' + navKey" />
    </el-main>
  </el-container>
  <totp-enrol />
  <el-dialog :model-value="pw.open || mustChange" :title="mustChange ? '首次登录或密码已重置，请先修改密码' : '修改密码'" width="420px"
    :show-close="!mustChange" :close-on-click-modal="false" :close-on-press-escape="!mustChange" @close="pw.open = false" data-test="password-dialog">
    <el-form label-width="90px" @submit.prevent="submitPw">
      <el-form-item label="原密码"><el-input v-model="pw.old_password" type="password" show-password autocomplete="current-password" /></el-form-item>
      <el-form-item label="新密码"><el-input v-model="pw.new_password" type="password" show-password autocomplete="new-password" /></el-form-item>
      <el-form-item label="确认新密码"><el-input v-model="pw.again" type="password" show-password autocomplete="new-password" @keyup.enter="submitPw" /></el-form-item>
    </el-form>
    <div class="muted" style="font-size:12px">至少 8 位，包含大写字母、小写字母、数字、符号中的三类。</div>
    <el-alert v-if="pw.error" :title="pw.error" type="error" :closable="false" show-icon style="margin-top:8px" />
    <template #footer>
      <el-button v-if="mustChange" @click="onLogout">退出</el-button>
      <el-button v-else @click="pw.open = false">取消</el-button>
      <el-button type="primary" :loading="pw.busy" @click="submitPw">确定</el-button>
    </template>
  </el-dialog>
</el-container>
`,
});
