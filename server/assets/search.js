// 检索: the search box, filters from facet counts, the monthly histogram, results and paging.

import * as api from "./api.js";
import {
  h,
  fill,
  num,
  FACETS,
  FILTER_FIELDS,
  fieldLabel,
  metaLine,
  recordHref,
  loading,
  empty,
  errorState,
  monthChart,
  monthEnd,
  ENTITY_KINDS,
} from "./ui.js";
import { pickBox, topicBar } from "./topic-form.js";

const PAGE_SIZES = [20, 50, 100];
const MAX_WINDOW = 10000;
const FACET_SHOWN = 6;
const expanded = new Set(); // facet groups showing all their values

const MODE_LABELS = {
  fulltext: "全文",
  text: "全文",
  keyword: "全文",
  lexical: "全文",
  bm25: "全文",
  semantic: "语义",
  vector: "语义",
  dense: "语义",
  hybrid: "混合",
};
const modeLabel = (m) => MODE_LABELS[m] || m;

/** The search state in the URL. */
function state(params) {
  const size = PAGE_SIZES.includes(Number(params.get("size"))) ? Number(params.get("size")) : 20;
  const page = Math.max(1, Math.floor(Number(params.get("page")) || 1));
  const filters = [];
  for (const f of FILTER_FIELDS) for (const v of params.getAll(f)) if (v) filters.push([f, v]);
  return {
    q: params.get("q") || "",
    sort: params.get("sort") || "relevance",
    from: params.get("from") || "",
    to: params.get("to") || "",
    mode: params.get("mode") || "",
    size,
    page,
    filters,
  };
}

/** URL params of a state (only what is set). */
function toParams(st) {
  const p = new URLSearchParams();
  if (st.q) p.set("q", st.q);
  for (const [f, v] of st.filters) p.append(f, v);
  if (st.from) p.set("from", st.from);
  if (st.to) p.set("to", st.to);
  if (st.sort && st.sort !== "relevance") p.set("sort", st.sort);
  if (st.mode) p.set("mode", st.mode);
  if (st.size !== 20) p.set("size", String(st.size));
  if (st.page > 1) p.set("page", String(st.page));
  return p;
}

/** API params of a state, without the filters of `except` (for that facet's own counts). */
function apiParams(st, { except = null, limit = st.size, offset = (st.page - 1) * st.size } = {}) {
  const p = new URLSearchParams();
  p.set("q", st.q);
  for (const [f, v] of st.filters) if (f !== except) p.append(f, v);
  if (st.from) p.set("from", st.from);
  if (st.to) p.set("to", st.to);
  if (st.sort !== "relevance") p.set("sort", st.sort);
  if (st.mode) p.set("mode", st.mode);
  p.set("limit", String(limit));
  p.set("offset", String(offset));
  return p;
}

let dom = null;
let lastParams = new URLSearchParams(); // the params of the latest render, for the form

function skeleton(root, ctx) {
  const q = h("input", {
    id: "q",
    class: "q-input",
    type: "search",
    name: "q",
    autocomplete: "off",
    placeholder: "输入关键词检索，如：广场舞 噪音",
    "aria-describedby": "syntax-hint",
    "data-autofocus": true,
  });
  const from = h("input", { id: "from", class: "field-input date-input", type: "date", name: "from", "aria-label": "起始日期" });
  const to = h("input", { id: "to", class: "field-input date-input", type: "date", name: "to", "aria-label": "截止日期" });
  const modeBox = h("div", { class: "mode-slot" });
  const form = h(
    "form",
    { class: "searchbar", role: "search", "aria-label": "检索" },
    h(
      "div",
      { class: "searchbar-row" },
      h("label", { for: "q", class: "visually-hidden" }, "检索词"),
      q,
      h("button", { class: "btn btn-primary btn-search", type: "submit" }, "检索"),
      modeBox,
      h("label", { class: "inline", for: "from" }, "日期"),
      from,
      h("span", { class: "muted" }, "至"),
      to,
    ),
    h(
      "div",
      { class: "searchbar-hint", id: "syntax-hint" },
      h("span", {}, "语法："),
      hint("广场舞 噪音", "空格 = 并且"),
      hint("\u201c夜间施工\u201d", "短语"),
      hint("噪音 -装修", "排除"),
      hint("region:青山区", "指定字段"),
      hint("路灯 OR 照明", "或者"),
      hint("(噪音 OR 扰民) 工地", "括号分组"),
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const st = state(lastParams);
    st.q = q.value.trim();
    st.from = from.value;
    st.to = to.value;
    st.page = 1;
    ctx.go("search", toParams(st));
  });

  const facets = h("aside", { class: "facets", "aria-label": "筛选条件" });
  const head = h("div", { class: "results-head" });
  const histogram = h("div", { class: "histogram-slot" });
  const list = h("div", { class: "hits-slot" });
  const pager = h("div", { class: "pager-slot" });
  const results = h("section", { class: "results", "aria-label": "检索结果" }, head, histogram, list, pager);
  fill(root, form, h("div", { class: "search-layout" }, facets, results));
  return { form, q, from, to, modeBox, facets, head, histogram, list, pager, results };
}

function hint(example, meaning) {
  return h("span", {}, h("code", {}, example), " ", meaning);
}

export async function render(root, route, ctx, { changed }) {
  const st = state(route.params);
  ctx.params = route.params;
  lastParams = route.params;
  if (changed || !dom || !root.contains(dom.form)) dom = skeleton(root, ctx);
  const d = dom;
  ctx.setTitle(st.q ? `检索：${st.q}` : "检索");

  if (document.activeElement !== d.q || d.q.value.trim() !== st.q) d.q.value = st.q;
  d.from.value = st.from;
  d.to.value = st.to;
  renderModes(d, st, ctx);

  // keep the old results, dimmed, while the new ones load
  if (!d.list.firstChild) d.list.append(loading("正在检索…"));
  d.results.classList.add("busy");
  d.results.setAttribute("aria-busy", "true");

  const offset = (st.page - 1) * st.size;
  const limit = Math.max(1, Math.min(st.size, MAX_WINDOW - offset));
  const main = api.search(apiParams(st, { limit, offset: Math.min(offset, MAX_WINDOW - 1) }));
  // a filtered facet shows the counts as if it were not filtered, so more values can be added
  const filtered = [...new Set(st.filters.map(([f]) => f))].filter((f) => FACETS.some(([n]) => n === f));
  const own = filtered.map((f) => api.search(apiParams(st, { except: f, limit: 1, offset: 0 })));
  const [res, ...owns] = await Promise.all([main, ...own]);
  if (!ctx.isCurrent()) return;
  d.results.classList.remove("busy");
  d.results.removeAttribute("aria-busy");

  if (!res.ok) {
    renderHead(d, st, null, ctx);
    fill(d.histogram);
    fill(d.pager);
    fill(
      d.list,
      errorState(res.error.code === "bad_query" ? "检索语句有误" : "检索失败", res.error),
      h("p", { class: "small muted" }, "请检查引号、括号是否成对，或参考检索框下方的语法说明。"),
    );
    fill(d.facets);
    return;
  }
  const data = res.data;
  d.answerMode = data.mode;
  for (const button of d.modeBox.querySelectorAll("button[data-mode]")) {
    button.setAttribute("aria-pressed", button.dataset.mode === (st.mode || data.mode) ? "true" : "false");
  }
  const facetCounts = { ...data.facets };
  filtered.forEach((f, i) => {
    if (owns[i].ok) facetCounts[f] = owns[i].data.facets[f] || [];
  });
  renderFacets(d, st, facetCounts, ctx);
  renderHead(d, st, data, ctx);
  renderHistogram(d, st, data, ctx);
  renderHits(d, st, data, ctx);
  renderPager(d, st, data, ctx);
}

function renderModes(d, st, ctx) {
  api.serverCapabilities().then((caps) => {
    if (!ctx.isCurrent()) return;
    // Only full-text search exists until the server announces a `mode` parameter.
    const modes = caps.modes || ["fulltext"];
    // Without a chosen mode, the server picks one (hybrid when it has a model): show the one the
    // last answer used, not the first button.
    const current = st.mode || d.answerMode || modes[0];
    const group = h(
      "div",
      { class: "mode-switch", role: "group", "aria-label": "检索方式" },
      modes.map((m) =>
        h(
          "button",
          {
            type: "button",
            "aria-pressed": m === current ? "true" : "false",
            "data-mode": m,
            title: caps.modes ? `${modeLabel(m)}检索` : "语义检索尚未启用，当前为全文检索",
            onclick: () => {
              if (!caps.modes) return;
              const next = state(ctx.params);
              next.mode = m;
              next.page = 1;
              ctx.go("search", toParams(next));
            },
          },
          modeLabel(m),
        ),
      ),
    );
    fill(d.modeBox, h("span", { id: "mode-label" }, "方式"), group);
    group.setAttribute("aria-labelledby", "mode-label");
  });
}

function renderFacets(d, st, facets, ctx) {
  const focused = document.activeElement;
  const refocus =
    focused && d.facets.contains(focused)
      ? { field: focused.dataset.field, value: focused.dataset.value, more: focused.dataset.more }
      : null;
  const selected = (f) => st.filters.filter(([n]) => n === f).map(([, v]) => v);
  const groups = [];
  for (const [field, label] of FACETS) {
    const chosen = selected(field);
    const values = [...(facets[field] || [])];
    for (const v of chosen) if (!values.some((x) => x.value === v)) values.push({ value: v, count: 0 });
    if (!values.length) continue;
    const open = expanded.has(field);
    const shown = open ? values : values.slice(0, FACET_SHOWN);
    // selected values stay visible even when collapsed
    for (const v of values) if (chosen.includes(v.value) && !shown.includes(v)) shown.push(v);
    const items = shown.map((v) => {
      const on = chosen.includes(v.value);
      return h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "facet-value",
            "aria-pressed": on ? "true" : "false",
            dataset: { field, value: v.value },
            title: `${label}：${v.value}（${v.count} 件）`,
            onclick: () => toggleFilter(ctx, field, v.value),
          },
          h("span", { class: "box", "aria-hidden": "true" }),
          h("span", { class: "label" }, v.value),
          h("span", { class: "count" }, num(v.count)),
        ),
      );
    });
    groups.push(
      h(
        "section",
        { class: "facet-group", dataset: { facet: field }, "aria-label": label },
        h("h3", {}, h("span", {}, label), chosen.length ? h("span", { class: "small muted" }, `已选 ${chosen.length}`) : null),
        h("ul", {}, items),
        values.length > FACET_SHOWN
          ? h(
              "div",
              { class: "facet-more" },
              h(
                "button",
                {
                  type: "button",
                  class: "link-button",
                  "aria-expanded": open ? "true" : "false",
                  dataset: { more: field },
                  onclick: () => {
                    if (open) expanded.delete(field);
                    else expanded.add(field);
                    renderFacets(d, st, facets, ctx);
                  },
                },
                open ? "收起" : `更多（共 ${values.length} 项）`,
              ),
            )
          : null,
      ),
    );
  }
  fill(d.facets, groups.length ? groups : h("div", { class: "facet-empty" }, "无可用筛选项"));
  if (refocus) {
    const sel = refocus.more
      ? `[data-more="${CSS.escape(refocus.more)}"]`
      : `[data-field="${CSS.escape(refocus.field || "")}"][data-value="${CSS.escape(refocus.value || "")}"]`;
    const again = d.facets.querySelector(sel);
    if (again) again.focus();
  }
}

function toggleFilter(ctx, field, value) {
  const st = state(ctx.params);
  const i = st.filters.findIndex(([f, v]) => f === field && v === value);
  if (i >= 0) st.filters.splice(i, 1);
  else st.filters.push([field, value]);
  st.page = 1;
  ctx.go("search", toParams(st));
}

function renderHead(d, st, data, ctx) {
  const chips = [];
  for (const [f, v] of st.filters) {
    chips.push(
      h(
        "button",
        {
          type: "button",
          class: "chip",
          title: "移除此筛选条件",
          dataset: { chipField: f, chipValue: v },
          onclick: () => toggleFilter(ctx, f, v),
        },
        `${fieldLabel(f)}：${v}`,
        h("span", { class: "x", "aria-hidden": "true" }, "×"),
        h("span", { class: "visually-hidden" }, "（移除）"),
      ),
    );
  }
  if (st.from || st.to) {
    chips.push(
      h(
        "button",
        {
          type: "button",
          class: "chip",
          title: "移除日期范围",
          onclick: () => {
            const next = state(ctx.params);
            next.from = "";
            next.to = "";
            next.page = 1;
            ctx.go("search", toParams(next));
          },
        },
        `日期：${st.from || "不限"} 至 ${st.to || "不限"}`,
        h("span", { class: "x", "aria-hidden": "true" }, "×"),
      ),
    );
  }
  if (chips.length > 1) {
    chips.push(
      h(
        "button",
        {
          type: "button",
          class: "link-button small",
          onclick: () => {
            const next = state(ctx.params);
            next.filters = [];
            next.from = "";
            next.to = "";
            next.page = 1;
            ctx.go("search", toParams(next));
          },
        },
        "清除全部筛选",
      ),
    );
  }
  const sort = h(
    "select",
    {
      id: "sort",
      class: "field-input",
      onchange: (e) => {
        const next = state(ctx.params);
        next.sort = e.target.value;
        next.page = 1;
        ctx.go("search", toParams(next));
      },
    },
    [
      ["relevance", "相关度"],
      ["newest", "最新"],
      ["oldest", "最早"],
    ].map(([v, t]) =>
      // without words there is no relevance: the server lists the newest first
      h("option", { value: v, selected: effectiveSort(st) === v, disabled: v === "relevance" && !st.q }, t),
    ),
  );
  const size = h(
    "select",
    {
      id: "size",
      class: "field-input",
      "aria-label": "每页条数",
      onchange: (e) => {
        const next = state(ctx.params);
        next.size = Number(e.target.value);
        next.page = 1;
        ctx.go("search", toParams(next));
      },
    },
    PAGE_SIZES.map((n) => h("option", { value: n, selected: st.size === n }, `每页 ${n} 条`)),
  );
  const total = data
    ? h(
        "div",
        { class: "results-total", id: "total", "data-total": data.total },
        "共 ",
        h("b", {}, num(data.total)),
        " 条",
        typeof data.took_ms === "number" ? h("span", { class: "muted small" }, `（用时 ${data.took_ms.toFixed(0)} 毫秒）`) : null,
      )
    : null;
  const mode = data && data.mode ? h("span", { class: "badge badge-blue" }, `检索方式：${modeLabel(data.mode)}`) : null;
  // the search as a saved selection, whatever page or order it is shown in
  const selection = apiParams(st);
  for (const k of ["limit", "offset", "sort"]) selection.delete(k);
  // How the query was read: malformed syntax taken as plain text (pasted titles with a lone （ or “).
  const notices =
    data && data.notices && data.notices.length
      ? h(
          "div",
          { class: "query-notices small muted", id: "notices", role: "status" },
          "部分符号已按普通文字检索：",
          h("ul", {}, data.notices.map((n) => h("li", {}, n))),
        )
      : null;
  fill(
    d.head,
    total,
    mode,
    notices,
    chips.length ? h("div", { class: "chips", "aria-label": "已选条件" }, chips) : null,
    h("div", { class: "sort" }, h("label", { for: "sort" }, "排序"), sort, size),
    data ? topicBar(selection, data.total, ctx) : null,
  );
}

function effectiveSort(st) {
  return st.sort === "relevance" && !st.q ? "newest" : st.sort;
}

function renderHistogram(d, st, data, ctx) {
  if (!data.histogram || !data.histogram.length) {
    fill(d.histogram);
    return;
  }
  const body = h("div", { class: "panel-body" });
  const panel = h(
    "div",
    { class: "panel histogram-panel" },
    h(
      "div",
      { class: "panel-head" },
      h("h2", {}, "按月件数"),
      h("span", { class: "aside" }, "点击柱形可按该月筛选"),
    ),
    body,
  );
  fill(d.histogram, panel);
  const width = body.clientWidth - 24 || 900;
  body.append(
    monthChart(data.histogram, {
      width,
      height: 92,
      href: (month) => {
        const next = state(ctx.params);
        next.from = `${month}-01`;
        next.to = monthEnd(month);
        next.page = 1;
        return ctx.routeHash("search", toParams(next));
      },
    }),
  );
}

function renderHits(d, st, data, ctx) {
  if (!data.hits.length) {
    const hasFilters = st.filters.length || st.from || st.to;
    fill(
      d.list,
      data.total > 0
        ? empty("本页没有结果", h("a", { href: ctx.routeHash("search", toParams({ ...st, page: 1 })) }, "回到第一页"))
        : empty(
            "没有找到符合条件的记录",
            "建议：减少关键词，检查错别字，或",
            hasFilters
              ? h(
                  "a",
                  { href: ctx.routeHash("search", toParams({ ...st, filters: [], from: "", to: "", page: 1 })) },
                  "清除筛选条件后重试",
                )
              : "换用近义词（如“扰民”“噪音”）",
            "。",
          ),
    );
    return;
  }
  const items = data.hits.map((hit) => {
    const r = hit.record;
    const extra = [];
    if (r.reply) extra.push(h("span", { class: "badge badge-green" }, "有答复"));
    if (r.likes) extra.push(h("span", {}, `点赞 ${num(r.likes)}`));
    if (typeof hit.score === "number" && st.sort === "relevance" && st.q) {
      extra.push(h("span", { class: "muted", title: "相关度得分" }, `相关度 ${hit.score.toFixed(2)}`));
    }
    return h(
      "li",
      { class: "hit", dataset: { id: hit.id } },
      h(
        "div",
        { class: "hit-title" },
        pickBox(hit.id),
        h("a", { href: recordHref(hit.id), class: "hit-link", html: hit.title_html || escapeText(hit.id) }),
        h("span", { class: "hit-id" }, hit.id),
      ),
      metaLine(r, extra),
      r.law ? h("div", { class: "hit-law" }, `${r.law}${r.article ? ` · ${r.article}` : ""}`) : null,
      h("p", { class: "hit-snippet", html: hit.snippet_html }),
      entityChips(hit.entities || [], (name) =>
        ctx.routeHash("search", toParams({ ...st, filters: [...st.filters, ["entity", name]], page: 1 })),
      ),
    );
  });
  fill(d.list, h("ol", { class: "hits", start: data.offset + 1 }, items));
}

/** The names a record gives, each a link that filters by it. */
export function entityChips(entities, hrefOf) {
  if (!entities.length) return null;
  return h(
    "div",
    { class: "chips entity-chips" },
    entities.slice(0, 6).map((e) =>
      h("a", { class: "chip entity", href: hrefOf(e.name), title: ENTITY_KINDS[e.kind] || e.kind }, e.name),
    ),
  );
}

function escapeText(t) {
  const div = document.createElement("div");
  div.textContent = t;
  return div.innerHTML;
}

function renderPager(d, st, data, ctx) {
  const reachable = Math.min(data.total, MAX_WINDOW);
  const pages = Math.max(1, Math.ceil(reachable / st.size));
  if (data.total <= st.size && st.page === 1) {
    fill(d.pager);
    return;
  }
  const link = (p, text, label) =>
    h("a", { href: ctx.routeHash("search", toParams({ ...st, page: p })), "aria-label": label || `第 ${p} 页` }, text);
  const items = [];
  items.push(st.page > 1 ? link(st.page - 1, "上一页", "上一页") : h("span", { class: "gap disabled" }, "上一页"));
  const window = new Set([1, pages, st.page - 2, st.page - 1, st.page, st.page + 1, st.page + 2]);
  let last = 0;
  for (let p = 1; p <= pages; p++) {
    if (!window.has(p)) continue;
    if (p - last > 1) items.push(h("span", { class: "gap" }, "…"));
    items.push(p === st.page ? h("span", { class: "current", "aria-current": "page" }, String(p)) : link(p, String(p)));
    last = p;
  }
  items.push(st.page < pages ? link(st.page + 1, "下一页", "下一页") : h("span", { class: "gap disabled" }, "下一页"));
  const first = data.offset + 1;
  const lastN = data.offset + data.hits.length;
  items.push(
    h(
      "span",
      { class: "pager-info", id: "range" },
      data.hits.length ? `第 ${num(first)}–${num(lastN)} 条，共 ${num(data.total)} 条` : "",
      data.total > MAX_WINDOW ? "（最多翻至第 10000 条，请缩小范围）" : "",
    ),
  );
  fill(d.pager, h("nav", { class: "pager", "aria-label": "分页" }, items));
}
