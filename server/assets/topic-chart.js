// The before/after chart of a topic: its matter's records per week, before assignment and after,
// with each period's weekly average drawn across it and the day of assignment marked. Inline SVG.

import { s } from "./ui.js";

function niceMax(n) {
  if (n <= 4) return 4;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const k of [1, 2, 2.5, 5, 10]) if (k * p >= n) return k * p;
  return 10 * p;
}

/** `trend`: {assigned, weekly: [{start, count, after}], before_per_week, after_per_week, summary}. */
export function beforeAfterChart(trend, { width = 640, height = 180 } = {}) {
  const weeks = trend.weekly || [];
  const W = Math.max(240, Math.floor(width));
  const H = height;
  const [left, right, top, bottom] = [34, 8, 18, 22];
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const max = niceMax(Math.max(1, ...weeks.map((w) => w.count), trend.before_per_week, trend.after_per_week));
  const step = weeks.length ? plotW / weeks.length : plotW;
  const barW = Math.max(2, Math.min(24, step * 0.7));
  const y = (v) => top + plotH * (1 - v / max);
  const svg = s("svg", {
    class: "chart trend-chart",
    id: "topic-chart",
    width: W,
    height: H,
    viewBox: `0 0 ${W} ${H}`,
    role: "img",
    "aria-label": `${trend.summary}。每周件数：${weeks.map((w) => `${w.start} ${w.count}件`).join("，")}`,
  });
  for (const frac of [0.5, 1]) {
    svg.append(s("line", { class: "grid", x1: left, x2: W - right, y1: y(max * frac), y2: y(max * frac) }));
    svg.append(s("text", { class: "tick", x: left - 4, y: y(max * frac) + 3, "text-anchor": "end" }, String(max * frac)));
  }
  svg.append(s("line", { class: "axis", x1: left, x2: W - right, y1: y(0), y2: y(0) }));
  const firstAfter = weeks.findIndex((w) => w.after);
  weeks.forEach((w, i) => {
    const x = left + i * step + (step - barW) / 2;
    const bh = (w.count / max) * plotH;
    svg.append(
      s(
        "rect",
        { class: w.after ? "bar after" : "bar before", x, y: y(0) - bh, width: barW, height: Math.max(bh, w.count ? 1 : 0) },
        s("title", {}, `${w.start} 起一周：${w.count} 件（交办${w.after ? "后" : "前"}）`),
      ),
    );
  });
  // each period's weekly average, across that period
  const split = firstAfter < 0 ? weeks.length : firstAfter;
  const avg = (from, to, value, cls, label) => {
    if (to <= from) return;
    const [x1, x2] = [left + from * step, left + to * step];
    svg.append(s("line", { class: `avg ${cls}`, x1, x2, y1: y(value), y2: y(value) }));
    svg.append(s("text", { class: `tick avg-label ${cls}`, x: x2 - 2, y: y(value) - 4, "text-anchor": "end" }, label));
  };
  avg(0, split, trend.before_per_week, "before", `交办前周均 ${round(trend.before_per_week)}`);
  avg(split, weeks.length, trend.after_per_week, "after", `交办后周均 ${round(trend.after_per_week)}`);
  if (firstAfter >= 0) {
    const x = left + firstAfter * step;
    svg.append(s("line", { class: "assigned-line", x1: x, x2: x, y1: top - 8, y2: y(0) }));
    svg.append(s("text", { class: "tick assigned-label", x: x + 4, y: top - 8 }, `交办 ${trend.assigned}`));
  }
  // the first week, and the last
  if (weeks.length) {
    svg.append(s("text", { class: "tick", x: left, y: H - 6 }, weeks[0].start));
    svg.append(s("text", { class: "tick", x: W - right, y: H - 6, "text-anchor": "end" }, weeks[weeks.length - 1].start));
  }
  return svg;
}

function round(x) {
  const t = Math.round(x * 10) / 10;
  return Number.isInteger(t) ? String(t) : t.toFixed(1);
}
