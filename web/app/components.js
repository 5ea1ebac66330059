// Small shared components.
import { view } from './view.js';

// deadline badge: level ok|warning|overdue with days left
export const DeadlineTag = view(import.meta.url, {
  props: { level: String, days: Number, done: Boolean },
  computed: {
    type() { return this.done ? 'info' : this.level === 'overdue' ? 'danger' : this.level === 'warning' ? 'warning' : 'success'; },
    text() {
      if (this.done) return '已完成';
      const d = this.days;
      if (d === null || d === undefined) return this.level === 'overdue' ? '已逾期' : this.level === 'warning' ? '临期' : '正常';
      if (d < 0) return `逾期 ${-d} 天`;
      if (d === 0) return '今日到期';
      return `剩 ${d} 天`;
    },
  },
  template: `<el-tag :type="type" size="small" :effect="level === 'overdue' && !done ? 'dark' : 'light'" class="nowrap">{{ text }}</el-tag>`,
});

// list of unmet conditions (终本 gate, closure conditions, credit gates)
export const UnmetList = view(import.meta.url, {
  props: { items: Array, title: String },
  template: `
<el-alert type="error" :closable="false" show-icon :title="title || '条件不满足'" data-test="unmet">
  <ul class="gate-list">
    <li v-for="(u, i) in items" :key="i">
      {{ u.message || u.label || u.condition }}
      <span v-if="u.article" class="article">【{{ u.article }}】</span>
    </li>
  </ul>
</el-alert>`,
});

// ECharts wrapper: <EChart :option="opt" height="320px" />
import * as echarts from 'echarts';
import { markRaw } from 'vue';
export const EChart = view(import.meta.url, {
  props: { option: Object, height: { type: String, default: '320px' } },
  data() { return { chart: null }; },
  mounted() {
    this.chart = markRaw(echarts.init(this.$refs.el, null, { locale: 'ZH', renderer: 'canvas' }));
    if (this.option) this.chart.setOption(this.option, true);
    this.onResize = () => this.chart && this.chart.resize();
    window.addEventListener('resize', this.onResize);
    this.ro = new ResizeObserver(this.onResize);
    this.ro.observe(this.$refs.el);
  },
  beforeUnmount() {
    window.removeEventListener('resize', this.onResize);
    if (this.ro) this.ro.disconnect();
    if (this.chart) this.chart.dispose();
  },
  watch: { option: { deep: true, handler(v) { if (this.chart && v) this.chart.setOption(v, true); } } },
  template: `<div ref="el" class="chart" :style="{ height: height }"></div>`,
});
