// Building DOM without innerHTML (data is never parsed as markup), and showing API errors.

import { t } from "./i18n.js";

/** h("p", {class: "x", onclick: fn}, "text", child, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else el.setAttribute(name, value === true ? "" : value);
  }
  el.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** Replace a container's children (arrays flattened, null and false left out). */
export function fill(container, ...children) {
  container.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return container;
}

/** A definition list from [label, value] pairs; pairs with an empty value are left out. */
export function facts(pairs) {
  return h("dl", { class: "facts" },
    pairs.filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([label, value]) => h("div", {}, h("dt", {}, label), h("dd", {}, value))));
}

const HINTS = {
  SERVICE_UNAVAILABLE: "errorUnavailable",
  NETWORK_ERROR: "errorNetwork",
  UNAUTHENTICATED: "errorUnauthenticated",
  FORBIDDEN: "errorForbidden",
  NOT_FOUND: "errorNotFound",
  BAD_USER_INPUT: "errorBadInput",
};

/** Show an ApiError in an alert box: a plain-words line, then each error's code and message. */
export function showError(box, error) {
  const errors = error.errors ?? [{ message: String(error), extensions: { code: "CLIENT_ERROR" } }];
  const codes = errors.map((e) => e.extensions?.code ?? "UNKNOWN");
  const hint = error.status === 503 ? "errorUnavailable" : HINTS[codes.find((c) => HINTS[c])];
  fill(box,
    h("p", { class: "error-title" }, t("errorTitle"), error.status && error.status !== 200 ? ` (HTTP ${error.status})` : ""),
    hint ? h("p", {}, t(hint)) : null,
    h("ul", {}, errors.map((e, i) =>
      h("li", {}, h("code", { class: "code" }, codes[i]), " ", e.message,
        e.extensions?.field ? h("span", { class: "field" }, ` (${e.extensions.field})`) : null))),
  );
  box.hidden = false;
}

export function clearError(box) {
  box.hidden = true;
  box.replaceChildren();
}

export const fmtPercent = (share) =>
  share === null || share === undefined ? "—" : `${Math.round(share * 1000) / 10}%`;
