// The page's entry: hash routing (the URL carries the whole state, so views can be bookmarked,
// shared and gone back to), the navigation bar and the server status.
//
//   #/search?q=…&region=…&from=…&to=…&sort=…&page=…   检索
//   #/record/{id}                                      one record and its similar cases
//   #/issues?…  and  #/issues/{id}                     热点问题
//   #/laws?law=…&article=…                             法规草案意见
//   #/topics?status=…  and  #/topics/{id}                议题
//   #/import                                           导入
//
// Nothing is shown before sign-in: the page asks /api/me first and shows the sign-in form when
// nobody is signed in, and again whenever the server answers 401 (the session ended).

import { serverCapabilities, refreshCapabilities } from "./api.js";
import { h, fill, num, unavailable } from "./ui.js";
import { whoAmI, can, showUser, renderSignIn } from "./session.js";
import * as searchView from "./search.js";
import * as recordView from "./record.js";
import * as issuesView from "./issues.js";
import * as lawsView from "./laws.js";
import * as importView from "./import.js";
import * as topicsView from "./topics.js";

const VIEWS = {
  search: searchView,
  record: recordView,
  issues: issuesView,
  laws: lawsView,
  import: importView,
  topics: topicsView,
};

const main = document.getElementById("main");
let token = 0;
let currentView = null;
let lastSearchHash = null; // where "back to the results" goes from a record
let signedIn = false;

/** The route in the URL: {view, segments, params}. */
export function parseRoute(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, "");
  const q = raw.indexOf("?");
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : raw.slice(q + 1));
  const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
  const view = VIEWS[segments[0]] ? segments[0] : "search";
  return { view, segments: segments.slice(1), params };
}

/** The hash of a route: routeHash("search", params) → "#/search?q=…". */
export function routeHash(path, params) {
  const qs = params ? new URLSearchParams(params).toString() : "";
  return `#/${path}${qs ? `?${qs}` : ""}`;
}

/** Goes to a route; re-renders when it is already the current one. */
export function go(path, params) {
  const hash = routeHash(path, params);
  if (hash === location.hash) render();
  else location.hash = hash;
}

async function render() {
  const route = parseRoute();
  const mine = ++token;
  if (route.view === "search") lastSearchHash = location.hash || "#/search";
  const ctx = {
    isCurrent: () => mine === token,
    go,
    routeHash,
    setTitle: (t) => {
      document.title = t ? `${t} - 民意检索` : "民意检索";
    },
    refreshStatus,
    lastSearchHash,
  };
  for (const a of document.querySelectorAll(".mainnav a")) {
    const navView = route.view === "record" ? "search" : route.view;
    if (a.dataset.nav === navView) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  // `data-ready` names the route whose view has finished loading (tests and scripts wait for it)
  main.dataset.ready = "";
  const changed = currentView !== route.view;
  if (changed) {
    main.replaceChildren();
    main.dataset.view = route.view;
  }
  currentView = route.view;
  try {
    if (route.view === "import" && !can("import")) {
      fill(main, unavailable("无导入权限", "您的角色不能导入记录；如需导入，请联系管理员。"));
    } else if (route.view === "topics" && !can("topics")) {
      fill(main, unavailable("无议题权限", "您的角色不能查看或设立议题；如需使用，请联系管理员。"));
    } else {
      await VIEWS[route.view].render(main, route, ctx, { changed });
    }
  } catch (e) {
    console.error(e);
    if (ctx.isCurrent()) {
      main.append(
        h("div", { class: "state state-error", role: "alert" }, h("div", { class: "state-title" }, "页面出错"), String(e)),
      );
    }
  }
  if (ctx.isCurrent()) main.dataset.ready = location.hash || "#";
  if (changed && ctx.isCurrent() && document.activeElement === document.body) {
    const autofocus = main.querySelector("[data-autofocus]");
    (autofocus || main).focus({ preventScroll: true });
  }
}

async function refreshStatus(force = false) {
  const caps = await (force ? refreshCapabilities() : serverCapabilities());
  const el = document.getElementById("server-status");
  if (caps.records === null) fill(el, "服务器未响应");
  else fill(el, "已收录 ", h("b", {}, num(caps.records)), " 条");
}

window.addEventListener("hashchange", () => {
  if (signedIn) render();
});

/** Asks who is signed in, then shows the page, or the sign-in form. */
async function start() {
  signedIn = !!(await whoAmI());
  if (!signedIn) {
    signedOut();
    return;
  }
  showUser(signedOut);
  for (const right of ["import", "topics"]) {
    for (const a of document.querySelectorAll(`.mainnav a[data-nav='${right}']`)) a.hidden = !can(right);
  }
  document.querySelector(".mainnav").hidden = false;
  currentView = null;
  refreshStatus(true);
  render();
}

function signedOut() {
  signedIn = false;
  currentView = null;
  showUser(signedOut);
  document.querySelector(".mainnav").hidden = true;
  fill(document.getElementById("server-status"));
  renderSignIn(main, start);
}

window.addEventListener("minyi:unauthenticated", () => {
  if (signedIn) signedOut();
});

// Links to the same route re-render (e.g. clicking 检索 in the bar while on the search view).
document.addEventListener("click", (e) => {
  const a = e.target.closest && e.target.closest("a[href^='#/']");
  if (a && a.getAttribute("href") === location.hash && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
    e.preventDefault();
    render();
  }
});

start();
