// A horizontal bar chart in plain SVG: one group of bars per row, each bar a share (0..1) with
// an optional target marker. Drawn at the container's pixel width, so text stays readable.

const SVG = "http://www.w3.org/2000/svg";
const BAR = 18;
const BAR_GAP = 4;
const GROUP_GAP = 16;
const AXIS = 26;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

function el(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

/**
 * rows: [{label, bars: [{name, value, target, text}]}]; value null draws `emptyText`.
 * Returns an <svg role="img"> titled `title`, described by `description`.
 */
export function barChart(rows, { width, title, description, emptyText }) {
  // narrow screens put each row's label above its bars, so the bars get the full width
  const narrow = width < 520;
  const labelW = narrow ? 0 : 150;
  const labelH = narrow ? 20 : 0;
  const valueW = narrow ? 112 : 150;
  const plotX = narrow ? 4 : labelW + 8;
  const plotW = Math.max(60, width - plotX - valueW);
  const x = (share) => plotX + share * plotW;
  const ticks = narrow ? [0, 0.5, 1] : TICKS;
  const barsH = (r) => r.bars.length * BAR + (r.bars.length - 1) * BAR_GAP;
  const height = AXIS + rows.reduce((sum, r) => sum + labelH + barsH(r) + GROUP_GAP, 0);

  const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart" });
  const id = `chart-${Math.random().toString(36).slice(2)}`;
  svg.setAttribute("aria-labelledby", `${id}-t ${id}-d`);
  svg.append(el("title", { id: `${id}-t` }, title), el("desc", { id: `${id}-d` }, description));

  for (const tick of ticks) {
    const anchor = narrow && tick === 0 ? "start" : narrow && tick === 1 ? "end" : "middle";
    svg.append(
      el("line", { x1: x(tick), x2: x(tick), y1: AXIS - 6, y2: height - GROUP_GAP / 2, class: "grid" }),
      el("text", { x: x(tick), y: AXIS - 10, class: "tick", "text-anchor": anchor }, `${tick * 100}%`),
    );
  }
  let y = AXIS;
  for (const row of rows) {
    const h = barsH(row);
    if (narrow) {
      svg.append(el("text", { x: plotX, y: y + 13, class: "label" }, row.label));
      y += labelH;
    } else {
      svg.append(el("text", { x: labelW, y: y + h / 2, class: "label", "text-anchor": "end", "dominant-baseline": "middle" }, row.label));
    }
    row.bars.forEach((bar, i) => {
      const top = y + i * (BAR + BAR_GAP);
      const mid = top + BAR / 2;
      if (bar.value === null || bar.value === undefined) {
        svg.append(el("text", { x: plotX + 4, y: mid, class: "empty", "dominant-baseline": "middle" }, bar.name ? `${bar.name} · ${emptyText}` : emptyText));
        return;
      }
      const kind = bar.target == null ? "neutral" : bar.value >= bar.target ? "ok" : "below";
      svg.append(
        el("rect", { x: plotX, y: top, width: plotW, height: BAR, class: "track", rx: 3 }),
        el("rect", { x: plotX, y: top, width: Math.max(bar.value * plotW, 2), height: BAR, class: `bar ${kind}`, rx: 3 }),
        el("text", { x: width - valueW + 8, y: mid, class: "value", "dominant-baseline": "middle" },
          bar.name ? `${bar.name} ${bar.text}` : bar.text),
      );
      if (bar.target != null) {
        svg.append(el("line", { x1: x(bar.target), x2: x(bar.target), y1: top - 3, y2: top + BAR + 3, class: "target" }));
      }
    });
    y += h + GROUP_GAP;
  }
  return svg;
}
