import { createApp, watch } from 'vue';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/locale/zh-cn';
import * as Icons from '@element-plus/icons-vue';
import { session, loadMe } from './api.js';
import { route, setRoutes, startRouter } from './router.js';
import { view } from './view.js';
import Layout from './layout.js';
import Login from './pages/login.js';

setRoutes([
  { path: '/login', component: Login, public: true, bare: true, title: '登录' },
  { path: '/public', load: () => import('./pages/public.js'), public: true, bare: true, title: '失信被执行人公开查询' },
  { path: '/auctions', load: () => import('./pages/auction-list.js'), public: true, bare: true, title: '网络司法拍卖' },
  { path: '/my-case', load: () => import('./pages/portal-party.js'), public: true, bare: true, title: '当事人查询' },
  { path: '/open', load: () => import('./pages/portal-open.js'), public: true, bare: true, title: '执行公开平台' },
  { path: '/open/stats', load: () => import('./pages/portal-stats.js'), public: true, bare: true, title: '执行工作公开统计' },
  { path: '/portal-inbox', load: () => import('./pages/portal-inbox.js'), title: '当事人来件' },
  { path: '/auctions/bidder', load: () => import('./pages/auction-bidder.js'), public: true, bare: true, title: '竞买人中心' },
  { path: '/auctions/:id', load: () => import('./pages/auction-lot.js'), public: true, bare: true, title: '拍卖标的' },
  { path: '/', load: () => import('./pages/home.js'), title: '首页' },
  { path: '/todo', load: () => import('./pages/todo.js'), title: '我的待办' },
  { path: '/approvals', load: () => import('./pages/approvals.js'), title: '审批事项' },
  { path: '/cases', load: () => import('./pages/cases.js'), title: '案件查询' },
  { path: '/cases/:id', load: () => import('./pages/case.js'), title: '案件详情' },
  { path: '/cases/:id/disposal', load: () => import('./pages/auction-disposal.js'), title: '财产处置' },
  { path: '/cases/:id/assets', load: () => import('./pages/inquiry-assets.js'), title: '财产查控' },
  { path: '/cases/:id/funds', load: () => import('./pages/funds-case.js'), title: '案款账户' },
  { path: '/funds', load: () => import('./pages/funds-desk.js'), title: '案款管理' },
  { path: '/funds/import', load: () => import('./pages/funds-import.js'), title: '对账单导入' },
  { path: '/controls', load: () => import('./pages/inquiry-controls.js'), title: '控制措施登记簿' },
  { path: '/inquiry-monitor', load: () => import('./pages/inquiry-stats.js'), title: '查控运行监控' },
  { path: '/filing', load: () => import('./pages/filing.js'), title: '立案' },
  { path: '/import', load: () => import('./pages/import.js'), title: '历史导入' },
  { path: '/indicators', load: () => import('./pages/indicators.js'), title: '质效指标' },
  { path: '/command', load: () => import('./pages/command-dashboard.js'), title: '指挥中心' },
  { path: '/command/list/:kind', load: () => import('./pages/command-list.js'), title: '指挥中心列表' },
  { path: '/command/new', load: () => import('./pages/command-new.js'), title: '登记与发起' },
  { path: '/credit/dishonest', load: () => import('./pages/credit-dishonest.js'), title: '失信名单' },
  { path: '/credit/restrictions', load: () => import('./pages/credit-restrictions.js'), title: '限制消费' },
  { path: '/credit/corrections', load: () => import('./pages/credit-corrections.js'), title: '纠错申请' },
  { path: '/credit/special', load: () => import('./pages/credit-special.js'), title: '特殊主体' },
  { path: '/credit/interceptions', load: () => import('./pages/credit-interceptions.js'), title: '拦截统计' },
  { path: '/credit/partners', load: () => import('./pages/credit-partners.js'), title: '合作方密钥' },
  { path: '/admin/users', load: () => import('./pages/admin-users.js'), title: '用户管理' },
  { path: '/admin/audit', load: () => import('./pages/admin-audit.js'), title: '审计日志' },
]);

const Root = view(import.meta.url, {
  components: { Layout },
  setup() {
    return { route, session };
  },
  template: `
<component v-if="route.def && route.def.bare" :is="route.def.component" :key="route.path" />
<div v-else-if="!session.checked" class="boot">正在加载…</div>
<Layout v-else-if="session.user" />
<div v-else class="boot">正在跳转到登录页…</div>
`,
});

const app = createApp(Root);
app.use(ElementPlus, { locale: zhCn, size: 'default' });
for (const [name, comp] of Object.entries(Icons)) app.component('Icon' + name, comp);
app.config.errorHandler = (err) => { console.error(err); };

startRouter();
watch(() => route.def && route.def.title, (t) => { document.title = (t ? t + ' - ' : '') + '执行案件办理平台'; }, { immediate: true });

// not signed in → login (except public pages); signed in on /login → home
watch(() => [route.path, session.checked, session.user], () => {
  if (!session.checked) return;
  const pub = route.def && route.def.public;
  if (!session.user && !pub) {
    const next = route.full && route.full !== '/' ? '?next=' + encodeURIComponent(route.full) : '';
    location.hash = '#/login' + next;
  } else if (session.user && route.path === '/login') {
    location.hash = '#' + (route.query.next || '/');
  }
}, { immediate: true });

loadMe();
app.mount('#app');
