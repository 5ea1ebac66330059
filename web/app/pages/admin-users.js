import { reactive, ref, onMounted } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';
import { get, post, put, session, hasRole } from '../api.js';
import { route, setQuery } from '../router.js';
import { view } from '../view.js';
import { ROLE_LABELS } from '../roles.js';

const BUSINESS = ['filing_clerk', 'judge', 'assistant', 'clerk', 'finance', 'command', 'chief'];
const ADMINS = ['sysadmin', 'secadmin', 'auditor'];

export default view(import.meta.url, {
  setup() {
    const isSys = hasRole('sysadmin');
    const isSec = hasRole('secadmin');
    const courts = ref([]);
    const court = ref(route.query.court || (session.user.court ? session.user.court.code : ''));
    const users = ref([]);
    const loading = ref(false);
    const filter = ref('');

    async function load() {
      setQuery({ court: court.value });
      loading.value = true;
      try { users.value = (await get('/users', { court: court.value })).users || []; } catch { users.value = []; } finally { loading.value = false; }
    }
    // create (sysadmin)
    const cr = reactive({ open: false, username: '', display_name: '', court: '', busy: false, error: '' });
    function openCreate() { Object.assign(cr, { open: true, username: '', display_name: '', court: court.value, error: '' }); }
    async function submitCreate() {
      cr.error = '';
      if (!/^[a-z0-9_.-]{3,64}$/.test(cr.username)) { cr.error = '用户名须为 3–64 位小写字母、数字、下划线、点或连字符'; return; }
      if (!cr.display_name.trim()) { cr.error = '请填写姓名'; return; }
      cr.busy = true;
      try {
        const r = await post('/users', { username: cr.username, display_name: cr.display_name.trim(), court: cr.court }, { quiet: true });
        cr.open = false;
        await showSecret('账户已创建', r.username, r.initial_password, r.note);
        load();
      } catch (e) { cr.error = e.message; } finally { cr.busy = false; }
    }
    function showSecret(title, username, pw, note) {
      return ElMessageBox.alert(`用户名：${username}\n初始密码：${pw}\n\n${note || '初始密码仅显示这一次，请当面或通过安全渠道交给本人；首次登录须修改密码。'}`,
        title, { confirmButtonText: '我已记录', type: 'warning', customClass: 'secret-box' }).catch(() => {});
    }
    // roles (secadmin)
    const rl = reactive({ open: false, user: null, roles: [], busy: false, error: '' });
    function openRoles(u) { Object.assign(rl, { open: true, user: u, roles: [...(u.roles || [])], error: '' }); }
    async function submitRoles() {
      rl.busy = true; rl.error = '';
      try {
        await put(`/users/${rl.user.id}/roles`, { roles: rl.roles }, { quiet: true });
        rl.open = false; ElMessage.success('角色已更新，该用户的会话已注销'); load();
      } catch (e) { rl.error = e.message; } finally { rl.busy = false; }
    }
    async function unlock(u) {
      try { await post(`/users/${u.id}/unlock`, {}); ElMessage.success('已解锁：' + u.username); load(); } catch { /* shown */ }
    }
    async function resetPw(u) {
      try { await ElMessageBox.confirm(`确定重置 ${u.display_name}（${u.username}）的密码？其现有会话将被注销。`, '重置密码', { type: 'warning' }); } catch { return; }
      try { const r = await post(`/users/${u.id}/reset-password`, {}); await showSecret('密码已重置', u.username, r.initial_password); load(); } catch { /* shown */ }
    }
    async function toggleDisabled(u) {
      const dis = !u.disabled;
      try { await ElMessageBox.confirm(`确定${dis ? '停用' : '启用'}账户 ${u.username}？`, dis ? '停用账户' : '启用账户', { type: 'warning' }); } catch { return; }
      try { await put(`/users/${u.id}/disabled`, { disabled: dis }); ElMessage.success(dis ? '已停用' : '已启用'); load(); } catch { /* shown */ }
    }
    const shown = () => users.value.filter((u) => !filter.value || u.username.includes(filter.value) || (u.display_name || '').includes(filter.value));
    onMounted(async () => {
      try { courts.value = (await get('/courts', null, { quiet: true })).courts || []; } catch { /* */ }
      load();
    });
    return { isSys, isSec, courts, court, users, loading, filter, shown, load, cr, openCreate, submitCreate, rl, openRoles, submitRoles,
      unlock, resetPw, toggleDisabled, ROLE_LABELS, BUSINESS, ADMINS };
  },
  template: `
<div class="page">
  <div class="page-head">
    <h2>用户管理</h2>
    <span class="muted">三员分立：系统管理员创建/停用账户，安全管理员分配角色、解锁、重置密码</span>
  </div>
  <el-card shadow="never">
    <div class="toolbar">
      <span>法院</span>
      <el-select v-model="court" filterable style="width:260px" @change="load">
        <el-option v-for="c in courts" :key="c.code" :value="c.code" :label="c.name + '（' + c.code + '）'" />
      </el-select>
      <el-input v-model="filter" placeholder="按用户名或姓名筛选" clearable style="width:200px" />
      <span class="spacer" style="flex:1" />
      <el-button v-if="isSys" type="primary" @click="openCreate" data-test="user-create">新建账户</el-button>
    </div>
    <el-table :data="shown()" v-loading="loading" size="small" border stripe data-test="user-table">
      <el-table-column label="用户名" prop="username" min-width="170" />
      <el-table-column label="姓名" prop="display_name" width="100" />
      <el-table-column label="角色" min-width="200">
        <template #default="{ row }">
          <el-tag v-for="l in row.role_labels" :key="l" size="small" style="margin-right:4px">{{ l }}</el-tag>
          <span v-if="!row.roles || !row.roles.length" class="muted">未分配</span>
        </template>
      </el-table-column>
      <el-table-column label="状态" width="150">
        <template #default="{ row }">
          <el-tag v-if="row.disabled" type="info" size="small">已停用</el-tag>
          <el-tag v-else-if="row.locked" type="danger" size="small">已锁定</el-tag>
          <el-tag v-else type="success" size="small">正常</el-tag>
          <el-tag v-if="row.demo" type="warning" size="small" effect="plain" style="margin-left:4px">演示</el-tag>
        </template>
      </el-table-column>
      <el-table-column label="连续失败" prop="failed_count" width="80" align="right" />
      <el-table-column label="操作" width="260">
        <template #default="{ row }">
          <template v-if="isSec">
            <el-button size="small" link type="primary" @click="openRoles(row)">分配角色</el-button>
            <el-button size="small" link type="primary" :disabled="!row.locked" @click="unlock(row)">解锁</el-button>
            <el-button size="small" link type="warning" @click="resetPw(row)">重置密码</el-button>
          </template>
          <el-button v-if="isSys" size="small" link :type="row.disabled ? 'primary' : 'danger'" @click="toggleDisabled(row)">{{ row.disabled ? '启用' : '停用' }}</el-button>
        </template>
      </el-table-column>
    </el-table>
  </el-card>

  <el-dialog v-model="cr.open" title="新建账户" width="460px">
    <el-form label-width="80px" @submit.prevent="submitCreate">
      <el-form-item label="用户名" required><el-input v-model="cr.username" placeholder="小写字母、数字、下划线" data-test="new-username" /></el-form-item>
      <el-form-item label="姓名" required><el-input v-model="cr.display_name" data-test="new-display-name" /></el-form-item>
      <el-form-item label="法院" required>
        <el-select v-model="cr.court" filterable style="width:100%"><el-option v-for="c in courts" :key="c.code" :value="c.code" :label="c.name" /></el-select>
      </el-form-item>
    </el-form>
    <div class="muted">系统生成初始密码并仅显示一次；角色由安全管理员分配。</div>
    <el-alert v-if="cr.error" :title="cr.error" type="error" :closable="false" show-icon style="margin-top:8px" />
    <template #footer><el-button @click="cr.open = false">取消</el-button><el-button type="primary" :loading="cr.busy" @click="submitCreate" data-test="new-submit">创建</el-button></template>
  </el-dialog>

  <el-dialog v-model="rl.open" :title="'分配角色：' + (rl.user ? rl.user.display_name + '（' + rl.user.username + '）' : '')" width="520px">
    <div class="muted" style="margin-bottom:6px">业务角色（可多选）</div>
    <el-checkbox-group v-model="rl.roles">
      <el-checkbox v-for="r in BUSINESS" :key="r" :value="r">{{ ROLE_LABELS[r] }}</el-checkbox>
    </el-checkbox-group>
    <div class="muted" style="margin:10px 0 6px">管理员角色（三员互斥，且不得兼任业务角色）</div>
    <el-checkbox-group v-model="rl.roles">
      <el-checkbox v-for="r in ADMINS" :key="r" :value="r">{{ ROLE_LABELS[r] }}</el-checkbox>
    </el-checkbox-group>
    <el-alert v-if="rl.error" :title="rl.error" type="error" :closable="false" show-icon style="margin-top:10px" />
    <template #footer><el-button @click="rl.open = false">取消</el-button><el-button type="primary" :loading="rl.busy" @click="submitRoles">保存</el-button></template>
  </el-dialog>
</div>
`,
});
