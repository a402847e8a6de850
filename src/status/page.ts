/**
 * The status page an owner opens at `GET /`: quota gauges, the queue over the last hour, verdict
 * counts, the cache hit ratio and recent reference ids. Server-rendered HTML with inline CSS and SVG,
 * no script and nothing fetched; it reloads itself. Only aggregates and reference ids appear: never
 * message content, user names or ids.
 */
import { esc, gaugeSvg, lineChartSvg } from './charts.js';
import type { QueueSample } from './queue-history.js';
import type { RecentError } from './recent-errors.js';

export interface WindowUse {
  used: number;
  limit: number;
  resetAt: Date;
}

export interface StatusData {
  now: number;
  quota: { minute: WindowUse; day: WindowUse; month: WindowUse; queued: number; paused?: Date };
  gatewayConnected: boolean;
  storeWritable: boolean;
  queue: readonly QueueSample[];
  /** Scans by verdict word (malicious, suspicious, clean, unknown, quota, error). */
  verdicts: Readonly<Record<string, number>>;
  cache: { hit: number; miss: number; joined: number };
  errors: readonly RecentError[];
  /** Seconds between reloads. */
  refreshSeconds: number;
}

const WINDOW_TITLES = { minute: 'This minute', day: 'Today (UTC)', month: 'This month (UTC)' } as const;
const VERDICT_COLOURS: Readonly<Record<string, string>> = { malicious: '#d33', suspicious: '#e90', clean: '#2a7', unknown: '#888', quota: '#66c', error: '#a4a' };

const CSS = `body{font-family:system-ui,sans-serif;margin:0;padding:12px;background:#f6f7f9;color:#222}
h1{font-size:1.3em;margin:0 0 4px}h2{font-size:1.05em;margin:0 0 8px}.sub{color:#666;font-size:.85em;margin-bottom:12px}
.grid{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border-radius:8px;padding:12px;box-shadow:0 1px 2px #0002;flex:1 1 280px;min-width:0}
.gauges{display:flex;flex-wrap:wrap;gap:8px;justify-content:space-around}.gauge{text-align:center}.gauge-value{font-size:1.3em;font-weight:600}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:.85em;color:#fff}.ok{background:#2a7}.bad{background:#d33}
.chart{width:100%;height:auto}.legend span{margin-right:12px;font-size:.85em}table{border-collapse:collapse;width:100%;font-size:.9em}
td,th{text-align:left;padding:3px 6px;border-bottom:1px solid #eee}.bar{height:10px;border-radius:3px;display:inline-block;vertical-align:middle}
code{font-size:.95em}.big{font-size:1.6em;font-weight:600}`;

export function renderStatusPage(d: StatusData): string {
  const badge = (ok: boolean, yes: string, no: string): string => `<span class="badge ${ok ? 'ok' : 'bad'}">${ok ? yes : no}</span>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="refresh" content="${d.refreshSeconds}">
<title>vt-guard status</title><style>${CSS}</style></head><body>
<h1>vt-guard status</h1>
<div class="sub">Updated ${esc(new Date(d.now).toISOString().replace('T', ' ').slice(0, 19))} UTC · reloads every ${d.refreshSeconds} s ·
${badge(d.gatewayConnected, 'Discord connected', 'Discord disconnected')} ${badge(d.storeWritable, 'store writable', 'store not writable')}</div>
<div class="grid">
${quotaCard(d)}
${queueCard(d)}
${verdictCard(d)}
${cacheCard(d)}
${errorsCard(d)}
</div></body></html>`;
}

function quotaCard(d: StatusData): string {
  const gauges = (['minute', 'day', 'month'] as const).map((w) => {
    const use = d.quota[w];
    return `<div class="gauge" data-window="${w}">${gaugeSvg(use.used, use.limit)}
<div class="gauge-value">${use.used} / ${use.limit}</div><div>${WINDOW_TITLES[w]}</div></div>`;
  }).join('');
  const paused = d.quota.paused === undefined ? '' : `<p>VirusTotal asked the bot to slow down; sending resumes at ${esc(d.quota.paused.toISOString().slice(11, 19))} UTC.</p>`;
  return `<section class="card" id="quota"><h2>VirusTotal quota</h2><div class="gauges">${gauges}</div>${paused}</section>`;
}

function queueCard(d: StatusData): string {
  const from = d.now - 3_600_000;
  const recent = d.queue.filter((s) => s.time >= from);
  const depth = { name: 'depth', colour: '#36c', points: recent.map((s) => [s.time, s.depth] as const) };
  const wait = { name: 'wait', colour: '#e90', points: recent.map((s) => [s.time, Math.round(s.waitSeconds * 10) / 10] as const) };
  return `<section class="card" id="queue" style="flex-basis:100%"><h2>Queue over the last hour</h2>
<div class="legend"><span style="color:#36c">■ requests waiting (now ${d.quota.queued})</span><span style="color:#e90">■ mean wait, seconds</span></div>
${lineChartSvg(from, d.now, depth, wait)}</section>`;
}

function verdictCard(d: StatusData): string {
  const total = Object.values(d.verdicts).reduce((a, b) => a + b, 0);
  const rows = Object.entries(d.verdicts).map(([verdict, n]) => {
    const width = total === 0 ? 0 : Math.round((n / total) * 120);
    return `<tr data-verdict="${esc(verdict)}"><td>${esc(verdict)}</td><td class="count">${n}</td><td><span class="bar" style="width:${width}px;background:${VERDICT_COLOURS[verdict] ?? '#888'}"></span></td></tr>`;
  }).join('');
  return `<section class="card" id="verdicts"><h2>Scans by verdict (since start)</h2><table>${rows}</table></section>`;
}

function cacheCard(d: StatusData): string {
  const { hit, miss, joined } = d.cache;
  const looked = hit + miss;
  const ratio = looked === 0 ? '–' : `${Math.round((hit / looked) * 100)} %`;
  return `<section class="card" id="cache"><h2>Report cache</h2><div class="big" id="hit-ratio">${ratio}</div>
<div>hit ratio: ${hit} from the cache, ${miss} asked VirusTotal, ${joined} joined a look-up in flight</div></section>`;
}

function errorsCard(d: StatusData): string {
  const rows = d.errors.map((e) => `<tr><td><code>${esc(e.refId)}</code></td><td>${esc(new Date(e.time).toISOString().slice(0, 19).replace('T', ' '))}</td><td>${esc(e.where)}</td></tr>`).join('');
  const body = rows === '' ? '<p>None since start.</p>' : `<table><tr><th>Reference</th><th>When (UTC)</th><th>Where</th></tr>${rows}</table>`;
  return `<section class="card" id="errors"><h2>Recent errors</h2>${body}</section>`;
}
