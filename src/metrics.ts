/**
 * Counters and gauges for `GET /metrics` (Prometheus text format). Kept in memory: a restart starts
 * the counters again, which Prometheus handles (counter resets).
 */

type Labels = Readonly<Record<string, string>>;

interface Family {
  type: 'counter' | 'gauge';
  help: string;
  values: Map<string, { labels: Labels; value: number }>;
  /** Gauges read on scrape (queue length, …). */
  read?: () => number;
}

export class Metrics {
  readonly #families = new Map<string, Family>();

  /** Adds `by` (default 1) to a counter. */
  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const family = this.#family(name, 'counter', help);
    const key = labelKey(labels);
    const current = family.values.get(key);
    family.values.set(key, { labels, value: (current?.value ?? 0) + by });
  }

  /** Registers a gauge whose value is read at scrape time. */
  gauge(name: string, help: string, read: () => number): void {
    this.#family(name, 'gauge', help).read = read;
  }

  /** The current value of a counter (for tests and `/vt quota`). */
  value(name: string, labels: Labels = {}): number {
    return this.#families.get(name)?.values.get(labelKey(labels))?.value ?? 0;
  }

  /** Prometheus exposition text. */
  render(): string {
    const lines: string[] = [];
    for (const [name, family] of this.#families) {
      lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.type}`);
      if (family.read) lines.push(`${name} ${family.read()}`);
      for (const { labels, value } of family.values.values()) lines.push(`${name}${formatLabels(labels)} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }

  #family(name: string, type: Family['type'], help: string): Family {
    let family = this.#families.get(name);
    if (!family) {
      family = { type, help, values: new Map() };
      this.#families.set(name, family);
    }
    return family;
  }
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`)
    .join(',');
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const escaped = entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `{${escaped.join(',')}}`;
}
