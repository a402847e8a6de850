/**
 * Bare (scheme-less) domain names in free text: maximal runs of letters, digits, marks, '-' and
 * '.', with the boundary, file-name and code rules of EXTRACTION.md.
 */
import { domainToASCII } from 'node:url';
import { classes, isAsciiAlnum, WORD } from './chars.js';
import { checkName } from './host.js';
import type { HostKind } from './host.js';

/** Where a run sits, for the rules that depend on context. */
export interface RunContext {
  /** The run needed refanging: file-name and code rules do not apply. */
  refanged: boolean;
  /** The run starts inside a code span or block. */
  inCode: boolean;
}

// TLDs that are also common file extensions: bare "main.py" is a file name, "docs.rs/x" a site.
const FILE_LIKE_TLDS = new Set(['zip', 'mov', 'md', 'py', 'sh', 'rs', 'so', 'gd', 'java', 'map', 'one']);

function isRunChar(table: Uint8Array, c: number): boolean {
  return c === 0x2e || c === 0x2d || ((table[c] ?? 0) & WORD) !== 0;
}

/**
 * Calls `visit(start, end)` for each maximal run that contains a '.', left to right, each
 * character visited at most twice (once growing left, once growing right).
 */
export function forEachRun(text: string, visit: (start: number, end: number) => void): void {
  const table = classes();
  let floor = 0;
  let dot = text.indexOf('.');
  while (dot >= 0) {
    let s = dot;
    while (s > floor && isRunChar(table, text.charCodeAt(s - 1))) s--;
    // Astral letters (surrogate pairs) are not in the table, so they end a run: rare in host names.
    let e = dot + 1;
    while (e < text.length && isRunChar(table, text.charCodeAt(e))) e++;
    visit(s, e);
    floor = e;
    dot = text.indexOf('.', e);
  }
}

/** The valid name in the run [start, end) and its kind, or undefined (first-party included). */
export function bareDomain(text: string, start: number, end: number, ctx: RunContext): { name: string; kind: HostKind } | undefined {
  if (!boundaryOk(text, start, end)) return undefined;
  if (ctx.inCode && !ctx.refanged) return undefined;
  let e = end;
  if (text.charCodeAt(e - 1) === 0x2e) e--;
  if (endsInDigitLabel(text, start, e)) return undefined; // versions and IPs: no TLD is numeric
  // Even with IDN mapping a run far longer than 253 characters cannot give a valid name, and
  // UTS-46 on a 4,000-character run is the one expensive step an adversary could force.
  if (e - start > 512) return undefined;
  const raw = text.slice(start, e);
  if (raw.includes('..') || !/[a-z\u0080-\uffff]/i.test(raw.slice(raw.lastIndexOf('.') + 1))) return undefined;
  const name = /[\u0080-\uffff]/.test(raw) ? domainToASCII(raw) : raw.toLowerCase();
  if (name === '') return undefined;
  const tld = name.slice(name.lastIndexOf('.') + 1);
  if (FILE_LIKE_TLDS.has(tld) && !ctx.refanged && text.charCodeAt(end) !== 0x2f) return undefined;
  const kind = checkName(name, false);
  return kind === 'invalid' ? undefined : { name, kind };
}

function endsInDigitLabel(text: string, start: number, end: number): boolean {
  let i = end - 1;
  while (i >= start && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i--;
  return i < end - 1 && (i < start || text.charCodeAt(i) === 0x2e);
}

function boundaryOk(text: string, start: number, end: number): boolean {
  if (text.charCodeAt(end) === 0x40) return false;
  if (start === 0) return true;
  const before = text.charCodeAt(start - 1);
  if (before === 0x40 || before === 0x5c || before === 0x25) return false;
  if (before !== 0x5f) return true;
  // EXTRACTION.md rejects a preceding '_' (snake_case identifiers) but also says markdown around an
  // indicator is not part of it; "__evil.com__" is underline markup, so a run of '_' that is
  // itself preceded by a non-identifier character (or nothing) counts as markdown.
  let u = start - 1;
  while (u > 0 && text.charCodeAt(u - 1) === 0x5f) u--;
  return u === 0 || !isAsciiAlnum(text.charCodeAt(u - 1));
}
