/** Small inline-SVG charts for the HTML report: no scripts, no external files, no namespace URL. */

export const PALETTE = [
  "#2f6fdf",
  "#e0792b",
  "#2e9e5b",
  "#c23b3b",
  "#8a5cc7",
  "#16a3b5",
  "#b58a16",
  "#d05fa6",
  "#5f6b7a",
];

export interface Series {
  name: string;
  values: readonly (number | null)[];
  color: string;
}

export interface ChartOptions {
  title: string;
  /** Label of each bucket on the x axis (a few are shown). */
  xLabels: readonly string[];
  /** Formats a y-axis value. */
  format: (value: number) => string;
  /** The y axis's top; default the largest value. */
  max?: number;
  /** The y axis's bottom; default 0. */
  min?: number;
  width?: number;
  height?: number;
}

const PAD = { left: 64, right: 12, top: 28, bottom: 28 };

/** Lines over time, one per series; gaps where a value is `null`. */
export function lineChart(series: readonly Series[], options: ChartOptions): string {
  const frame = createFrame(
    series.flatMap((entry) => entry.values),
    options,
  );
  const paths = series.map((entry) => {
    let d = "";
    let pen = false;
    entry.values.forEach((value, index) => {
      if (value === null) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${num(frame.x(index + 0.5))},${num(frame.y(value))}`;
      pen = true;
    });
    return `<path d="${d}" fill="none" stroke="${entry.color}" stroke-width="1.6"><title>${escapeHtml(entry.name)}</title></path>`;
  });
  return frame.wrap(paths.join(""), legend(series));
}

/** Bars stacked per bucket, one colour per series. */
export function stackedBarChart(series: readonly Series[], options: ChartOptions): string {
  const buckets = options.xLabels.length;
  const totals = Array.from({ length: buckets }, (_, index) =>
    series.reduce((sum, entry) => sum + (entry.values[index] ?? 0), 0),
  );
  const frame = createFrame(totals, options);
  const barWidth = Math.max(1, frame.step * 0.85);
  const rects: string[] = [];
  for (let index = 0; index < buckets; index++) {
    let base = 0;
    for (const entry of series) {
      const value = entry.values[index] ?? 0;
      if (value <= 0) continue;
      const top = frame.y(base + value);
      const height = frame.y(base) - top;
      rects.push(
        `<rect x="${num(frame.x(index) + (frame.step - barWidth) / 2)}" y="${num(top)}" width="${num(barWidth)}" height="${num(height)}" fill="${entry.color}"><title>${escapeHtml(`${entry.name} @ ${options.xLabels[index] ?? ""}: ${value}`)}</title></rect>`,
      );
      base += value;
    }
  }
  return frame.wrap(rects.join(""), legend(series));
}

export interface StateRow {
  label: string;
  states: readonly string[];
}

/** One strip of coloured cells per row (circuit states over time). */
export function stateChart(
  rows: readonly StateRow[],
  colors: Readonly<Record<string, string>>,
  options: { title: string; xLabels: readonly string[]; width?: number },
): string {
  const width = options.width ?? 900;
  const labelWidth = 260;
  const rowHeight = 18;
  const top = 28;
  const buckets = options.xLabels.length;
  const step = (width - labelWidth - PAD.right) / Math.max(1, buckets);
  const height = top + rows.length * (rowHeight + 4) + 24;
  const cells: string[] = [];
  rows.forEach((row, rowIndex) => {
    const y = top + rowIndex * (rowHeight + 4);
    cells.push(
      `<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end" class="label">${escapeHtml(row.label)}</text>`,
    );
    row.states.forEach((state, index) => {
      cells.push(
        `<rect x="${num(labelWidth + index * step)}" y="${y}" width="${num(step + 0.4)}" height="${rowHeight}" fill="${colors[state] ?? "#ccc"}"><title>${escapeHtml(`${row.label} @ ${options.xLabels[index] ?? ""}: ${state}`)}</title></rect>`,
      );
    });
  });
  const ticks = tickIndexes(buckets).map(
    (index) =>
      `<text x="${num(labelWidth + index * step)}" y="${height - 8}" class="tick">${escapeHtml(options.xLabels[index] ?? "")}</text>`,
  );
  const keys = Object.entries(colors).map(
    ([state, color], index) =>
      `<rect x="${labelWidth + index * 120}" y="6" width="10" height="10" fill="${color}"/><text x="${labelWidth + index * 120 + 14}" y="15" class="tick">${escapeHtml(state.replace("_", " "))}</text>`,
  );
  return `<figure><figcaption>${escapeHtml(options.title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(options.title)}">${keys.join("")}${cells.join("")}${ticks.join("")}</svg></figure>`;
}

interface Frame {
  step: number;
  x(index: number): number;
  y(value: number): number;
  wrap(body: string, legendMarkup: string): string;
}

function createFrame(values: readonly (number | null)[], options: ChartOptions): Frame {
  const width = options.width ?? 900;
  const height = options.height ?? 220;
  const present = values.filter((value): value is number => value !== null);
  const min = options.min ?? 0;
  const largest = present.length === 0 ? 1 : Math.max(...present);
  const max = options.max ?? (largest > min ? niceCeiling(largest) : min + 1);
  const buckets = Math.max(1, options.xLabels.length);
  const plotWidth = width - PAD.left - PAD.right;
  const plotHeight = height - PAD.top - PAD.bottom;
  const step = plotWidth / buckets;
  const x = (index: number) => PAD.left + index * step;
  const y = (value: number) =>
    PAD.top + plotHeight - ((Math.min(max, Math.max(min, value)) - min) / (max - min)) * plotHeight;
  const grid: string[] = [];
  for (let tick = 0; tick <= 4; tick++) {
    const value = min + ((max - min) * tick) / 4;
    grid.push(
      `<line x1="${PAD.left}" x2="${width - PAD.right}" y1="${num(y(value))}" y2="${num(y(value))}" class="grid"/>`,
      `<text x="${PAD.left - 6}" y="${num(y(value) + 4)}" text-anchor="end" class="tick">${escapeHtml(options.format(value))}</text>`,
    );
  }
  for (const index of tickIndexes(buckets)) {
    grid.push(
      `<text x="${num(x(index))}" y="${height - 8}" class="tick">${escapeHtml(options.xLabels[index] ?? "")}</text>`,
    );
  }
  return {
    step,
    x,
    y,
    wrap: (body, legendMarkup) =>
      `<figure><figcaption>${escapeHtml(options.title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(options.title)}">${grid.join("")}${body}${legendMarkup}</svg></figure>`,
  };
}

function legend(series: readonly Series[]): string {
  return series
    .map(
      (entry, index) =>
        `<rect x="${PAD.left + index * 180}" y="8" width="10" height="10" fill="${entry.color}"/><text x="${PAD.left + index * 180 + 14}" y="17" class="tick">${escapeHtml(entry.name)}</text>`,
    )
    .join("");
}

function tickIndexes(buckets: number): number[] {
  const every = Math.max(1, Math.ceil(buckets / 8));
  const indexes: number[] = [];
  for (let index = 0; index < buckets; index += every) indexes.push(index);
  return indexes;
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 2.5, 5, 10]) {
    if (value <= factor * magnitude) return factor * magnitude;
  }
  return 10 * magnitude;
}

function num(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : "0";
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
