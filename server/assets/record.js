// One record: full text, every field (including `extra`), the reply, and similar cases (类案).

import * as api from "./api.js";
import { entityChips } from "./search.js";
import {
  h,
  fill,
  num,
  fieldLabel,
  dateTime,
  statusBadge,
  metaLine,
  recordHref,
  loading,
  errorState,
  unavailable,
} from "./ui.js";

const MAIN_FIELDS = [
  "id",
  "kind",
  "channel",
  "region",
  "site",
  "submitted_at",
  "category",
  "status",
  "law",
  "article",
  "submitter",
  "likes",
];

export async function render(root, route, ctx) {
  const id = route.segments[0] || "";
  ctx.setTitle(`记录 ${id}`);
  const back = h("a", { href: ctx.lastSearchHash || "#/search" }, "← 返回检索结果");
  fill(root, h("div", { class: "crumbs" }, back, h("span", { class: "muted" }, "/"), h("span", {}, `记录 ${id}`)), loading("正在读取记录…"));

  const [rec, sim] = await Promise.all([api.record(id), api.similar(id, 10)]);
  if (!ctx.isCurrent()) return;
  root.lastChild.remove();
  if (!rec.ok) {
    root.append(
      rec.status === 404
        ? errorState("未找到该记录", { code: rec.error.code, message: `编号为 ${id} 的记录不存在或已被删除。` })
        : errorState("读取记录失败", rec.error),
    );
    return;
  }
  const r = rec.data;
  ctx.setTitle(r.title || r.id);
  root.append(
    h(
      "div",
      { class: "record-layout" },
      h(
        "article",
        { class: "panel record", id: "record", dataset: { id: r.id } },
        recordBody(r),
        entityChips(r.entities || [], (name) => ctx.routeHash("search", [["entity", name]])),
      ),
      h("div", { class: "side-stack" }, similarPanel(r, sim), relatedPanel(r, ctx)),
    ),
  );
}

function recordBody(r) {
  const kv = [];
  const pair = (name, value, wide = false) => {
    kv.push(h("dt", {}, fieldLabel(name)), h("dd", { class: wide ? "wide" : null, dataset: { field: name } }, value));
  };
  for (const f of MAIN_FIELDS) {
    const v = r[f];
    if (v === undefined || v === null || v === "") continue;
    if (f === "submitted_at") pair(f, dateTime(v));
    else if (f === "status") pair(f, statusBadge(v));
    else if (f === "likes") pair(f, num(v));
    else pair(f, String(v));
  }
  for (const [k, v] of Object.entries(r.extra || {})) {
    pair(k, typeof v === "string" ? v : JSON.stringify(v));
  }
  // an odd number of pairs leaves the last row half empty: widen the last value
  if ((kv.length / 2) % 2 === 1) kv[kv.length - 1].classList.add("wide");

  return [
    h(
      "header",
      { class: "record-head" },
      h("h1", {}, r.title || r.id),
      metaLine(r, [h("span", { class: "mono" }, r.id)]),
    ),
    h("section", { class: "record-section" }, h("h2", {}, "来件内容"), h("p", { class: "record-text", id: "record-content" }, r.content)),
    h(
      "section",
      { class: "record-section" },
      h("h2", {}, "答复意见"),
      r.reply
        ? h("div", { class: "reply-box" }, h("p", { class: "record-text", id: "record-reply" }, r.reply))
        : h("p", { class: "reply-none" }, "暂无答复。"),
    ),
    h("section", { class: "record-section" }, h("h2", {}, "全部字段"), h("dl", { class: "kv" }, kv)),
  ];
}

function similarPanel(r, sim) {
  const head = h(
    "div",
    { class: "panel-head" },
    h("h2", {}, "类案推荐"),
    h("span", { class: "aside" }, "内容相近的其他来件及其答复"),
  );
  let body;
  if (api.isMissingEndpoint(sim)) {
    body = h(
      "div",
      { class: "panel-body" },
      unavailable("类案推荐暂不可用", "服务器尚未提供类案接口。可在右侧“相关检索”中按区县、分类查找同类来件。"),
    );
  } else if (!sim.ok) {
    body = h("div", { class: "panel-body" }, errorState("类案推荐加载失败", sim.error));
  } else {
    const hits = (sim.data && sim.data.hits) || [];
    body = hits.length
      ? h(
          "ol",
          { class: "similar-list" },
          hits.map((hit) => {
            const s = hit.record || {};
            return h(
              "li",
              { class: "similar-hit", dataset: { id: hit.id } },
              h(
                "div",
                { class: "t" },
                h("a", { href: recordHref(hit.id) }, s.title || hit.id),
                typeof hit.score === "number"
                  ? h("span", { class: "score", title: "相似度" }, `相似度 ${hit.score.toFixed(2)}`)
                  : null,
              ),
              metaLine(s, s.reply ? [h("span", { class: "reply-mark" }, "有答复")] : []),
              s.content ? h("p", { class: "s" }, s.content) : null,
            );
          }),
        )
      : h("div", { class: "panel-body" }, unavailable("没有找到相近的来件"));
  }
  return h("section", { class: "panel similar", id: "similar", "aria-label": "类案推荐" }, head, body);
}

function relatedPanel(r, ctx) {
  const link = (text, params) => h("li", {}, h("a", { href: ctx.routeHash("search", params) }, text));
  const items = [];
  if (r.submitter) items.push(link(`同一提交人（${r.submitter}）的全部来件`, [["submitter", r.submitter]]));
  if (r.law && r.article) {
    items.push(
      h("li", {}, h("a", { href: ctx.routeHash("laws", [["law", r.law], ["article", r.article]]) }, `${r.law} ${r.article} 的全部意见`)),
    );
  }
  if (r.region && r.category) {
    items.push(link(`${r.region} · ${r.category} 的来件`, [["region", r.region], ["category", r.category], ["sort", "newest"]]));
  }
  if (r.site) items.push(link(`${r.site} 收集的来件`, [["site", r.site], ["sort", "newest"]]));
  if (r.title) items.push(link(`标题相近：${r.title}`, [["q", r.title]]));
  if (!items.length) return null;
  return h(
    "section",
    { class: "panel", "aria-label": "相关检索" },
    h("div", { class: "panel-head" }, h("h2", {}, "相关检索")),
    h("ul", { class: "side-links" }, items),
  );
}
