/**
 * Inline SVG for the status page: a half-circle gauge and a line chart. Plain strings, no script,
 * nothing fetched, so the page works offline and under a `default-src 'none'` policy.
 */

/** Escapes text for HTML and SVG. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A half-circle gauge filled to used/limit; red from 90 %. */
export function gaugeSvg(used: number, limit: number): string {
  const ratio = limit > 0 ? Math.min(1, Math.max(0, used / limit)) : 0;
  const angle = Math.PI * (1 - ratio);
  const x = (50 + 40 * Math.cos(angle)).toFixed(2);
  const y = (50 - 40 * Math.sin(angle)).toFixed(2);
  const colour = ratio >= 0.9 ? '#d33' : ratio >= 0.7 ? '#e90' : '#2a7';
  const arc = ratio > 0 ? `<path d="M10 50 A40 40 0 0 1 ${x} ${y}" stroke="${colour}" stroke-width="10" fill="none"/>` : '';
  return `<svg viewBox="0 0 100 56" width="160" height="90" role="img" aria-label="${Math.round(ratio * 100)} percent used">`
    + '<path d="M10 50 A40 40 0 0 1 90 50" stroke="#ddd" stroke-width="10" fill="none"/>'
    + `${arc}</svg>`;
}

export interface Series {
  name: string;
  colour: string;
  /** [time, value] pairs, oldest first. */
  points: ReadonlyArray<readonly [number, number]>;
}

const W = 600;
const H = 200;
const PAD = { left: 56, right: 56, top: 18, bottom: 34 };

/**
 * Two series over a shared time axis, each scaled to its own axis (left: the first, right: the
 * second), so a queue depth of 3 and a wait of 40 s are both readable.
 */
export function lineChartSvg(fromMs: number, toMs: number, left: Series, right: Series): string {
  const span = Math.max(1, toMs - fromMs);
  const px = (t: number): number => PAD.left + ((t - fromMs) / span) * (W - PAD.left - PAD.right);
  const axis = (s: Series): { max: number; py: (v: number) => number } => {
    const max = niceMax(Math.max(0, ...s.points.map(([, v]) => v)));
    return { max, py: (v) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom) };
  };
  const line = (s: Series): string => {
    const { py } = axis(s);
    const pts = s.points.map(([t, v]) => `${px(t).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
    const last = s.points.at(-1);
    // The newest sample as a dot, so a flat line still reads as data, not as an axis.
    const dot = last === undefined ? '' : `<circle cx="${px(last[0]).toFixed(1)}" cy="${py(last[1]).toFixed(1)}" r="4" fill="${s.colour}"/>`;
    return `<polyline class="series" data-series="${esc(s.name)}" points="${pts}" fill="none" stroke="${s.colour}" stroke-width="3"/>${dot}`;
  };
  const minutesAgo = (m: number): string => `<text x="${px(toMs - m * 60_000).toFixed(1)}" y="${H - 6}" text-anchor="middle">${m === 0 ? 'now' : `-${m} min`}</text>`;
  const ticks = [60, 45, 30, 15, 0].filter((m) => toMs - m * 60_000 >= fromMs).map(minutesAgo).join('');
  return `<svg viewBox="0 0 ${W} ${H}" class="chart" role="img" aria-label="queue over the last hour" font-size="18" fill="#555">`
    + `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#bbb"/>`
    + `<text x="${PAD.left - 4}" y="${PAD.top + 8}" text-anchor="end" fill="${left.colour}">${axis(left).max}</text>`
    + `<text x="${W - PAD.right + 4}" y="${PAD.top + 8}" fill="${right.colour}">${axis(right).max}s</text>`
    + `<text x="${PAD.left - 4}" y="${H - PAD.bottom}" text-anchor="end">0</text>`
    + `${ticks}${line(left)}${line(right)}</svg>`;
}

/** 1, 2, 5, 10, 20, 50, … at or above `v` (at least 1), so axis labels stay round. */
export function niceMax(v: number): number {
  let step = 1;
  for (;;) {
    for (const m of [1, 2, 5]) if (step * m >= v) return step * m;
    step *= 10;
  }
}
