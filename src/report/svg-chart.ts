/**
 * A line chart over time as inline SVG: linear scales, one path per series (gaps where a value is null), shaded
 * spans (fault windows, the RTO span) and vertical marks (lost writes). A few lines of path building; no library.
 * Everything is drawn in a fixed viewBox and scales to the page's width.
 */
import type { ChartSeries, TimeMark, TimeSpan } from './chart-series.js';
import { escapeHtml as esc } from './html-escape.js';

export interface LineChartInput {
  id: string;
  title: string;
  /** The y axis unit, e.g. "req/s". */
  unit: string;
  durationSeconds: number;
  bucketSeconds: number;
  series: ChartSeries[];
  faultWindows: TimeSpan[];
  rto?: TimeSpan | null;
  marks?: TimeMark[];
  /** Fixed upper bound of the y axis (100 for percentages); default: from the data. */
  yMax?: number;
}

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { left: 52, right: 12, top: 26, bottom: 30 };

/** A "nice" upper bound: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

const fmt = (n: number) => String(Number(n.toFixed(2)));

export function renderLineChart(input: LineChartInput): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const xMax = input.durationSeconds > 0 ? input.durationSeconds : 1;
  const dataMax = Math.max(0, ...input.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v))));
  const yMax = input.yMax ?? niceMax(dataMax);
  const x = (seconds: number) => PAD.left + (Math.min(Math.max(seconds, 0), xMax) / xMax) * plotW;
  const y = (value: number) => PAD.top + plotH - (Math.min(value, yMax) / yMax) * plotH;

  const parts: string[] = [];
  parts.push(`<rect class="plot" x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}"/>`);

  for (const w of input.faultWindows) {
    const x0 = x(w.from);
    const width = Math.max(1, x(w.to) - x0);
    parts.push(
      `<g class="fault-window" data-fault="${esc(w.label)}"><title>${esc(`fault: ${w.label} (${fmt(w.from)} s → ${fmt(w.to)} s)`)}</title>` +
        `<rect x="${fmt(x0)}" y="${PAD.top}" width="${fmt(width)}" height="${plotH}"/>` +
        `<text x="${fmt(x0 + 3)}" y="${PAD.top + 12}">${esc(w.label)}</text></g>`,
    );
  }

  const ticks = 4;
  for (let i = 0; i <= ticks; i++) {
    const v = (yMax / ticks) * i;
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${fmt(y(v))}" y2="${fmt(y(v))}"/>`);
    parts.push(`<text class="tick" x="${PAD.left - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${fmt(v)}</text>`);
  }
  const xStep = niceMax(xMax / 6);
  for (let s = 0; s <= xMax + 1e-9; s += xStep) {
    parts.push(`<text class="tick" x="${fmt(x(s))}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${fmt(s)} s</text>`);
  }

  if (input.rto) {
    const { from, to, label } = input.rto;
    const yr = PAD.top + plotH - 6;
    parts.push(
      `<g class="rto-span" data-rto="${esc(label)}"><title>${esc(`${label}: from the fault (${fmt(from)} s) to recovery (${fmt(to)} s)`)}</title>` +
        `<line x1="${fmt(x(from))}" x2="${fmt(x(to))}" y1="${yr}" y2="${yr}"/>` +
        `<line x1="${fmt(x(from))}" x2="${fmt(x(from))}" y1="${yr - 5}" y2="${yr + 5}"/><line x1="${fmt(x(to))}" x2="${fmt(x(to))}" y1="${yr - 5}" y2="${yr + 5}"/>` +
        `<text x="${fmt((x(from) + x(to)) / 2)}" y="${yr - 4}" text-anchor="middle">${esc(label)}</text></g>`,
    );
  }
  for (const mark of input.marks ?? []) {
    parts.push(
      `<g class="lost-write" data-mark="${esc(mark.label)}"><title>${esc(`${mark.label} at ${fmt(mark.at)} s`)}</title>` +
        `<line x1="${fmt(x(mark.at))}" x2="${fmt(x(mark.at))}" y1="${PAD.top}" y2="${PAD.top + plotH}"/></g>`,
    );
  }

  input.series.forEach((series, index) => {
    const d = pathOf(series.values, (i) => x((i + 0.5) * input.bucketSeconds), y);
    parts.push(`<path class="series s${index}" data-series="${esc(series.key)}" d="${d}"><title>${esc(series.label)}</title></path>`);
  });

  const legend = input.series
    .map((s, i) => `<span class="key"><i class="swatch s${i}"></i>${esc(s.label)}</span>`)
    .join('');
  return (
    `<figure class="chart" id="${esc(input.id)}"><figcaption>${esc(input.title)} <small>(${esc(input.unit)}; shaded: faults active)</small></figcaption>` +
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(input.title)}" preserveAspectRatio="xMidYMid meet">${parts.join('')}</svg>` +
    `<div class="legend">${legend}</div></figure>`
  );
}

/** `M x y L x y …`, starting a new subpath after each gap (null). */
function pathOf(values: readonly (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${fmt(x(i))} ${fmt(y(v))}`;
    pen = true;
  });
  return d;
}
