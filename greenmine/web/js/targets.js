// The 2028 targets dashboard (`targets` query): shares per scale and per prefecture, as charts.

import { gql } from "./api.js";
import { barChart } from "./chart.js";
import { clearError, fill, fmtPercent, h, showError } from "./dom.js";
import { enumLabel, pick, t } from "./i18n.js";

const TARGETS = `query Targets($asOf: Date) {
  targets(asOf: $asOf) {
    asOf mines newMinesOverdue
    byScale { scale licensedProducing meetingStandard share target required shortfall meetsTarget }
    byPrefecture {
      prefectureCode mines newMinesOverdue prefecture { nameZh nameEn }
      byScale { scale licensedProducing meetingStandard share target shortfall }
    }
  }
}`;

const WITH_TARGETS = ["LARGE", "MEDIUM"];

export function initTargets() {
  const form = document.getElementById("targets-form");
  const view = document.getElementById("targets-view");
  const errorBox = document.getElementById("targets-error");
  let last = null;

  async function load() {
    clearError(errorBox);
    try {
      last = (await gql(TARGETS, { asOf: form.elements.asOf.value || null })).targets;
      render(view, last);
    } catch (error) {
      last = null;
      fill(view);
      showError(errorBox, error);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  document.addEventListener("langchange", () => (last ? render(view, last) : load()));
  document.addEventListener("tokenchange", load);
  form.elements.asOf.value = localToday();
  let width = 0;
  new ResizeObserver(() => {
    if (last && Math.abs(view.clientWidth - width) > 8) {
      width = view.clientWidth;
      render(view, last);
    }
  }).observe(view);
  load();
}

const barText = (line) =>
  line.share == null ? "—" : `${fmtPercent(line.share)} (${line.meetingStandard}/${line.licensedProducing})`;

function bar(line) {
  return { name: enumLabel("MineScale", line.scale), value: line.share, target: line.target, text: barText(line) };
}

function summary(line) {
  const none = line.share == null;
  const standing = none || line.target == null ? "" : line.meetsTarget ? "ok" : "below";
  const status = none ? t("noMines") : line.target == null ? t("noTarget")
    : line.meetsTarget ? t("onTrack") : t("shortfall", { n: line.shortfall ?? 0 });
  return h("div", { class: `stat ${standing}` },
    h("p", { class: "stat-label" }, enumLabel("MineScale", line.scale)),
    h("p", { class: "stat-value" }, fmtPercent(line.share)),
    h("p", { class: "stat-sub" }, t("ofProducing", { m: line.meetingStandard, n: line.licensedProducing }),
      line.target == null ? "" : ` · ${t("target")} ${fmtPercent(line.target)}`),
    h("p", { class: "stat-sub" }, status));
}

function render(view, targets) {
  const width = Math.max(view.clientWidth, 280);
  const byScale = Object.fromEntries(targets.byScale.map((l) => [l.scale, l]));
  const withData = targets.byPrefecture.filter((p) =>
    p.byScale.some((l) => WITH_TARGETS.includes(l.scale) && l.licensedProducing > 0));
  const without = targets.byPrefecture.filter((p) => !withData.includes(p));
  const description = t("chartSummary", {
    date: targets.asOf,
    large: barText(byScale.LARGE),
    medium: barText(byScale.MEDIUM),
  });
  const common = { width, emptyText: t("noMines") };
  fill(view,
    h("div", { class: "stats" },
      targets.byScale.map(summary),
      h("div", { class: "stat" }, h("p", { class: "stat-label" }, t("totalMines")),
        h("p", { class: "stat-value" }, String(targets.mines)),
        h("p", { class: "stat-sub" }, `${t("newOverdue")}: ${targets.newMinesOverdue}`))),
    legend(),
    h("h3", {}, `${t("byScale")} · ${targets.asOf}`),
    barChart(targets.byScale.map((l) => ({ label: enumLabel("MineScale", l.scale), bars: [{ ...bar(l), name: null }] })),
      { ...common, title: `${t("targetsTitle")} · ${t("byScale")}`, description }),
    h("h3", {}, t("byPrefecture")),
    barChart(withData.map((p) => ({
      label: pick(p.prefecture, "name"),
      bars: p.byScale.filter((l) => WITH_TARGETS.includes(l.scale)).map(bar),
    })), { ...common, title: `${t("targetsTitle")} · ${t("byPrefecture")}`, description }),
    without.length
      ? h("p", { class: "muted" }, `${t("noMines")}（${enumLabel("MineScale", "LARGE")}、${enumLabel("MineScale", "MEDIUM")}）: `,
          without.map((p) => pick(p.prefecture, "name")).join("、"))
      : null,
    table(targets),
  );
}

function legend() {
  const item = (cls, label) => h("li", {}, h("span", { class: `swatch ${cls}`, "aria-hidden": "true" }), label);
  return h("ul", { class: "legend" },
    item("ok", t("meets")), item("below", t("below")), item("neutral", t("noTarget")), item("target", t("targetLine")));
}

function table(targets) {
  const rows = targets.byPrefecture.flatMap((p) => p.byScale.map((l) => h("tr", {},
    h("th", { scope: "row" }, pick(p.prefecture, "name")),
    h("td", {}, enumLabel("MineScale", l.scale)),
    h("td", {}, `${l.meetingStandard}/${l.licensedProducing}`),
    h("td", {}, fmtPercent(l.share)),
    h("td", {}, fmtPercent(l.target)))));
  return h("details", { class: "data-table" },
    h("summary", {}, t("dataTable")),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, [t("prefecture"), t("scale"), t("listedOfProducing"), t("share"), t("target")]
        .map((label) => h("th", { scope: "col" }, label)))),
      h("tbody", {}, rows))));
}

function localToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
