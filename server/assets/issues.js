// 热点问题: recurring issues ranked by heat, their weekly trend, spread and spikes; one issue's
// members; CSV and Markdown export. Built against GET /api/issues and GET /api/issues/{id}.

import * as api from "./api.js";
import {
  h,
  fill,
  num,
  FACETS,
  dateOnly,
  dateTime,
  statusBadge,
  metaLine,
  recordHref,
  loading,
  empty,
  errorState,
  unavailable,
  sparkline,
  monthChart,
  barList,
} from "./ui.js";
import { issueTopicButton } from "./topic-form.js";

const LIMITS = [20, 50, 100];
const FILTERS = FACETS.map(([f]) => f).concat(["submitter"]);

export async function render(root, route, ctx) {
  if (route.segments.length) return renderIssue(root, route.segments[0], route.params, ctx);
  return renderList(root, route.params, ctx);
}

function listParams(params) {
  const p = new URLSearchParams();
  if (params.get("q")) p.set("q", params.get("q"));
  for (const f of FILTERS) for (const v of params.getAll(f)) if (v) p.append(f, v);
  for (const k of ["from", "to"]) if (params.get(k)) p.set(k, params.get(k));
  const limit = Number(params.get("limit"));
  p.set("limit", String(LIMITS.includes(limit) ? limit : 20));
  return p;
}

let facetCache = null;
function facetValues() {
  if (!facetCache) facetCache = api.search([["limit", "1"]]).then((r) => (r.ok ? r.data.facets : {}));
  return facetCache;
}

async function renderList(root, params, ctx) {
  ctx.setTitle("热点问题");
  const p = listParams(params);
  const actions = h("div", { class: "actions" });
  const title = h(
    "div",
    { class: "view-title" },
    h("h1", {}, "热点问题"),
    h("p", {}, "将内容相近、反复出现的来件归并为问题，按热度排序；可查看每周趋势、区县分布与突增情况。"),
    actions,
  );
  const toolbarSlot = h("div");
  const listSlot = h("div", {}, loading("正在归并热点问题…"));
  fill(root, title, toolbarSlot, listSlot);

  const [res, facets] = await Promise.all([api.issues(p), facetValues()]);
  if (!ctx.isCurrent()) return;
  if (api.isMissingEndpoint(res)) {
    fill(toolbarSlot);
    fill(
      listSlot,
      unavailable(
        "热点问题功能尚未启用",
        "服务器尚未提供热点问题接口（/api/issues）。启用后，此处将按热度列出反复出现的问题及其趋势。",
        "目前可在“检索”中按区县、分类筛选，并查看按月件数。",
      ),
    );
    listSlot.firstChild.id = "issues-unavailable";
    return;
  }
  fill(toolbarSlot, toolbar(p, facets, ctx));
  fill(actions, exportLinks(p));
  if (!res.ok) {
    fill(listSlot, errorState("热点问题加载失败", res.error));
    return;
  }
  const issues = (res.data && res.data.issues) || [];
  if (!issues.length) {
    fill(listSlot, empty("当前条件下没有归并出热点问题", "可放宽区县、类型或日期范围后重试。"));
    return;
  }
  fill(listSlot, summaryLine(res.data), categorySpikes(res.data, ctx), issueTable(issues, p));
}

function summaryLine(data) {
  if (typeof data.total_records !== "number") return null;
  return h(
    "p",
    { class: "small muted", id: "issues-summary", style: "margin:0 0 8px" },
    `在 ${num(data.total_records)} 件来件中归并出 ${num(data.total_issues)} 个问题，覆盖 ${num(data.grouped_records)} 件`,
    data.as_of ? `；增长与突增统计截至 ${data.as_of}` : "",
    "。",
    data.stale
      ? h("span", { id: "issues-stale", role: "status" }, "新来件正在归并，此列表为稍早的结果，稍后刷新可见最新。")
      : "",
  );
}

function categorySpikes(data, ctx) {
  const spikes = data.category_spikes || [];
  if (!spikes.length) return null;
  return h(
    "div",
    { class: "notice", role: "note" },
    h("b", {}, "分类突增："),
    spikes.slice(0, 5).map((s, i) => [
      i ? "；" : "",
      h("a", { href: ctx.routeHash("search", [["category", s.category], ["sort", "newest"]]) }, s.category),
      ` ${s.week} 周 ${num(s.count)} 件（此前周均 ${Number(s.baseline).toFixed(1)} 件）`,
    ]),
  );
}

function toolbar(p, facets, ctx) {
  const select = (field, label) => {
    const values = (facets && facets[field]) || [];
    const current = p.get(field) || "";
    return h(
      "label",
      {},
      label,
      h(
        "select",
        {
          class: "field-input",
          name: field,
          onchange: (e) => {
            const next = new URLSearchParams(p);
            next.delete(field);
            if (e.target.value) next.set(field, e.target.value);
            ctx.go("issues", next);
          },
        },
        h("option", { value: "" }, "全部"),
        values.map((v) => h("option", { value: v.value, selected: v.value === current }, `${v.value}（${v.count}）`)),
      ),
    );
  };
  const q = h("input", { type: "search", class: "field-input", name: "q", value: p.get("q") || "", placeholder: "关键词（可选）", style: "width:150px" });
  const from = h("input", { type: "date", class: "field-input", name: "from", value: p.get("from") || "", "aria-label": "起始日期" });
  const to = h("input", { type: "date", class: "field-input", name: "to", value: p.get("to") || "", "aria-label": "截止日期" });
  const apply = () => {
    const next = new URLSearchParams(p);
    for (const [k, el] of [["q", q], ["from", from], ["to", to]]) {
      next.delete(k);
      if (el.value) next.set(k, el.value);
    }
    ctx.go("issues", next);
  };
  return h(
    "form",
    {
      class: "toolbar",
      "aria-label": "热点问题筛选",
      onsubmit: (e) => {
        e.preventDefault();
        apply();
      },
    },
    h("label", {}, "检索词", q),
    select("region", "区县"),
    select("kind", "类型"),
    h("label", {}, "日期", from, h("span", { class: "muted" }, "至"), to),
    h("button", { class: "btn", type: "submit" }, "应用"),
    h(
      "label",
      {},
      "显示",
      h(
        "select",
        {
          class: "field-input",
          name: "limit",
          onchange: (e) => {
            const next = new URLSearchParams(p);
            next.set("limit", e.target.value);
            ctx.go("issues", next);
          },
        },
        LIMITS.map((n) => h("option", { value: n, selected: String(n) === p.get("limit") }, `前 ${n} 个`)),
      ),
    ),
  );
}

/** One-click exports of the list as it is selected (same filters and limit). */
function exportLinks(p) {
  const qs = p.toString();
  return [
    h("a", { class: "btn", href: `/api/issues/export.csv?${qs}`, download: "热点问题清单.csv", id: "export-csv" }, "导出 CSV"),
    h("a", { class: "btn", href: `/api/issues/export.md?${qs}`, download: "热点问题清单.md", id: "export-md" }, "导出 Markdown"),
  ];
}

function spikeBadge(spike) {
  if (!spike) return null;
  const title =
    typeof spike === "object"
      ? `${spike.week} 周 ${spike.count} 件，此前周均 ${Number(spike.baseline).toFixed(1)} 件`
      : "近期件数明显高于此前";
  return h("span", { class: "badge badge-red spike", title }, "突增");
}

const repeatCount = (r) => (Array.isArray(r) ? r.length : Number(r) || 0);

function growthTitle(issue) {
  return typeof issue.recent === "number" ? `近 30 天 ${issue.recent} 件，此前 30 天 ${issue.previous} 件` : "";
}

function growthCell(g) {
  if (typeof g !== "number" || !Number.isFinite(g)) return h("span", { class: "muted" }, "—");
  // `growth` is a ratio: 0.5 means +50 % over the previous period
  const pct = Math.round(g * 100);
  const text = `${pct > 0 ? "+" : ""}${num(pct)}%`;
  return h("span", { class: pct > 0 ? "growth-up" : pct < 0 ? "growth-down" : "" }, text);
}

function spreadCell(issue) {
  const regions = issue.regions || [];
  const sites = issue.sites || [];
  const top = regions.slice(0, 2).map((r) => `${r.value} ${r.count}`);
  return h(
    "div",
    { class: "spread" },
    h("div", {}, top.join(" · ") || "—", regions.length > 2 ? h("span", { class: "more" }, ` 等 ${regions.length} 个区县`) : null),
    sites.length ? h("div", { class: "muted" }, `${sites.length} 个联系点/站点`) : null,
  );
}

function weeklyValues(issue, last = 104) {
  const weeks = fillWeeks(issue.weekly || []);
  return weeks.slice(-last).map((w) => w.count);
}

function issueTable(issues, p) {
  const sel = new URLSearchParams(p);
  sel.delete("limit");
  const qs = sel.toString();
  const rows = issues.map((issue, i) =>
    h(
      "tr",
      { class: "issue-row", dataset: { id: issue.id } },
      h("td", {}, h("span", { class: i < 3 ? "rank top" : "rank" }, String(i + 1))),
      h(
        "td",
        {},
        h(
          "div",
          {},
          h("a", { class: "issue-label", href: `#/issues/${encodeURIComponent(issue.id)}${qs ? `?${qs}` : ""}` }, issue.label || issue.id),
          issue.spike ? [" ", spikeBadge(issue.spike)] : null,
        ),
        issue.representative
          ? h("div", { class: "small muted rep" }, "例：", issue.representative.title || (issue.representative.content || "").slice(0, 40))
          : null,
        issueEntityChips(issue),
      ),
      h("td", { class: "num" }, h("b", {}, num(issue.size))),
      h(
        "td",
        { class: "num" },
        num(issue.submitters),
        repeatCount(issue.repeat_submitters) ? h("div", { class: "small muted" }, `重复 ${num(repeatCount(issue.repeat_submitters))} 人`) : null,
      ),
      h(
        "td",
        {},
        sparkline(weeklyValues(issue), {
          width: 150,
          spike: !!issue.spike,
          label: `每周件数：${weeklyValues(issue).join("，")}`,
        }),
      ),
      h("td", { class: "num", title: growthTitle(issue) }, growthCell(issue.growth)),
      h("td", {}, spreadCell(issue)),
      h("td", { class: "small num" }, dateOnly(issue.first_at), h("br"), "至 ", dateOnly(issue.last_at)),
      h("td", { class: "num" }, typeof issue.heat === "number" ? issue.heat.toFixed(1) : "—"),
    ),
  );
  return h(
    "div",
    { class: "panel" },
    h(
      "table",
      { class: "grid-table issues-table", id: "issues" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "排名"),
          h("th", { scope: "col" }, "问题"),
          h("th", { scope: "col", class: "num" }, "件数"),
          h("th", { scope: "col", class: "num" }, "提交人"),
          h("th", { scope: "col" }, "每周趋势"),
          h("th", { scope: "col", class: "num", title: "近 30 天与此前 30 天相比" }, "增长"),
          h("th", { scope: "col" }, "区县 / 站点"),
          h("th", { scope: "col" }, "时间"),
          h("th", { scope: "col", class: "num" }, "热度"),
        ),
      ),
      h("tbody", {}, rows),
    ),
  );
}

// ---------- one issue ----------

async function renderIssue(root, id, params, ctx) {
  ctx.setTitle("热点问题");
  // an issue id belongs to the selection it was listed in: keep that selection
  const sel = listParams(params);
  sel.delete("limit");
  const crumbs = h(
    "div",
    { class: "crumbs" },
    h("a", { href: ctx.routeHash("issues", params) }, "← 热点问题"),
    h("span", { class: "muted" }, "/"),
    h("span", {}, "问题详情"),
  );
  fill(root, crumbs, loading("正在读取问题…"));
  const res = await api.issue(id, sel);
  if (!ctx.isCurrent()) return;
  root.lastChild.remove();
  if (!res.ok) {
    if (res.status === 404 && res.error.code === "not_found") {
      root.append(errorState("未找到该问题", { code: res.error.code, message: "该问题不在当前筛选范围内，或数据更新后已重新归并。请回到列表重新打开。" }));
    } else if (api.isMissingEndpoint(res)) {
      root.append(unavailable("热点问题功能尚未启用", "服务器尚未提供热点问题接口。"));
    } else {
      root.append(errorState("读取问题失败", res.error));
    }
    return;
  }
  const issue = res.data.issue || res.data;
  const members = (res.data.members || issue.members || []).map((m) => m.record || m);
  ctx.setTitle(issue.label || id);
  const stat = (k, v, title) => h("div", { class: "stat-card", title }, h("div", { class: "k" }, k), h("div", { class: "v" }, v));
  root.append(
    h(
      "div",
      { class: "view-title", id: "issue" },
      h("h1", {}, issue.label || id),
      spikeBadge(issue.spike),
      h("p", {}, `${dateOnly(issue.first_at)} 至 ${dateOnly(issue.last_at)}`),
      h("div", { class: "actions" }, issueTopicButton({ ...issue, id: issue.id || id }, sel, ctx)),
    ),
    h(
      "div",
      { class: "stat-cards" },
      stat("件数", num(issue.size)),
      stat("提交人", num(issue.submitters)),
      stat("重复提交人", num(repeatCount(issue.repeat_submitters))),
      stat("疑似重复件", num(issue.duplicates)),
      stat("近 30 天增长", growthCell(issue.growth), growthTitle(issue)),
      stat("热度", typeof issue.heat === "number" ? issue.heat.toFixed(1) : "—"),
    ),
  );
  const chartBody = h("div", { class: "panel-body" });
  const spread = [];
  if ((issue.regions || []).length) spread.push(h("h3", { class: "small muted" }, "区县"), barList(issue.regions, { limit: 6 }));
  if ((issue.sites || []).length) spread.push(h("h3", { class: "small muted mt" }, "联系点/站点"), barList(issue.sites, { limit: 4 }));
  if ((issue.kinds || []).length) spread.push(h("h3", { class: "small muted mt" }, "类型"), barList(issue.kinds, { limit: 5 }));
  const side = [
    h("section", { class: "panel" }, h("div", { class: "panel-head" }, h("h2", {}, "件数趋势")), chartBody),
    h("section", { class: "panel" }, h("div", { class: "panel-head" }, h("h2", {}, "分布")), h("div", { class: "panel-body" }, spread)),
  ];
  const repeats = Array.isArray(issue.repeat_submitters) ? issue.repeat_submitters : [];
  if (repeats.length) {
    side.push(
      h(
        "section",
        { class: "panel" },
        h("div", { class: "panel-head" }, h("h2", {}, "重复反映"), h("span", { class: "aside" }, `${repeats.length} 人多次反映`)),
        h(
          "ul",
          { class: "side-links" },
          repeats.slice(0, 10).map((r) =>
            h("li", {}, h("a", { href: ctx.routeHash("search", [["submitter", r.submitter], ["sort", "oldest"]]) }, r.submitter), ` 反映 ${r.count} 次`),
          ),
        ),
      ),
    );
  }
  const replies = issue.replies || [];
  side.push(
    h(
      "section",
      { class: "panel" },
      h("div", { class: "panel-head" }, h("h2", {}, "已有答复"), h("span", { class: "aside" }, replies.length ? `最近 ${replies.length} 条` : "")),
      replies.length
        ? h(
            "ol",
            { class: "similar-list" },
            replies.slice(0, 5).map((r) =>
              h(
                "li",
                { class: "similar-hit" },
                h("div", { class: "t" }, h("a", { href: recordHref(r.id), class: "mono" }, r.id), h("span", { class: "score" }, dateOnly(r.submitted_at))),
                h("p", { class: "s" }, r.reply),
              ),
            ),
          )
        : h("div", { class: "panel-body small muted" }, "该问题尚无答复。"),
    ),
  );

  const rep = issue.representative && (issue.representative.record || issue.representative);
  const membersPanel = h(
    "section",
    { class: "panel" },
    h("div", { class: "panel-head" }, h("h2", {}, "全部来件"), h("span", { class: "aside" }, `${members.length} 件，按时间排列`)),
    members.length
      ? h(
          "table",
          { class: "grid-table", id: "members" },
          h("thead", {}, h("tr", {}, ["编号", "标题", "类型", "区县", "提交人", "提交时间", "状态"].map((t) => h("th", { scope: "col" }, t)))),
          h(
            "tbody",
            {},
            members.map((m) =>
              h(
                "tr",
                { class: rep && m.id === rep.id ? "rep-row" : null },
                h("td", { class: "mono" }, h("a", { href: recordHref(m.id) }, m.id)),
                h("td", {}, h("a", { href: recordHref(m.id) }, m.title || (m.content || "").slice(0, 30)), rep && m.id === rep.id ? [" ", h("span", { class: "badge badge-blue" }, "代表性")] : null),
                h("td", {}, m.kind || ""),
                h("td", {}, m.region || ""),
                h("td", { class: "mono" }, m.submitter || ""),
                h("td", { class: "num small" }, dateTime(m.submitted_at)),
                h("td", {}, statusBadge(m.status)),
              ),
            ),
          ),
        )
      : h("div", { class: "panel-body" }, empty("没有成员记录")),
  );
  root.append(
    h(
      "div",
      { class: "record-layout" },
      h(
        "div",
        { class: "side-stack" },
        rep
          ? h(
              "section",
              { class: "panel" },
              h("div", { class: "panel-head" }, h("h2", {}, "代表性来件")),
              h(
                "div",
                { class: "panel-body" },
                h("div", {}, h("a", { href: recordHref(rep.id), class: "issue-label" }, rep.title || rep.id)),
                metaLine(rep),
                h("p", { class: "hit-snippet" }, rep.content),
              ),
            )
          : null,
        membersPanel,
      ),
      h("div", { class: "side-stack" }, side),
    ),
  );
  const width = chartBody.clientWidth - 28 || 360;
  chartBody.append(h("div", { class: "small muted" }, "按月"), monthChart(issue.monthly || [], { width, height: 100 }));
  const weekly = fillWeeks(issue.weekly || []).map((w) => w.count);
  if (weekly.length) {
    chartBody.append(
      h("div", { class: "small muted", style: "margin-top:6px" }, `按周（${weekly.length} 周${issue.spike ? `，突增周 ${issue.spike.week}` : ""}）`),
      sparkline(weekly, { width, height: 44, spike: !!issue.spike }),
    );
  }
}

// ---------- ISO weeks ----------

/** "2025-W27" → the Monday of that ISO week (UTC). */
function weekMonday(key) {
  const m = /^(\d{4})-W(\d{1,2})$/.exec(key);
  if (!m) return null;
  const [y, w] = [Number(m[1]), Number(m[2])];
  const jan4 = new Date(Date.UTC(y, 0, 4));
  const day = jan4.getUTCDay() || 7;
  return new Date(Date.UTC(y, 0, 4 - day + 1 + (w - 1) * 7));
}

function weekKey(date) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d - yearStart) / 86400000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** Every week from the first to the last of `rows`, 0 where absent. */
function fillWeeks(rows) {
  const valid = rows.filter((r) => weekMonday(r.week));
  if (!valid.length) return rows.map((r) => ({ week: r.week, count: r.count }));
  const counts = new Map(valid.map((r) => [weekKey(weekMonday(r.week)), r.count]));
  const days = valid.map((r) => weekMonday(r.week).getTime()).sort((a, b) => a - b);
  const out = [];
  for (let t = days[0]; t <= days[days.length - 1] && out.length < 1000; t += 7 * 86400000) {
    const key = weekKey(new Date(t));
    out.push({ week: key, count: counts.get(key) || 0 });
  }
  return out;
}

/** The names an issue's records give most, each a link to the records that give it. */
function issueEntityChips(issue) {
  const names = (issue.entities || []).slice(0, 4);
  if (!names.length) return null;
  return h(
    "div",
    { class: "chips entity-chips" },
    names.map((e) =>
      h("a", { class: "chip entity", href: `#/search?${new URLSearchParams({ entity: e.value })}` }, `${e.value} ${e.count}`),
    ),
  );
}
