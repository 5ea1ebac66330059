// Second-factor enrolment (src/account/totp.h): administrators and chiefs who have not bound an
// authenticator yet see this dialog right after login and can do nothing else until it is done —
// scan the QR code (or type the key), confirm with one 6-digit code, keep the 10 recovery codes.
import { computed, reactive, watch } from 'vue';
import { session, post } from './api.js';
import { view } from './view.js';

export default view(import.meta.url, {
  setup() {
    const st = reactive({ busy: false, error: '', secret: '', svg: '', code: '', codes: [] });
    const open = computed(() => !!(session.user && session.user.totp_enrolment_required && !session.user.must_change_password));
    async function start() {
      st.error = '';
      st.busy = true;
      try {
        const r = await post('/auth/totp/enrol', {}, { quiet: true });
        st.secret = r.secret;
        st.svg = r.qr_svg;
      } catch (e) { st.error = e.message; } finally { st.busy = false; }
    }
    watch(open, (v) => { if (v && !st.secret && !st.codes.length) start(); }, { immediate: true });
    async function confirm() {
      st.error = '';
      if (!/^\d{6}$/.test(st.code)) { st.error = '请输入手机应用显示的 6 位数字'; return; }
      st.busy = true;
      try {
        const r = await post('/auth/totp/confirm', { code: st.code }, { quiet: true });
        st.codes = r.recovery_codes;
        st.secret = '';
        st.svg = '';
      } catch (e) { st.error = e.message; } finally { st.busy = false; }
    }
    function done() {
      st.codes = [];
      st.code = '';
      if (session.user) session.user.totp_enrolment_required = false;
      location.reload();
    }
    const grouped = computed(() => st.secret.replace(/(.{4})/g, '$1 ').trim());
    return { st, open, confirm, done, grouped };
  },
  template: `
<el-dialog :model-value="open" title="绑定动态口令（双因素认证）" width="460px" :show-close="false"
  :close-on-click-modal="false" :close-on-press-escape="false" data-test="totp-dialog">
  <template v-if="!st.codes.length">
    <p class="totp-hint">管理员和院（局）领导登录须使用动态口令。请用手机上的身份验证器应用扫描下方二维码，然后输入应用显示的 6 位数字。</p>
    <div class="totp-qr" v-if="st.svg" v-html="st.svg" data-test="totp-qr"></div>
    <p v-if="st.secret" class="totp-key">无法扫码时手动输入密钥：<code data-test="totp-secret">{{ grouped }}</code></p>
    <el-input v-model="st.code" maxlength="6" placeholder="6 位动态口令" size="large" data-test="totp-code" @keyup.enter="confirm" />
    <el-alert v-if="st.error" :title="st.error" type="error" :closable="false" show-icon style="margin-top:12px" />
  </template>
  <template v-else>
    <p class="totp-hint">绑定成功。以下 10 个恢复码每个只能使用一次，手机丢失时可代替动态口令登录。请立即抄写或打印并妥善保管，此后不再显示。</p>
    <ol class="totp-codes" data-test="totp-recovery"><li v-for="c in st.codes" :key="c"><code>{{ c }}</code></li></ol>
  </template>
  <template #footer>
    <el-button v-if="!st.codes.length" type="primary" :loading="st.busy" @click="confirm" data-test="totp-confirm">确认绑定</el-button>
    <el-button v-else type="primary" @click="done" data-test="totp-done">我已保存恢复码</el-button>
  </template>
</el-dialog>
`,
});
