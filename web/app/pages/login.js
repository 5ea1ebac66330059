import { reactive, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { login } from '../api.js';
import { route } from '../router.js';
import { view } from '../view.js';

export default view(import.meta.url, {
  setup() {
    const form = reactive({ username: '', password: '', totp: '', recovery: '' });
    const mfa = reactive({ asked: false, useRecovery: false });
    const formRef = ref();
    const busy = ref(false);
    const error = ref('');
    const rules = {
      username: [{ required: true, message: '请输入用户名', trigger: 'blur' }],
      password: [{ required: true, message: '请输入密码', trigger: 'blur' }],
    };
    async function submit() {
      error.value = '';
      try { await formRef.value.validate(); } catch { return; }
      busy.value = true;
      try {
        const extra = !mfa.asked ? {} : mfa.useRecovery ? { recovery_code: form.recovery.trim() } : { totp: form.totp.trim() };
        await login(form.username.trim(), form.password, extra);
        form.password = '';
        form.totp = '';
        form.recovery = '';
        location.hash = '#' + (route.query.next || '/');
      } catch (e) {
        if (e.code === 'TOTP_REQUIRED') { mfa.asked = true; return; } /* second step: the code */
        error.value = e.message;
        if (e.code === 'ACCOUNT_LOCKED') ElMessage.error(e.message);
      } finally {
        busy.value = false;
      }
    }
    return { form, formRef, rules, busy, error, submit, mfa };
  },
  template: `
<div class="login-page">
  <div class="login-card">
    <div class="login-head">
      <span class="brand-mark big">执</span>
      <div>
        <div class="login-title">执行案件办理平台</div>
        <div class="login-sub">人民法院执行工作专用 · 请使用本人账户登录</div>
      </div>
    </div>
    <el-form ref="formRef" :model="form" :rules="rules" label-position="top" @submit.prevent="submit">
      <el-form-item label="用户名" prop="username">
        <el-input v-model="form.username" data-test="username" autocomplete="username" placeholder="请输入用户名" size="large">
          <template #prefix><el-icon><icon-user /></el-icon></template>
        </el-input>
      </el-form-item>
      <el-form-item label="密码" prop="password">
        <el-input v-model="form.password" data-test="password" type="password" show-password autocomplete="current-password"
          placeholder="请输入密码" size="large" @keyup.enter="submit">
          <template #prefix><el-icon><icon-lock /></el-icon></template>
        </el-input>
      </el-form-item>
      <el-form-item v-if="mfa.asked && !mfa.useRecovery" label="动态口令">
        <el-input v-model="form.totp" data-test="totp" maxlength="6" autocomplete="one-time-code" inputmode="numeric"
          placeholder="手机身份验证器显示的 6 位数字" size="large" @keyup.enter="submit" />
      </el-form-item>
      <el-form-item v-if="mfa.asked && mfa.useRecovery" label="恢复码">
        <el-input v-model="form.recovery" data-test="recovery-code" placeholder="绑定时保存的恢复码，如 ABCDE-FGHJK" size="large" @keyup.enter="submit" />
      </el-form-item>
      <div v-if="mfa.asked" class="login-mfa-switch">
        <el-link type="primary" @click="mfa.useRecovery = !mfa.useRecovery">{{ mfa.useRecovery ? '使用动态口令' : '手机不在身边？使用恢复码' }}</el-link>
      </div>
      <el-alert v-if="error" :title="error" type="error" :closable="false" show-icon class="login-error" data-test="login-error" />
      <el-button type="primary" size="large" class="login-btn" native-type="submit" :loading="busy" data-test="login">登 录</el-button>
    </el-form>
    <div class="login-foot">
      连续 5 次密码错误将锁定账户 30 分钟。
      <a href="#/public">失信被执行人公开查询 →</a>
    </div>
  </div>
</div>
`,
});
