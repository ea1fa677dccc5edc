// Calls to the minyi HTTP API. Every call resolves to {ok, status, data, error}; it never throws,
// so views can show the server's own error message ({"error": {"code", "message"}}).

async function request(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { headers: { accept: "application/json" }, ...options });
  } catch (e) {
    return {
      ok: false,
      status: 0,
      data: null,
      error: { code: "network", message: `无法连接服务器（${e.message}）` },
    };
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.ok) return { ok: true, status: response.status, data, error: null };
  // The session ended (expired, signed out elsewhere, password changed): back to the form.
  if (response.status === 401) window.dispatchEvent(new CustomEvent("minyi:unauthenticated"));
  const error =
    data && data.error && typeof data.error === "object"
      ? { code: data.error.code || String(response.status), message: data.error.message || "" }
      : { code: String(response.status), message: text.trim() || response.statusText || `HTTP ${response.status}` };
  return { ok: false, status: response.status, data, error };
}

export function getJSON(path) {
  return request(path);
}

/** `params`: URLSearchParams or [[name, value], …]. */
export function search(params) {
  return request(`/api/search?${new URLSearchParams(params)}`);
}

export function record(id) {
  return request(`/api/records/${encodeURIComponent(id)}`);
}

export function similar(id, limit = 10) {
  return request(`/api/records/${encodeURIComponent(id)}/similar?limit=${limit}`);
}

export function issues(params) {
  return request(`/api/issues?${new URLSearchParams(params)}`);
}

/** One issue; `params` is the selection it was listed in (its id is only valid there). */
export function issue(id, params = []) {
  const qs = new URLSearchParams(params).toString();
  return request(`/api/issues/${encodeURIComponent(id)}${qs ? `?${qs}` : ""}`);
}

export function laws(params) {
  return request(`/api/laws?${new URLSearchParams(params)}`);
}

/** `params`: status, kind, department. */
export function topics(params) {
  return request(`/api/topics?${new URLSearchParams(params)}`);
}

export function topic(id) {
  return request(`/api/topics/${encodeURIComponent(id)}`);
}

/** `body`: {title, kind, issue_id + selection | record_ids | selection, department, due, note}. */
export function createTopic(body) {
  return sendJSON("POST", "/api/topics", body);
}

/** `change`: any of status, department, due, note, answer, outcome, accept, dismiss, add, remove. */
export function changeTopic(id, change) {
  return sendJSON("PATCH", `/api/topics/${encodeURIComponent(id)}`, change);
}

function sendJSON(method, path, body) {
  return request(path, {
    method,
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Whether an answer means "this endpoint does not exist (yet)". */
export function isMissingEndpoint(result) {
  return !result.ok && (result.status === 404 || result.status === 405 || result.status === 501);
}

// ---------- what this server can do ----------

let capabilities = null;

/**
 * Records count and optional features, from /healthz and the OpenAPI document:
 * {records, modes: ["fulltext", …] | null, paths: Set}.
 */
export function serverCapabilities() {
  if (!capabilities) capabilities = loadCapabilities();
  return capabilities;
}

async function loadCapabilities() {
  const [health, openapi] = await Promise.all([request("/healthz"), request("/api/openapi.json")]);
  const caps = { records: null, modes: null, paths: new Set(), health: health.data };
  if (health.ok && health.data) caps.records = health.data.records ?? null;
  if (openapi.ok && openapi.data) {
    const doc = openapi.data;
    caps.paths = new Set(Object.keys(doc.paths || {}));
    const op = doc.paths && doc.paths["/api/search"] && doc.paths["/api/search"].get;
    const mode = op && (op.parameters || []).find((p) => p.name === "mode");
    if (mode) {
      let schema = mode.schema || {};
      if (schema.$ref) schema = resolveRef(doc, schema.$ref) || {};
      const values = schema.enum || (schema.oneOf || []).flatMap((o) => o.enum || []);
      caps.modes = values.length ? values : ["fulltext", "semantic", "hybrid"];
    }
  }
  // /healthz may also announce it, e.g. {"semantic": true} or {"modes": [...]}
  if (!caps.modes && health.data) {
    if (Array.isArray(health.data.modes)) caps.modes = health.data.modes;
    else if (health.data.semantic === true) caps.modes = ["fulltext", "semantic", "hybrid"];
  }
  return caps;
}

function resolveRef(doc, ref) {
  return ref
    .replace(/^#\//, "")
    .split("/")
    .reduce((node, key) => (node ? node[key] : undefined), doc);
}

export function refreshCapabilities() {
  capabilities = null;
  return serverCapabilities();
}
