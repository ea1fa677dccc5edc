// DOM helpers, formatting, state panels and small SVG charts. No dependencies.

const SVG_NS = "http://www.w3.org/2000/svg";

/** Builds an element: h("a", {href: "#"}, "text", child). Text is always set as text, never HTML. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Builds an SVG element. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.setAttribute("class", v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "html") el.innerHTML = v; // only for the server's pre-escaped *_html fields
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// ---------- labels and formatting ----------

export const FACETS = [
  ["kind", "类型"],
  ["channel", "渠道"],
  ["site", "联系点/站点"],
  ["region", "区县"],
  ["category", "分类"],
  ["law", "法规"],
  ["article", "条款"],
  ["status", "状态"],
  ["entity", "地名/单位"],
];

/** Chinese names of the kinds of learned names. */
export const ENTITY_KINDS = {
  area: "区域",
  estate: "小区",
  road: "道路",
  village: "村社",
  school: "学校",
  hospital: "医院",
  organisation: "单位",
  authority: "机关",
  place: "场所",
  programme: "项目",
  name: "名称",
};

export const FIELD_LABELS = {
  id: "编号",
  title: "标题",
  content: "内容",
  kind: "类型",
  channel: "渠道",
  site: "联系点/站点",
  region: "区县",
  submitted_at: "提交时间",
  law: "法规",
  article: "条款",
  category: "分类",
  status: "状态",
  entity: "地名/单位",
  submitter: "提交人",
  likes: "点赞数",
  reply: "答复",
  // common extra columns
  handling_department: "承办单位",
  phone_masked: "联系电话（脱敏）",
};

export const FILTER_FIELDS = [...FACETS.map(([f]) => f), "submitter"];

export function fieldLabel(name) {
  return FIELD_LABELS[name] || name;
}

const nf = new Intl.NumberFormat("zh-CN");
export function num(n) {
  return typeof n === "number" ? nf.format(n) : "—";
}

/** "2024-05-01T08:30:00" or "2024-05-01 08:30:00" → "2024-05-01 08:30"; midnight → the date only. */
export function dateTime(v) {
  if (!v) return "";
  const t = String(v).replace("T", " ");
  const [d, time] = t.split(" ");
  if (!time || time.startsWith("00:00:00")) return d;
  return `${d} ${time.slice(0, 5)}`;
}

export function dateOnly(v) {
  return v ? String(v).slice(0, 10) : "";
}

export function statusBadge(status) {
  if (!status) return null;
  const cls = /已办结|已答复|已回复|办结/.test(status)
    ? "badge badge-green"
    : /办理中|已受理|处理中/.test(status)
      ? "badge badge-blue"
      : /待/.test(status)
        ? "badge badge-amber"
        : "badge";
  return h("span", { class: cls }, status);
}

/** The metadata line of a record: kind · region · site · date · status. */
export function metaLine(record, extra) {
  const parts = [];
  if (record.kind) parts.push(h("span", {}, record.kind));
  if (record.channel) parts.push(h("span", {}, record.channel));
  if (record.region) parts.push(h("span", {}, record.region));
  if (record.site) parts.push(h("span", {}, record.site));
  if (record.submitted_at) parts.push(h("span", { class: "num" }, dateTime(record.submitted_at)));
  if (record.status) parts.push(h("span", {}, statusBadge(record.status)));
  if (extra) parts.push(...extra.filter(Boolean).map((x) => h("span", {}, x)));
  return h("div", { class: "meta" }, parts);
}

/** "第三十五条" → 35, "第12条" → 12; unknown → Infinity (sorted last). */
export function articleNumber(text) {
  const m = /第([零〇一二两三四五六七八九十百千\d]+)条/.exec(text || "");
  if (!m) return Infinity;
  const t = m[1];
  if (/^\d+$/.test(t)) return Number(t);
  const digits = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  const units = { 十: 10, 百: 100, 千: 1000 };
  let total = 0;
  let current = 0;
  for (const ch of t) {
    if (ch in digits) current = digits[ch];
    else if (ch in units) {
      total += (current || 1) * units[ch];
      current = 0;
    }
  }
  return total + current;
}

export function recordHref(id) {
  return `#/record/${encodeURIComponent(id)}`;
}

// ---------- states ----------

export function loading(text = "正在加载…") {
  return h("div", { class: "state state-loading", role: "status" }, text);
}

export function empty(title, ...detail) {
  return h(
    "div",
    { class: "state state-empty", role: "status" },
    h("div", { class: "state-title" }, title),
    detail.length ? h("div", { class: "small" }, detail) : null,
  );
}

/** The server's error: its message as it sent it, and its code. */
export function errorState(title, err) {
  return h(
    "div",
    { class: "state state-error", role: "alert" },
    h("div", { class: "state-title" }, title, err && err.code ? h("span", { class: "state-code" }, err.code) : null),
    h("div", { class: "error-message" }, err ? err.message : ""),
  );
}

export function unavailable(title, ...detail) {
  return h(
    "div",
    { class: "state state-unavailable", role: "status" },
    h("div", { class: "state-title" }, title),
    detail.length ? h("div", { class: "small muted" }, detail) : null,
  );
}

// ---------- charts ----------

/** All months from the first to the last of `months` ("2024-05"), with 0 where absent. */
export function fillMonths(rows) {
  if (!rows || !rows.length) return [];
  const counts = new Map(rows.map((r) => [r.month, r.count]));
  const sorted = rows.map((r) => r.month).sort();
  let [y, m] = sorted[0].split("-").map(Number);
  const [ly, lm] = sorted[sorted.length - 1].split("-").map(Number);
  const out = [];
  while (y < ly || (y === ly && m <= lm)) {
    const key = `${y}-${String(m).padStart(2, "0")}`;
    out.push({ month: key, count: counts.get(key) || 0 });
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
    if (out.length > 600) break;
  }
  return out;
}

function niceMax(n) {
  if (n <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const k of [1, 2, 2.5, 5, 10]) if (k * p >= n) return k * p;
  return 10 * p;
}

/**
 * A monthly bar chart. `href(month)` makes each bar a link (keyboard-focusable), or null.
 */
export function monthChart(rows, { width = 1000, height = 96, href = null, label = "每月件数" } = {}) {
  const data = fillMonths(rows);
  const W = Math.max(200, Math.floor(width));
  const left = 30;
  const bottom = 18;
  const top = 6;
  const H = height;
  const max = niceMax(Math.max(1, ...data.map((d) => d.count)));
  const plotW = W - left - 4;
  const plotH = H - bottom - top;
  const step = data.length ? plotW / data.length : plotW;
  const barW = Math.max(1, Math.min(28, step * 0.72));
  const svg = s("svg", {
    class: "chart",
    width: W,
    height: H,
    viewBox: `0 0 ${W} ${H}`,
    role: "img",
    "aria-label": `${label}：${data.map((d) => `${d.month} ${d.count}件`).join("，")}`,
  });
  for (const frac of [0.5, 1]) {
    const y = top + plotH * (1 - frac);
    svg.append(s("line", { class: "grid", x1: left, x2: W, y1: y, y2: y }));
    svg.append(s("text", { class: "tick", x: left - 4, y: y + 3, "text-anchor": "end" }, String(max * frac)));
  }
  svg.append(s("line", { class: "axis", x1: left, x2: W, y1: top + plotH, y2: top + plotH }));
  data.forEach((d, i) => {
    const x = left + i * step + (step - barW) / 2;
    const bh = (d.count / max) * plotH;
    const bar = s(
      "rect",
      { class: "bar", x, y: top + plotH - bh, width: barW, height: Math.max(bh, d.count ? 1 : 0) },
      s("title", {}, `${d.month}：${d.count} 件`),
    );
    // a taller transparent target so thin bars are easy to click
    const hit = s("rect", { x: left + i * step, y: top, width: step, height: plotH, fill: "transparent" });
    if (href && d.count) {
      svg.append(
        s("a", { href: href(d.month), "aria-label": `${d.month}：${d.count} 件` }, hit, bar),
      );
    } else {
      svg.append(hit, bar);
    }
    const [yy, mm] = d.month.split("-");
    const every = data.length > 36 ? 6 : data.length > 18 ? 3 : 1;
    if (mm === "01" || i === 0 || (Number(mm) - 1) % every === 0) {
      const text = mm === "01" || i === 0 ? `${yy}.${mm}` : mm;
      svg.append(
        s("text", { class: "tick", x: left + i * step + step / 2, y: H - 5, "text-anchor": "middle" }, text),
      );
    }
  });
  return svg;
}

/** A small line chart of counts (e.g. per week). */
export function sparkline(values, { width = 120, height = 28, spike = false, label = "" } = {}) {
  const vals = values.length ? values : [0];
  const max = Math.max(1, ...vals);
  const step = vals.length > 1 ? (width - 4) / (vals.length - 1) : 0;
  const pts = vals.map((v, i) => [2 + i * step, height - 3 - (v / max) * (height - 6)]);
  const line = pts.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join("");
  const area = `${line}L${pts[pts.length - 1][0].toFixed(1)},${height - 1}L2,${height - 1}Z`;
  const [lx, ly] = pts[pts.length - 1];
  return s(
    "svg",
    {
      class: spike ? "sparkline spike" : "sparkline",
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-label": label || `趋势：${vals.join("，")}`,
    },
    s("path", { class: "area", d: area }),
    s("path", { class: "line", d: line }),
    s("circle", { class: "last", cx: lx, cy: ly, r: 2.2 }),
  );
}

/** A list of values with horizontal bars. `href(value)` links each name. */
export function barList(rows, { href = null, limit = 12 } = {}) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return h(
    "ul",
    { class: "barlist" },
    rows.slice(0, limit).map((r) =>
      h(
        "li",
        {},
        h("span", { class: "name", title: r.value }, href ? h("a", { href: href(r.value) }, r.value) : r.value),
        h("span", { class: "track", "aria-hidden": "true" }, h("span", { class: "fill", style: `width:${(100 * r.count) / max}%`, })),
        h("span", { class: "n" }, num(r.count)),
      ),
    ),
  );
}

/** The last day of month "2024-05" → "2024-05-31". */
export function monthEnd(month) {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(d).padStart(2, "0")}`;
}
