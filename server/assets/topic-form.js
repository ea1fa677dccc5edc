// 设为议题: making a topic from a hot issue, from search results picked with their checkboxes, or
// from all results of a search (kept as a saved selection). One dialog for the three; shown only
// to roles with the `topics` right. Built against POST /api/topics.

import * as api from "./api.js";
import { h, fill, num } from "./ui.js";
import { can } from "./session.js";

export const KINDS = [
  ["supervision", "监督议题"],
  ["legislation", "立法建议"],
  ["assignment", "交办事项"],
];

/** URL parameters as the API's `selection` object: one value a string, several a list. */
export function selectionObject(params) {
  const out = {};
  for (const [k, v] of new URLSearchParams(params)) {
    if (!v) continue;
    if (k in out) out[k] = [].concat(out[k], v);
    else out[k] = v;
  }
  return out;
}

/** The "设为议题" button of one issue; `selection` is the list the issue was found in. */
export function issueTopicButton(issue, selection, ctx) {
  if (!can("topics")) return null;
  const source = {
    body: { issue_id: issue.id, selection: selectionObject(selection) },
    text: `来自热点问题“${issue.label || issue.id}”的 ${num(issue.size)} 件来件`,
  };
  return h(
    "button",
    { type: "button", class: "btn btn-primary", id: "make-topic", onclick: () => openDialog(issue.label || "", source, ctx) },
    "设为议题",
  );
}

// ---------- search results: picked ones, or all of a search ----------

let picked = new Set();
let pickedIn = null; // the search (without paging) the picks were made in
let pickedButton = null;

/** Starts a search's picks; they are kept while only the page changes. */
function pickScope(selection) {
  const key = new URLSearchParams(selection).toString();
  if (key !== pickedIn) {
    picked = new Set();
    pickedIn = key;
  }
}

function pickedLabel() {
  return `所选 ${num(picked.size)} 条设为议题`;
}

/** The checkbox that picks one hit, or null for roles without topics. */
export function pickBox(id) {
  if (!can("topics")) return null;
  return h("input", {
    type: "checkbox",
    class: "hit-pick",
    "aria-label": `选择 ${id}`,
    dataset: { id },
    checked: picked.has(id),
    onchange: (e) => {
      if (e.target.checked) picked.add(id);
      else picked.delete(id);
      if (pickedButton) {
        pickedButton.disabled = picked.size === 0;
        fill(pickedButton, pickedLabel());
      }
    },
  });
}

/** The bar above the hits: picked hits, or all `total` results of `selection`, as a topic. */
export function topicBar(selection, total, ctx) {
  if (!can("topics")) return null;
  pickScope(selection);
  const q = new URLSearchParams(selection).get("q");
  pickedButton = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      id: "topic-from-picked",
      disabled: picked.size === 0,
      onclick: () =>
        openDialog(q || "", { body: { record_ids: [...picked] }, text: `已勾选的 ${num(picked.size)} 条检索结果` }, ctx),
    },
    pickedLabel(),
  );
  const all = h(
    "button",
    {
      type: "button",
      class: "btn btn-small",
      id: "topic-from-search",
      disabled: !total,
      onclick: () =>
        openDialog(
          q || "",
          {
            body: { selection: selectionObject(selection) },
            text: `本次检索的全部 ${num(total)} 条结果（保存检索条件，最多 5000 条）`,
          },
          ctx,
        ),
    },
    "全部结果设为议题",
  );
  return h("div", { class: "topic-bar" }, h("span", { class: "muted small" }, "议题："), pickedButton, all);
}

// ---------- the dialog ----------

function openDialog(title, source, ctx) {
  const old = document.getElementById("topic-dialog");
  if (old) old.remove();
  const field = (label, input) => h("label", { class: "form-row" }, h("span", {}, label), input);
  const titleInput = h("input", { id: "topic-title", class: "field-input", required: true, value: title, maxlength: 200 });
  const kind = h("select", { id: "topic-kind", class: "field-input" }, KINDS.map(([v, t]) => h("option", { value: v }, t)));
  const department = h("input", { id: "topic-department", class: "field-input", placeholder: "如：市人社局" });
  const due = h("input", { id: "topic-due", class: "field-input", type: "date" });
  const note = h("textarea", { id: "topic-note", class: "field-input", rows: 3 });
  const message = h("p", { class: "form-error", role: "alert", id: "topic-error" });
  const dialog = h("dialog", { id: "topic-dialog", class: "topic-dialog", "aria-labelledby": "topic-dialog-title" });
  const form = h(
    "form",
    {
      onsubmit: async (e) => {
        e.preventDefault();
        fill(message);
        const body = { ...source.body, title: titleInput.value.trim(), kind: kind.value };
        if (department.value.trim()) body.department = department.value.trim();
        if (due.value) body.due = due.value;
        if (note.value.trim()) body.note = note.value.trim();
        const res = await api.createTopic(body);
        if (!res.ok) {
          fill(message, res.error.message || res.error.code);
          return;
        }
        dialog.close();
        dialog.remove();
        ctx.go(`topics/${res.data.topic.id}`);
      },
    },
    h("h2", { id: "topic-dialog-title" }, "设为议题"),
    h("p", { class: "small muted", id: "topic-source" }, source.text),
    field("议题名称", titleInput),
    field("类型", kind),
    field("责任部门", department),
    field("办理期限", due),
    field("备注", note),
    message,
    h(
      "div",
      { class: "form-actions" },
      h("button", { type: "button", class: "btn", onclick: () => dialog.close() }, "取消"),
      h("button", { type: "submit", class: "btn btn-primary", id: "topic-create" }, "创建议题"),
    ),
  );
  dialog.append(form);
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  titleInput.focus();
}
