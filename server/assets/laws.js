// 法规草案意见: pick a draft regulation, see how many opinions each article drew, read them.
// Built on /api/search with `law=` and `article=` filters and the `article` facet counts.

import * as api from "./api.js";
import {
  h,
  fill,
  num,
  articleNumber,
  metaLine,
  recordHref,
  loading,
  empty,
  errorState,
  monthChart,
  barList,
} from "./ui.js";

export async function render(root, route, ctx) {
  ctx.setTitle("法规草案意见");
  const title = h(
    "div",
    { class: "view-title" },
    h("h1", {}, "法规草案意见"),
    h("p", {}, "按法规草案逐条汇总基层立法联系点等渠道收集的意见。"),
  );
  const body = h("div", {}, loading("正在读取法规列表…"));
  fill(root, title, body);

  const all = await api.search([["limit", "1"]]);
  if (!ctx.isCurrent()) return;
  if (!all.ok) {
    fill(body, errorState("读取法规列表失败", all.error));
    return;
  }
  const laws = (all.data.facets && all.data.facets.law) || [];
  if (!laws.length) {
    fill(body, empty("暂无法规草案意见", "导入的记录带有“法规名称”（law）和“条款”（article）字段后，将在此处逐条汇总。"));
    return;
  }
  const law = route.params.get("law") || laws[0].value;
  const article = route.params.get("article") || "";
  ctx.setTitle(article ? `${law} ${article}` : law);

  const tabs = h(
    "nav",
    { class: "law-tabs", "aria-label": "法规草案" },
    laws.map((l) =>
      h(
        "a",
        {
          class: "law-tab",
          href: ctx.routeHash("laws", [["law", l.value]]),
          "aria-current": l.value === law ? "true" : "false",
          dataset: { law: l.value },
        },
        h("span", { class: "name" }, l.value),
        h("span", { class: "n" }, `${num(l.count)} 条意见`),
      ),
    ),
  );
  fill(body, tabs, loading("正在统计各条款意见…"));

  // /api/laws (when the server has it) groups each article's opinions into concerns
  const grouped = api.laws([["law", law]]);
  const requests = [api.search([["law", law], ["limit", "1"]])];
  if (article) {
    requests.push(api.search([["law", law], ["article", article], ["limit", "200"], ["sort", "oldest"]]));
  }
  const [[summary, opinions], groups] = await Promise.all([Promise.all(requests), grouped]);
  if (!ctx.isCurrent()) return;
  body.lastChild.remove();
  if (!summary.ok) {
    body.append(errorState("统计失败", summary.error));
    return;
  }
  const s = summary.data;
  const articles = [...((s.facets && s.facets.article) || [])].sort(
    (a, b) => articleNumber(a.value) - articleNumber(b.value) || a.value.localeCompare(b.value, "zh-CN"),
  );
  // concerns per article, or null when the server cannot group them
  const concerns = new Map();
  if (groups.ok && Array.isArray(groups.data)) {
    const mine = groups.data.find((l) => l.law === law);
    for (const a of (mine && mine.articles) || []) concerns.set(a.article, a);
  }
  const right = h("div", { class: "side-stack" });
  body.append(h("div", { class: "law-layout" }, articleTable(law, article, articles, s.total, concerns, ctx), right));
  if (article) right.append(opinionList(law, article, opinions, concerns.get(article), ctx));
  else lawSummary(right, law, s, ctx);
}

function articleTable(law, current, articles, total, concerns, ctx) {
  const grouped = concerns.size > 0;
  const max = Math.max(1, ...articles.map((a) => a.count));
  const withArticle = articles.reduce((n, a) => n + a.count, 0);
  return h(
    "section",
    { class: "panel" },
    h(
      "div",
      { class: "panel-head" },
      h("h2", {}, "逐条意见数"),
      h("span", { class: "aside" }, `共 ${num(total)} 条，涉及 ${articles.length} 个条款`),
    ),
    articles.length
      ? h(
          "table",
          { class: "grid-table article-table", id: "articles" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "条款"),
              h("th", { scope: "col", class: "num" }, "意见数"),
              h("th", { scope: "col" }, "占比"),
              grouped ? h("th", { scope: "col", class: "num", title: "内容相近的意见归为一类" }, "观点归类") : null,
              h("th", { scope: "col" }, ""),
            ),
          ),
          h(
            "tbody",
            {},
            articles.map((a) =>
              h(
                "tr",
                { "aria-current": a.value === current ? "true" : "false", dataset: { article: a.value } },
                h("td", {}, h("a", { class: "article-link", href: ctx.routeHash("laws", [["law", law], ["article", a.value]]) }, a.value)),
                h("td", { class: "num" }, num(a.count)),
                h(
                  "td",
                  { class: "bar-cell" },
                  h("div", { class: "track", title: `${Math.round((100 * a.count) / Math.max(1, withArticle))}%` }, h("div", { class: "fill", style: `width:${(100 * a.count) / max}%` })),
                ),
                grouped ? h("td", { class: "num small" }, concernCount(concerns.get(a.value))) : null,
                h("td", { class: "small" }, h("a", { href: ctx.routeHash("search", [["law", law], ["article", a.value]]), title: "在检索中打开" }, "检索")),
              ),
            ),
          ),
        )
      : h("div", { class: "panel-body" }, empty("这部法规的意见未标注条款")),
  );
}

function lawSummary(right, law, s, ctx) {
  const chart = h("div", { class: "panel-body" });
  const sites = (s.facets && s.facets.site) || [];
  const kinds = (s.facets && s.facets.kind) || [];
  const channels = (s.facets && s.facets.channel) || [];
  const first = s.histogram && s.histogram.length ? s.histogram[0].month : "";
  const last = s.histogram && s.histogram.length ? s.histogram[s.histogram.length - 1].month : "";
  right.append(
    h(
      "section",
      { class: "panel" },
      h(
        "div",
        { class: "panel-head" },
        h("h2", {}, law),
        h("span", { class: "aside" }, first ? `意见收集：${first} 至 ${last}` : ""),
      ),
      h("div", { class: "panel-body small muted" }, "在左侧选择条款，查看该条款下的全部意见。"),
      chart,
    ),
    h(
      "div",
      { class: "two-col", style: "margin:0" },
      h(
        "section",
        { class: "panel" },
        h("div", { class: "panel-head" }, h("h2", {}, "意见来源（联系点/站点）")),
        h(
          "div",
          { class: "panel-body" },
          sites.length
            ? barList(sites, { href: (v) => ctx.routeHash("search", [["law", law], ["site", v]]), limit: 10 })
            : h("span", { class: "muted small" }, "未标注联系点"),
        ),
      ),
      h(
        "section",
        { class: "panel" },
        h("div", { class: "panel-head" }, h("h2", {}, "类型与渠道")),
        h("div", { class: "panel-body" }, barList(kinds, { limit: 5 }), h("div", { style: "margin-top:8px" }, barList(channels, { limit: 6 }))),
      ),
    ),
  );
  chart.append(monthChart(s.histogram || [], { width: chart.clientWidth - 24 || 700, height: 100, label: "每月意见数" }));
}

function concernCount(a) {
  if (!a) return "—";
  const n = (a.issues || []).length;
  const singles = (a.single_ids || []).length;
  return `${n} 类${singles ? ` · ${singles} 条单独` : ""}`;
}

function opinionItem(hit) {
  const r = hit.record;
  return h(
    "li",
    { class: "opinion", dataset: { id: hit.id } },
    h("a", { class: "t", href: recordHref(hit.id) }, r.title || hit.id),
    metaLine(r, [h("span", { class: "mono" }, hit.id)]),
    h("p", {}, r.content),
    r.reply ? h("p", { class: "small muted" }, `答复：${r.reply}`) : null,
  );
}

function opinionList(law, article, res, concerns, ctx) {
  const head = h(
    "div",
    { class: "panel-head" },
    h("h2", {}, `${article} 的意见`),
    res && res.ok ? h("span", { class: "small muted" }, `${num(res.data.total)} 条`) : null,
    h("a", { class: "aside", href: ctx.routeHash("search", [["law", law], ["article", article]]) }, "在检索中打开 →"),
  );
  let body;
  if (!res || !res.ok) body = h("div", { class: "panel-body" }, errorState("读取意见失败", res && res.error));
  else if (!res.data.hits.length) body = h("div", { class: "panel-body" }, empty("该条款暂无意见"));
  else if (!concerns || !(concerns.issues || []).length) {
    body = h("ol", { class: "opinions", id: "opinions" }, res.data.hits.map(opinionItem));
  } else {
    // grouped by concern: each group's opinions, then the ones that share no concern
    const byId = new Map(res.data.hits.map((hit) => [hit.id, hit]));
    const shown = new Set();
    const sections = [];
    concerns.issues.forEach((issue, i) => {
      const hits = (issue.record_ids || []).map((id) => byId.get(id)).filter(Boolean);
      hits.forEach((hit) => shown.add(hit.id));
      sections.push(
        h(
          "li",
          { class: "concern" },
          h(
            "div",
            { class: "concern-head" },
            h("span", { class: "concern-n" }, `观点 ${i + 1}`),
            h("span", { class: "concern-label" }, issue.label),
            h("span", { class: "small muted" }, `${num(issue.size)} 条 · ${num(issue.submitters)} 人`),
          ),
          h("ol", { class: "opinions" }, hits.map(opinionItem)),
        ),
      );
    });
    const rest = res.data.hits.filter((hit) => !shown.has(hit.id));
    if (rest.length) {
      sections.push(
        h(
          "li",
          { class: "concern" },
          h("div", { class: "concern-head" }, h("span", { class: "concern-n other" }, "其他"), h("span", { class: "concern-label" }, "其他单独意见"), h("span", { class: "small muted" }, `${num(rest.length)} 条`)),
          h("ol", { class: "opinions" }, rest.map(opinionItem)),
        ),
      );
    }
    body = h("ol", { class: "concerns", id: "opinions" }, sections);
  }
  return h("section", { class: "panel", "aria-label": `${article} 的意见` }, head, body);
}
