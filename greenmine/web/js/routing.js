// The referral box: describe a problem, see the competent departments (`route` query).

import { gql } from "./api.js";
import { clearError, facts, fill, h, showError } from "./dom.js";
import { currentLang, pick, t } from "./i18n.js";

const ROUTE = `query Route($text: String!, $limit: Int!) {
  route(text: $text, limit: $limit) {
    department { code nameZh nameEn liaison { name phone } }
    score
    duty { code titleZh titleEn }
    removalCondition { number titleZh titleEn textZh textEn }
    matchedTerms explanation explanationEn
    clause { ref titleZh titleEn textZh }
    nextSteps { order textZh textEn actorRoleZh actor { nameZh nameEn } }
  }
}`;

export function initRouting() {
  const form = document.getElementById("route-form");
  const text = document.getElementById("route-text");
  const results = document.getElementById("route-results");
  const errorBox = document.getElementById("route-error");
  let last = null;

  for (const chip of form.querySelectorAll(".chip")) {
    chip.addEventListener("click", () => {
      text.value = chip.textContent;
      form.requestSubmit();
    });
  }
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(errorBox);
    fill(results, h("p", { class: "muted" }, t("loading")));
    results.setAttribute("aria-busy", "true");
    try {
      const limit = Number(form.elements.limit.value);
      last = (await gql(ROUTE, { text: text.value, limit })).route;
      render(results, last);
    } catch (error) {
      last = null;
      fill(results);
      showError(errorBox, error);
    } finally {
      results.removeAttribute("aria-busy");
    }
  });
  document.addEventListener("langchange", () => last && render(results, last));
}

function render(container, matches) {
  if (!matches.length) {
    fill(container, h("p", { class: "notice" }, t("routeNone")));
    return;
  }
  fill(container,
    h("p", { class: "muted" }, t("routeCount", { n: matches.length })),
    h("ol", { class: "cards" }, matches.map(card)),
  );
}

function card(match, index) {
  const dept = match.department;
  const condition = match.removalCondition;
  const clause = match.clause;
  const en = currentLang() === "en";
  return h("li", { class: "card route-card" },
    h("header", { class: "card-head" },
      h("span", { class: "rank", "aria-hidden": "true" }, String(index + 1)),
      h("div", { class: "grow" },
        h("h3", { class: "dept" }, pick(dept, "name")),
        en ? h("p", { class: "sub", lang: "zh-CN" }, dept.nameZh) : h("p", { class: "sub" }, dept.code)),
      h("span", { class: "score", title: t("score") }, `${t("score")} ${match.score.toFixed(2)}`)),
    facts([
      [t("liaison"), dept.liaison ? dept.liaison.name : t("noLiaison")],
      [t("duty"), match.duty ? pick(match.duty, "title") : ""],
      [t("removalCondition"), condition
        ? h("span", {}, h("strong", {}, t("conditionNo", { n: condition.number })), " ",
            pick(condition, "title"), h("span", { class: "quote" }, pick(condition, "text")))
        : ""],
      [t("clause"), clause
        ? h("span", {}, h("strong", {}, clause.ref), " ", pick(clause, "title"),
            h("span", { class: "quote", lang: "zh-CN" }, clause.textZh))
        : ""],
      [t("matchedTerms"), h("span", { class: "terms" },
        match.matchedTerms.map((term) => h("span", { class: "term", lang: "zh-CN" }, term)))],
      [t("explanation"), en ? match.explanationEn : match.explanation],
    ]),
    h("div", { class: "steps" },
      h("h4", {}, t("nextSteps")),
      h("ol", {}, match.nextSteps.map((step) =>
        h("li", {}, pick(step, "text"),
          step.actor
            ? h("span", { class: "actor" }, ` — ${pick(step.actor, "name")}`)
            : h("span", { class: "actor", lang: "zh-CN" }, ` — ${step.actorRoleZh}`))))),
  );
}
