/**
 * A small Dockerfile reader for the container tests: joins `\` continuations, drops comments,
 * splits stages at FROM and substitutes the global ARG defaults into FROM lines.
 */
import { readFileSync } from 'node:fs';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** The image it starts from, ARGs substituted. */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  args: Record<string, string>;
  stages: Stage[];
}

/** Logical lines: comments and blank lines dropped, `\`-continued lines joined with a space. */
export function logicalLines(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    // Comment lines inside a continuation are skipped too, as Docker does.
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    out.push((pending + line).trim());
    pending = '';
  }
  if (pending.trim() !== '') out.push(pending.trim());
  return out.filter((l) => l !== '');
}

export function parseDockerfile(path: string): Dockerfile {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logicalLines(readFileSync(path, 'utf8'))) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image = '', as, name] = rest.split(/\s+/);
      const from = image.replace(/\$\{?(\w+)\}?/g, (_m, arg: string) => args[arg] ?? '');
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) {
      // Before the first FROM only ARG is allowed; its default applies to FROM lines.
      const [, arg = '', value = ''] = /^(\w+)(?:=(.*))?$/.exec(rest) ?? [];
      if (upper === 'ARG') args[arg] = value;
      continue;
    }
    stage.instructions.push({ keyword: upper, args: rest });
  }
  return { args, stages };
}

/** `KEY=value KEY2="value 2"` (ENV's form), as an object. */
export function keyValues(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const value = match[2] ?? '';
    out[match[1] ?? ''] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
  }
  return out;
}

/** The options (`--interval=30s`) at the start of an instruction, and what follows them. */
export function splitOptions(args: string): { options: Record<string, string>; rest: string } {
  const options: Record<string, string> = {};
  let rest = args.trim();
  for (let m = /^--([\w-]+)=(\S+)\s*/.exec(rest); m !== null; m = /^--([\w-]+)=(\S+)\s*/.exec(rest)) {
    options[m[1] ?? ''] = m[2] ?? '';
    rest = rest.slice(m[0].length);
  }
  return { options, rest };
}

/** An exec-form argument list (`["node", "dist/main.js"]`), or null for the shell form. */
export function execForm(args: string): string[] | null {
  if (!args.trim().startsWith('[')) return null;
  return JSON.parse(args) as string[];
}
