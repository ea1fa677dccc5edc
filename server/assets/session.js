// Signing in and out: who the user is (GET /api/me), the sign-in form, and the user's name,
// role and sign-out button in the bar. Views ask `can(right)` to hide what the role may not do.

import { h, fill } from "./ui.js";

const ROLE_NAMES = { admin: "管理员", staff: "工作人员", analyst: "分析人员" };

let me = null;

/** The signed-in user ({name, role, regions, rights, masked}) or null. */
export async function whoAmI() {
  const response = await fetch("/api/me", { headers: { accept: "application/json" } });
  me = response.ok ? await response.json() : null;
  return me;
}

/** Whether the signed-in user's role has `right` ("import", "delete", "export" …). */
export function can(right) {
  return !!me && me.rights.includes(right);
}

/** Shows the user in the bar, with a sign-out button that leads back to the form. */
export function showUser(onSignedOut) {
  const bar = document.getElementById("user-bar");
  if (!me) {
    fill(bar);
    return;
  }
  const scope = me.regions.length ? `（${me.regions.join("、")}）` : "";
  fill(
    bar,
    h("span", { class: "user-name", "data-user": me.name }, me.name),
    h("span", { class: "user-role", "data-role": me.role }, `${ROLE_NAMES[me.role] || me.role}${scope}`),
    me.masked ? h("span", { class: "user-masked", title: "个人信息已脱敏显示" }, "脱敏") : null,
    h(
      "button",
      {
        type: "button",
        class: "btn btn-small",
        id: "sign-out",
        onclick: async () => {
          await fetch("/api/logout", { method: "POST" });
          me = null;
          onSignedOut();
        },
      },
      "退出",
    ),
  );
}

/** Replaces `main` with the sign-in form; `onSignedIn` runs once the server accepts. */
export function renderSignIn(main, onSignedIn) {
  const message = h("p", { class: "signin-error", role: "alert", id: "signin-error" });
  const user = h("input", { id: "signin-user", name: "username", autocomplete: "username", required: true, "data-autofocus": true });
  const password = h("input", { id: "signin-password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const form = h(
    "form",
    {
      class: "signin",
      id: "signin-form",
      onsubmit: async (e) => {
        e.preventDefault();
        fill(message);
        const response = await fetch("/api/login", {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ username: user.value, password: password.value }),
        });
        if (response.ok) {
          me = await response.json();
          onSignedIn();
          return;
        }
        password.value = "";
        fill(
          message,
          response.status === 429
            ? `登录失败次数过多，请 ${response.headers.get("retry-after") || "稍"} 秒后再试。`
            : "用户名或密码错误。",
        );
      },
    },
    h("h1", {}, "登录民意检索"),
    h("p", { class: "signin-note" }, "本系统含信访人个人信息，仅限授权人员使用；所有查询均记入审计日志。"),
    h("label", { for: "signin-user" }, "用户名"),
    user,
    h("label", { for: "signin-password" }, "密码"),
    password,
    message,
    h("button", { type: "submit", class: "btn btn-primary", id: "signin-submit" }, "登录"),
  );
  main.dataset.view = "signin";
  fill(main, form);
  main.dataset.ready = "#signin";
  user.focus();
}
