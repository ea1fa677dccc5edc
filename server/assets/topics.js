// 议题: the topics staff made from hot issues and selections, followed to their result. The list
// with its filters (status, kind, department) and CSV export; one topic with its records, the new
// matching cases to accept or dismiss, its status, answer and outcome, its history, and the
// before/after weekly chart with its plain sentence. Built against /api/topics.

import * as api from "./api.js";
import { h, fill, num, dateOnly, dateTime, recordHref, loading, empty, errorState } from "./ui.js";
import { KINDS } from "./topic-form.js";
import { beforeAfterChart } from "./topic-chart.js";

export const STATUSES = [
  ["proposed", "待研究"],
  ["assigned", "已交办"],
  ["in_progress", "办理中"],
  ["done", "已办结"],
];
const STATUS_NAMES = Object.fromEntries(STATUSES);
const KIND_NAMES = Object.fromEntries(KINDS);
const STATUS_BADGES = { proposed: "badge-amber", assigned: "badge-blue", in_progress: "badge-blue", done: "badge-green" };
/** Members shown with a topic; the report and export carry all. */
const MEMBERS_SHOWN = 100;

export async function render(root, route, ctx) {
  if (route.segments.length) return renderTopic(root, route.segments[0], ctx);
  return renderList(root, route.params, ctx);
}

function statusBadge(status) {
  return h("span", { class: `badge ${STATUS_BADGES[status] || ""}`, dataset: { status } }, STATUS_NAMES[status] || status);
}

/** When, in the reader's time: the store keeps UTC. */
function when(at) {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return dateTime(at);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// ---------- the list ----------

function listParams(params) {
  const p = new URLSearchParams();
  for (const k of ["status", "kind", "department"]) if (params.get(k)) p.set(k, params.get(k));
  return p;
}

async function renderList(root, params, ctx) {
  ctx.setTitle("议题");
  const p = listParams(params);
  const title = h(
    "div",
    { class: "view-title" },
    h("h1", {}, "议题"),
    h("p", {}, "由热点问题或检索结果设立的立法建议、监督议题和交办事项，跟踪办理状态与成效。"),
    h("div", { class: "actions" }, h("a", { class: "btn", id: "topics-csv", href: `/api/topics/export.csv?${p}`, download: "议题清单.csv" }, "导出 CSV")),
  );
  const listSlot = h("div", {}, loading("正在读取议题…"));
  fill(root, title, listToolbar(p, ctx), listSlot);
  const res = await api.topics(p);
  if (!ctx.isCurrent()) return;
  if (!res.ok) {
    fill(listSlot, errorState("议题加载失败", res.error));
    return;
  }
  const topics = res.data || [];
  if (!topics.length) {
    fill(
      listSlot,
      p.toString()
        ? empty("没有符合条件的议题", "可放宽状态、类型或责任部门后重试。")
        : empty("还没有议题", "在“热点问题”的问题详情或“检索”结果中点击“设为议题”即可设立。"),
    );
    return;
  }
  fill(listSlot, topicTable(topics));
}

function listToolbar(p, ctx) {
  const select = (name, label, options) =>
    h(
      "label",
      {},
      label,
      h(
        "select",
        {
          class: "field-input",
          name,
          id: `topics-${name}`,
          onchange: (e) => {
            const next = new URLSearchParams(p);
            next.delete(name);
            if (e.target.value) next.set(name, e.target.value);
            ctx.go("topics", next);
          },
        },
        h("option", { value: "" }, "全部"),
        options.map(([v, t]) => h("option", { value: v, selected: p.get(name) === v }, t)),
      ),
    );
  const department = h("input", { class: "field-input", name: "department", id: "topics-department", value: p.get("department") || "", placeholder: "责任部门（全称）" });
  return h(
    "form",
    {
      class: "toolbar",
      "aria-label": "议题筛选",
      onsubmit: (e) => {
        e.preventDefault();
        const next = new URLSearchParams(p);
        next.delete("department");
        if (department.value.trim()) next.set("department", department.value.trim());
        ctx.go("topics", next);
      },
    },
    select("status", "状态", STATUSES),
    select("kind", "类型", KINDS),
    h("label", {}, "责任部门", department),
    h("button", { class: "btn", type: "submit" }, "应用"),
  );
}

function topicTable(topics) {
  return h(
    "div",
    { class: "panel" },
    h(
      "table",
      { class: "grid-table", id: "topics" },
      h("thead", {}, h("tr", {}, ["编号", "议题", "类型", "状态", "责任部门", "办理期限", "设立", "最近变更"].map((t) => h("th", { scope: "col" }, t)))),
      h(
        "tbody",
        {},
        topics.map((t) =>
          h(
            "tr",
            { class: "topic-row", dataset: { id: t.id, status: t.status } },
            h("td", { class: "mono" }, `#${t.id}`),
            h("td", {}, h("a", { class: "topic-link issue-label", href: `#/topics/${t.id}` }, t.title)),
            h("td", {}, KIND_NAMES[t.kind] || t.kind),
            h("td", {}, statusBadge(t.status)),
            h("td", {}, t.department || h("span", { class: "muted" }, "—")),
            h("td", { class: "small" }, h("span", { class: "num" }, dateOnly(t.due) || "—")),
            h("td", { class: "small" }, t.created_by, h("br"), h("span", { class: "num muted" }, when(t.created_at))),
            h("td", { class: "small" }, h("span", { class: "num" }, when(t.changed_at))),
          ),
        ),
      ),
    ),
  );
}

// ---------- one topic ----------

async function renderTopic(root, id, ctx) {
  ctx.setTitle("议题");
  const crumbs = h("div", { class: "crumbs" }, h("a", { href: "#/topics" }, "← 议题"), h("span", { class: "muted" }, "/"), h("span", {}, "议题详情"));
  fill(root, crumbs, loading("正在读取议题…"));
  const res = await api.topic(id);
  if (!ctx.isCurrent()) return;
  root.lastChild.remove();
  if (!res.ok) {
    root.append(errorState(res.status === 404 ? "未找到该议题" : "读取议题失败", res.error));
    return;
  }
  const view = res.data;
  const t = view.topic;
  ctx.setTitle(t.title);
  const members = await memberRecords(view.record_ids.slice(0, MEMBERS_SHOWN));
  if (!ctx.isCurrent()) return;
  // every change re-reads the topic: candidates, trend and history all follow from it
  const change = async (patch, message) => {
    fill(message);
    const r = await api.changeTopic(t.id, patch);
    if (!r.ok) fill(message, r.error.message || r.error.code);
    else ctx.go(`topics/${t.id}`);
  };
  const stat = (k, v, attrs = {}) => h("div", { class: "stat-card", ...attrs }, h("div", { class: "k" }, k), h("div", { class: "v" }, v));
  root.append(
    h(
      "div",
      { class: "view-title", id: "topic", dataset: { id: t.id } },
      h("h1", {}, t.title),
      h("span", { class: "badge" }, KIND_NAMES[t.kind] || t.kind),
      h("span", { id: "topic-status" }, statusBadge(t.status)),
      h(
        "div",
        { class: "actions" },
        h("a", { class: "btn", id: "topic-report", href: `/api/topics/${t.id}/report.md`, download: `议题-${t.id}.md` }, "报告 Markdown"),
        h("a", { class: "btn", href: "/api/topics/export.csv", download: "议题清单.csv" }, "议题清单 CSV"),
      ),
    ),
    h(
      "div",
      { class: "stat-cards" },
      stat("件数", num(view.record_ids.length), { id: "topic-size" }),
      stat("已采纳新增", num(view.accepted.length)),
      stat("待处理新增类案", num(view.total_candidates), { id: "topic-new-cases" }),
      stat("责任部门", t.department || "—"),
      stat("办理期限", dateOnly(t.due) || "—"),
      stat("设立", dateOnly(when(t.created_at)), { title: `${t.created_by} 设立于 ${when(t.created_at)}` }),
    ),
    h(
      "div",
      { class: "record-layout" },
      h("div", { class: "side-stack" }, effectPanel(view), candidatesPanel(view, change), membersPanel(view, members)),
      h("div", { class: "side-stack" }, statusPanel(t, change), historyPanel(view.history)),
    ),
  );
  const chartBody = document.getElementById("topic-effect-chart");
  if (chartBody && view.trend) chartBody.append(beforeAfterChart(view.trend, { width: chartBody.clientWidth - 28 || 600 }));
}

async function memberRecords(ids) {
  const answers = await Promise.all(ids.map((id) => api.record(id)));
  return new Map(answers.filter((r) => r.ok && r.data).map((r) => [r.data.id, r.data]));
}

function effectPanel(view) {
  const trend = view.trend;
  return h(
    "section",
    { class: "panel", id: "topic-effect" },
    h("div", { class: "panel-head" }, h("h2", {}, "成效：交办前后每周件数"), h("span", { class: "aside" }, "含成员、已采纳及新增同类来件")),
    trend
      ? h(
          "div",
          { class: "panel-body", id: "topic-effect-chart" },
          h("p", { class: "trend-summary", id: "topic-trend-summary" }, trend.summary, "。"),
          h("div", { class: "chart-legend small muted" }, h("span", { class: "key before" }), "交办前", h("span", { class: "key after" }), "交办后"),
        )
      : h("div", { class: "panel-body small muted", id: "topic-trend-summary" }, "议题交办后，此处对比交办前后每周件数。"),
  );
}

function candidatesPanel(view, change) {
  const message = h("p", { class: "form-error", role: "alert" });
  const rows = view.candidates.map((c) => {
    const r = c.record || {};
    return h(
      "tr",
      { class: "candidate", dataset: { id: c.id } },
      h("td", { class: "mono" }, h("a", { href: recordHref(c.id) }, c.id)),
      h("td", {}, h("a", { href: recordHref(c.id) }, r.title || (r.content || "").slice(0, 40)), c.new ? [" ", h("span", { class: "badge badge-red" }, "新")] : null),
      h("td", {}, r.region || ""),
      h("td", { class: "num small" }, dateTime(r.submitted_at)),
      h("td", { class: "num" }, typeof c.score === "number" ? c.score.toFixed(2) : ""),
      h(
        "td",
        { class: "candidate-actions" },
        h("button", { type: "button", class: "btn btn-small accept", onclick: () => change({ accept: [c.id] }, message) }, "采纳"),
        h("button", { type: "button", class: "btn btn-small dismiss", onclick: () => change({ dismiss: [c.id] }, message) }, "排除"),
      ),
    );
  });
  return h(
    "section",
    { class: "panel", id: "candidates" },
    h(
      "div",
      { class: "panel-head" },
      h("h2", {}, "新增类案"),
      h("span", { class: "aside" }, view.total_candidates ? `${num(view.total_candidates)} 件同类来件尚未归入，标“新”者为设立后到达` : ""),
    ),
    message,
    rows.length
      ? h(
          "table",
          { class: "grid-table" },
          h("thead", {}, h("tr", {}, ["编号", "标题", "区县", "提交时间", "相似度", "处理"].map((x) => h("th", { scope: "col" }, x)))),
          h("tbody", {}, rows),
        )
      : h("div", { class: "panel-body small muted" }, "暂无同类新增来件。"),
  );
}

function membersPanel(view, records) {
  const accepted = new Set(view.accepted);
  const shown = view.record_ids.slice(0, MEMBERS_SHOWN);
  return h(
    "section",
    { class: "panel" },
    h(
      "div",
      { class: "panel-head" },
      h("h2", {}, "议题来件"),
      h("span", { class: "aside" }, view.record_ids.length > shown.length ? `共 ${num(view.record_ids.length)} 件，显示前 ${shown.length} 件` : `${num(view.record_ids.length)} 件`),
    ),
    h(
      "table",
      { class: "grid-table", id: "topic-members" },
      h("thead", {}, h("tr", {}, ["编号", "标题", "区县", "提交时间", "来源"].map((x) => h("th", { scope: "col" }, x)))),
      h(
        "tbody",
        {},
        shown.map((id) => {
          const r = records.get(id) || {};
          return h(
            "tr",
            { dataset: { id } },
            h("td", { class: "mono" }, h("a", { href: recordHref(id) }, id)),
            h("td", {}, h("a", { href: recordHref(id) }, r.title || (r.content || "").slice(0, 40))),
            h("td", {}, r.region || ""),
            h("td", { class: "num small" }, dateTime(r.submitted_at)),
            h("td", {}, accepted.has(id) ? h("span", { class: "badge badge-blue" }, "新增采纳") : "设立时"),
          );
        }),
      ),
    ),
  );
}

function statusPanel(t, change) {
  const message = h("p", { class: "form-error", role: "alert", id: "topic-change-error" });
  const status = h("select", { class: "field-input", id: "topic-status-select" }, STATUSES.map(([v, x]) => h("option", { value: v, selected: v === t.status }, x)));
  const department = h("input", { class: "field-input", id: "topic-department-input", value: t.department || "" });
  const due = h("input", { class: "field-input", id: "topic-due-input", type: "date", value: t.due || "" });
  const answer = h("textarea", { class: "field-input", id: "topic-answer", rows: 3 }, t.answer || "");
  const outcome = h("textarea", { class: "field-input", id: "topic-outcome", rows: 3 }, t.outcome || "");
  const note = h("textarea", { class: "field-input", id: "topic-note-input", rows: 2 }, t.note || "");
  const field = (label, input) => h("label", { class: "form-row" }, h("span", {}, label), input);
  return h(
    "section",
    { class: "panel" },
    h("div", { class: "panel-head" }, h("h2", {}, "办理状态")),
    h(
      "form",
      {
        class: "panel-body topic-form",
        id: "topic-status-form",
        onsubmit: (e) => {
          e.preventDefault();
          // only what was changed: the history then says exactly what happened
          const patch = {};
          const put = (key, now, was) => {
            if (now !== (was || "")) patch[key] = now;
          };
          put("status", status.value, t.status);
          put("department", department.value.trim(), t.department);
          if (due.value && due.value !== (t.due || "")) patch.due = due.value;
          put("answer", answer.value.trim(), t.answer);
          put("outcome", outcome.value.trim(), t.outcome);
          put("note", note.value.trim(), t.note);
          if (!Object.keys(patch).length) fill(message, "没有修改。");
          else change(patch, message);
        },
      },
      h("p", { class: "status-steps small" }, STATUSES.map(([v, x], i) => [i ? " → " : "", v === t.status ? h("b", {}, x) : x])),
      field("状态", status),
      field("责任部门", department),
      field("办理期限", due),
      field("部门答复", answer),
      field("成效说明", outcome),
      field("备注", note),
      message,
      h("div", { class: "form-actions" }, h("button", { type: "submit", class: "btn btn-primary", id: "topic-save" }, "保存")),
    ),
  );
}

const FIELD_NAMES = { title: "名称", department: "责任部门", due: "办理期限", note: "备注", answer: "部门答复", outcome: "成效说明" };
const MEMBERSHIP_NAMES = { member: "加入", accepted: "采纳新增类案", dismissed: "排除" };

/** One history entry in words. */
function describe(change) {
  if (change.created) return [`设立议题（${num(change.created.records)} 件）`];
  const c = change.changed || change;
  const parts = [];
  if (c.status) parts.push(`状态改为“${STATUS_NAMES[c.status] || c.status}”`);
  for (const [k, name] of Object.entries(FIELD_NAMES)) {
    // a sentence's own full stop would stand before the "；" joining the parts
    const text = typeof c[k] === "string" ? c[k].replace(/[。.]$/, "") : null;
    if (text !== null) parts.push(k === "answer" || k === "outcome" ? `${name}：${text}` : `${name}改为“${text}”`);
  }
  for (const [id, m] of c.records || []) parts.push(`${MEMBERSHIP_NAMES[m] || m} ${id}`);
  for (const id of c.removed || []) parts.push(`移出 ${id}`);
  return parts.length ? parts : [JSON.stringify(change)];
}

function historyPanel(history) {
  return h(
    "section",
    { class: "panel" },
    h("div", { class: "panel-head" }, h("h2", {}, "变更记录"), h("span", { class: "aside" }, `${history.length} 条`)),
    h(
      "ol",
      { class: "topic-history", id: "topic-history" },
      [...history].reverse().map((e) =>
        h("li", {}, h("div", { class: "small muted" }, h("span", { class: "num" }, when(e.at)), " · ", h("b", { class: "by" }, e.by)), h("div", {}, describe(e.change).join("；"))),
      ),
    ),
  );
}
