// Mine lookup by licence number, and a small list by prefecture (the `mines` connection).

import { gql, token } from "./api.js";
import { clearError, facts, fill, h, showError } from "./dom.js";
import { enumLabel, pick, t } from "./i18n.js";

const PAGE_SIZE = 20;

const PREFECTURES = `query Prefectures { prefectures { code nameZh nameEn } }`;

const MINE = `query Mine($licenceNumber: String!, $full: Boolean!) {
  mine(licenceNumber: $licenceNumber) {
    licenceNumber name company mineral scale stage county productionStart
    status statusSince listedOn synthetic
    prefecture { nameZh nameEn }
    licences @include(if: $full) { kind number validFrom validUntil standing }
    history @include(if: $full) {
      seq action fromStatus toStatus occurredOn actor details clauseRef conditionNumber
      department { nameZh nameEn }
    }
  }
}`;

const MINES = `query Mines($first: Int!, $after: String, $filter: MineFilter) {
  mines(first: $first, after: $after, filter: $filter, sort: NAME_ASC) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { licenceNumber name mineral scale status prefecture { nameZh nameEn } } }
  }
}`;

export function initMines() {
  const lookup = document.getElementById("mine-form");
  const search = document.getElementById("mine-search");
  const list = document.getElementById("mine-list");
  const detail = document.getElementById("mine-detail");
  const errorBox = document.getElementById("mine-error");
  const select = document.getElementById("mine-prefecture");
  const state = { prefectures: [], mine: null, page: null, nodes: [], filter: null };

  const fail = (error) => showError(errorBox, error);

  async function show(licenceNumber) {
    clearError(errorBox);
    try {
      const data = await gql(MINE, { licenceNumber: licenceNumber.trim(), full: Boolean(token()) });
      state.mine = data.mine;
      renderMine(detail, state.mine);
      detail.focus();
    } catch (error) {
      state.mine = null;
      fill(detail);
      fail(error);
    }
  }

  async function listPage(after) {
    clearError(errorBox);
    try {
      const data = await gql(MINES, { first: PAGE_SIZE, after, filter: state.filter });
      state.page = data.mines;
      state.nodes = after ? [...state.nodes, ...data.mines.edges.map((e) => e.node)]
        : data.mines.edges.map((e) => e.node);
      renderList();
    } catch (error) {
      fail(error);
    }
  }

  function renderList() {
    const { page, nodes } = state;
    if (!page) return;
    fill(list,
      h("p", { class: "muted" }, t("listCount", { n: page.totalCount }),
        token() ? "" : ` · ${t("listAnonymous")}`),
      nodes.length ? h("ul", { class: "mine-rows" }, nodes.map((m) =>
        h("li", {}, h("button", { type: "button", class: "mine-row", onclick: () => show(m.licenceNumber) },
          h("span", { class: "mine-name" }, m.name),
          h("span", { class: "mine-meta" }, `${pick(m.prefecture, "name")} · ${m.mineral} · ${enumLabel("MineScale", m.scale)}`),
          h("span", { class: "mine-number" }, m.licenceNumber),
          statusBadge(m.status)))))
        : h("p", { class: "notice" }, t("listEmpty")),
      page.pageInfo.hasNextPage
        ? h("button", { type: "button", onclick: () => listPage(page.pageInfo.endCursor) }, t("more"))
        : null,
    );
  }

  function fillPrefectures() {
    const chosen = select.value;
    fill(select, h("option", { value: "" }, t("allPrefectures")),
      state.prefectures.map((p) => h("option", { value: p.code }, pick(p, "name"))));
    select.value = chosen;
  }

  lookup.addEventListener("submit", (event) => {
    event.preventDefault();
    show(lookup.elements.licenceNumber.value);
  });
  search.addEventListener("submit", (event) => {
    event.preventDefault();
    const prefecture = search.elements.prefecture.value;
    const text = search.elements.text.value.trim();
    state.filter = { prefectures: prefecture ? [prefecture] : null, text: text || null };
    listPage(null);
  });
  document.addEventListener("langchange", () => {
    fillPrefectures();
    renderList();
    if (state.mine) renderMine(detail, state.mine);
  });
  gql(PREFECTURES).then((data) => {
    state.prefectures = data.prefectures;
    fillPrefectures();
  }, fail);
}

function statusBadge(status) {
  return h("span", { class: `badge status-${status.toLowerCase()}` }, enumLabel("ListStatus", status));
}

function renderMine(container, mine) {
  fill(container, h("article", { class: "card mine-card" },
    h("header", { class: "card-head" },
      h("div", { class: "grow" },
        h("h3", {}, mine.name),
        h("p", { class: "sub" }, mine.licenceNumber, mine.synthetic ? ` · ${t("synthetic")}` : "")),
      statusBadge(mine.status)),
    facts([
      [t("status"), `${enumLabel("ListStatus", mine.status)}${mine.statusSince ? ` (${t("statusSince")} ${mine.statusSince})` : ""}`],
      [t("listedOn"), mine.listedOn],
      [t("company"), mine.company],
      [t("mineral"), mine.mineral],
      [t("scale"), enumLabel("MineScale", mine.scale)],
      [t("stage"), enumLabel("MineStage", mine.stage)],
      [t("prefecture"), `${pick(mine.prefecture, "name")} · ${mine.county}`],
      [t("productionStart"), mine.productionStart],
    ]),
    mine.history ? [licences(mine.licences), history(mine.history)]
      : h("p", { class: "notice" }, t("historyNeedsToken")),
  ));
}

function licences(items) {
  return h("div", { class: "table-wrap" },
    h("table", {},
      h("caption", {}, t("licences")),
      h("thead", {}, h("tr", {}, [t("licences"), t("licenceNumber"), t("validFrom"), t("validUntil"), t("standing")]
        .map((label) => h("th", { scope: "col" }, label)))),
      h("tbody", {}, items.map((l) => h("tr", {},
        h("th", { scope: "row" }, enumLabel("LicenceKind", l.kind)),
        h("td", {}, l.number),
        h("td", { class: "nowrap" }, l.validFrom ?? t("none")),
        h("td", { class: "nowrap" }, l.validUntil ?? t("noEnd")),
        h("td", {}, h("span", { class: `standing standing-${l.standing.toLowerCase()}` },
          enumLabel("LicenceStanding", l.standing))))))));
}

function history(events) {
  return h("div", { class: "table-wrap" },
    h("table", { class: "history" },
      h("caption", {}, t("history")),
      h("thead", {}, h("tr", {}, [t("seq"), t("date"), t("action"), t("change"), t("actor"), t("basis"), t("details")]
        .map((label) => h("th", { scope: "col" }, label)))),
      h("tbody", {}, events.map((e) => h("tr", {},
        h("td", {}, String(e.seq)),
        h("td", { class: "nowrap" }, e.occurredOn),
        h("th", { scope: "row" }, enumLabel("LifecycleAction", e.action)),
        h("td", {}, `${e.fromStatus ? enumLabel("ListStatus", e.fromStatus) : t("none")} → ${enumLabel("ListStatus", e.toStatus)}`),
        h("td", {}, e.department ? `${e.actor} · ${pick(e.department, "name")}` : e.actor),
        h("td", { class: "nowrap" }, [e.clauseRef, e.conditionNumber ? t("conditionNo", { n: e.conditionNumber }) : null]
          .filter(Boolean).join(" · ") || t("none")),
        h("td", {}, e.details ?? ""))))));
}
