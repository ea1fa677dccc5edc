// 导入: upload a JSON Lines / JSON / CSV / Excel file to POST /api/records (the content type tells
// the server how to read it), with progress, and show what was accepted and which rows were
// rejected (line, id, reason).

import { h, fill, num, fieldLabel, errorState } from "./ui.js";

const MAX_BYTES = 64 * 1024 * 1024;
const CONTENT_TYPES = {
  jsonl: "application/x-ndjson",
  ndjson: "application/x-ndjson",
  json: "application/json",
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xls: "application/vnd.ms-excel",
};

const ext = (name) => (/\.([^.]+)$/.exec(name || "") || [])[1]?.toLowerCase() || "";

function size(bytes) {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A Chinese gloss of the server's (English) reject reason; the original is shown beside it. */
function gloss(reason) {
  let m;
  if ((m = /missing required field `([^`]+)`/.exec(reason))) return `缺少必填字段“${fieldLabel(m[1])}”（${m[1]}）`;
  if ((m = /^field `([^`]+)`/.exec(reason))) return `字段“${fieldLabel(m[1])}”（${m[1]}）的值无法识别`;
  if (/malformed JSON/.test(reason)) return "不是合法的 JSON";
  if (/not valid UTF-8/.test(reason)) return "不是 UTF-8 编码";
  if (/expected a JSON object/.test(reason)) return "不是 JSON 对象";
  return "";
}

export async function render(root, route, ctx) {
  ctx.setTitle("导入");
  const input = h("input", {
    type: "file",
    id: "import-file",
    name: "file",
    accept: ".jsonl,.ndjson,.json,.csv,.xlsx,.xls",
    "aria-describedby": "import-formats",
  });
  const fileInfo = h("div", { class: "file-name", id: "import-file-name" }, "尚未选择文件");
  const start = h("button", { class: "btn btn-primary", type: "submit", id: "import-start", disabled: true }, "开始导入");
  const progress = h("div", { class: "import-progress", "aria-live": "polite" });
  const result = h("div", { class: "import-result", id: "import-result" });
  const drop = h(
    "div",
    { class: "dropzone" },
    h("div", {}, "将文件拖到此处，或"),
    h("div", { style: "margin-top:8px" }, h("label", { class: "btn file-input-label" }, "选择文件…", input)),
    fileInfo,
  );
  let file = null;
  const choose = (f) => {
    file = f || null;
    fill(result);
    fill(progress);
    if (!file) {
      fill(fileInfo, "尚未选择文件");
      start.disabled = true;
      return;
    }
    fill(fileInfo, `${file.name}（${size(file.size)}）`);
    start.disabled = false;
    if (file.size > MAX_BYTES) {
      start.disabled = true;
      fill(result, errorState("文件过大", { code: "too_large", message: `单个文件不能超过 64 MB，请拆分后分批导入，或使用命令行导入。` }));
    }
  };
  input.addEventListener("change", () => choose(input.files[0]));
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) choose(e.dataTransfer.files[0]);
  });

  const form = h(
    "form",
    {
      class: "panel",
      "aria-label": "导入记录",
      onsubmit: (e) => {
        e.preventDefault();
        if (file) upload(file, { start, input, progress, result, ctx });
      },
    },
    h("div", { class: "panel-head" }, h("h2", {}, "上传文件导入记录")),
    h(
      "div",
      { class: "panel-body" },
      drop,
      h("div", { class: "import-actions" }, start, h("span", { class: "small muted" }, "按编号（id）写入：已有编号的记录将被替换。")),
      progress,
      result,
    ),
  );

  const help = h(
    "aside",
    { class: "panel", "aria-label": "导入说明", id: "import-formats" },
    h("div", { class: "panel-head" }, h("h2", {}, "导入说明")),
    h(
      "div",
      { class: "panel-body" },
      h(
        "ul",
        { class: "help-list" },
        h("li", {}, "支持 JSON Lines（.jsonl / .ndjson，每行一条）、JSON 数组（.json）、CSV（.csv，UTF-8 或 GBK，首行为表头）和 Excel（.xlsx / .xls，读取第一个工作表，首行为表头），单个文件不超过 64 MB。"),
        h("li", {}, "必填字段：编号 id、内容 content；可选：标题、类型、渠道、联系点、区县、提交时间、法规、条款、分类、状态、提交人、点赞数、答复。表头可用字段名或常见中文列名（如 留言编号、留言详情、所属区县）。其他字段原样保存。"),
        h("li", {}, "有问题的行会被拒收并列出行号和原因，其余行照常导入。"),
        h("li", {}, "更大的文件或整个文件夹请用命令行导入（可用 --map 指定列名对应关系）："),
      ),
      h("pre", { class: "cli" }, "minyi index --index 索引目录 文件或文件夹…"),
      h("p", { class: "small muted", style: "margin:0" }, "命令行导入前请先停止正在运行的服务（它持有索引的写锁）。"),
    ),
  );
  fill(
    root,
    h("div", { class: "view-title" }, h("h1", {}, "导入"), h("p", {}, "将各渠道导出的来件数据导入检索库。")),
    h("div", { class: "import-layout" }, form, help),
  );
}

function upload(file, { start, input, progress, result, ctx }) {
  const kind = ext(file.name);
  const bar = h("div", { class: "fill", style: "width:0%" });
  const track = h("div", { class: "progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0", "aria-label": "上传进度" }, bar);
  const text = h("div", { class: "small muted", id: "import-progress-text" }, "正在上传…");
  fill(progress, track, text);
  fill(result);
  start.disabled = true;
  input.disabled = true;

  const xhr = new XMLHttpRequest();
  xhr.open("POST", "/api/records");
  xhr.setRequestHeader("content-type", CONTENT_TYPES[kind] || "application/json");
  xhr.setRequestHeader("accept", "application/json");
  xhr.upload.addEventListener("progress", (e) => {
    if (!e.lengthComputable) return;
    const pct = Math.round((100 * e.loaded) / e.total);
    bar.style.width = `${pct}%`;
    track.setAttribute("aria-valuenow", String(pct));
    fill(text, `正在上传 ${pct}%（${size(e.loaded)} / ${size(e.total)}）`);
  });
  xhr.upload.addEventListener("load", () => {
    track.classList.add("indeterminate");
    fill(text, "上传完成，服务器正在写入索引…");
  });
  const done = () => {
    start.disabled = false;
    input.disabled = false;
  };
  xhr.addEventListener("error", () => {
    done();
    fill(progress);
    fill(result, errorState("上传失败", { code: "network", message: "无法连接服务器，请检查网络后重试。" }));
  });
  xhr.addEventListener("load", () => {
    done();
    fill(progress);
    let data = null;
    try {
      data = JSON.parse(xhr.responseText);
    } catch {
      data = null;
    }
    const serverError = data && data.error ? data.error : { code: String(xhr.status), message: xhr.responseText || xhr.statusText };
    if (xhr.status === 413) {
      fill(result, errorState("文件过大", { code: "413", message: "服务器拒收：请求超过 64 MB。请拆分文件或使用命令行导入。" }));
      return;
    }
    if (data && typeof data.accepted === "number") {
      fill(result, report(data, file, ctx));
      if (data.accepted > 0) ctx.refreshStatus(true);
      return;
    }
    fill(result, errorState(xhr.status === 400 ? "文件无法读取" : xhr.status === 415 ? "不支持的文件类型" : "导入失败", serverError));
  });
  xhr.send(file);
}

function report(data, file, ctx) {
  const rejected = data.rejected || [];
  const dups = data.duplicate_ids || [];
  const card = (cls, k, v, id) => h("div", { class: `stat-card ${cls}`, id }, h("div", { class: "k" }, k), h("div", { class: "v" }, v));
  const parts = [
    data.accepted === 0
      ? errorState("没有可导入的记录", { code: "422", message: `${file.name} 中的每一行都被拒收，原因见下表。` })
      : null,
    h(
      "div",
      { class: "result-summary" },
      card("good", "已导入", `${num(data.accepted)} 条`, "import-accepted"),
      card(rejected.length ? "bad" : "", "拒收", `${num(rejected.length)} 行`, "import-rejected-count"),
      card("", "重复编号", `${num(dups.length)} 个`, "import-duplicates"),
    ),
  ];
  if (rejected.length) {
    parts.push(
      h(
        "table",
        { class: "grid-table", id: "import-rejects", style: "border:1px solid var(--grey-200)" },
        h("caption", { class: "visually-hidden" }, "被拒收的行"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "num" }, "行号"), h("th", { scope: "col" }, "编号"), h("th", { scope: "col" }, "原因"))),
        h(
          "tbody",
          {},
          rejected.slice(0, 500).map((r) => {
            const g = gloss(r.reason || "");
            return h(
              "tr",
              {},
              h("td", { class: "num" }, num(r.line)),
              h("td", { class: "mono" }, r.id || "—"),
              h("td", {}, g ? [h("div", {}, g), h("div", { class: "small muted" }, r.reason)] : r.reason),
            );
          }),
        ),
      ),
    );
    if (rejected.length > 500) parts.push(h("p", { class: "small muted" }, `仅显示前 500 行，共 ${num(rejected.length)} 行被拒收。`));
  }
  if (dups.length) {
    parts.push(
      h(
        "p",
        { class: "small" },
        "以下编号在文件中出现多次，已保留最后一次：",
        dups.slice(0, 50).map(([id, n], i) => [i ? "、" : "", h("span", { class: "mono" }, id), `（${n} 次）`]),
      ),
    );
  }
  if (data.accepted > 0) {
    parts.push(h("p", { class: "small" }, h("a", { href: ctx.routeHash("search", [["sort", "newest"]]) }, "前往检索 →")));
  }
  return parts;
}
