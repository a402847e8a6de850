/**
 * Deterministic inputs for the extraction benchmark: a Discord-like chat corpus (seeded PRNG, so
 * every run and every machine sees the same messages) and adversarial messages built against URL
 * extractors.
 */

/**
 * A flat copy of `s`. Gateway messages come out of JSON.parse as flat strings; strings built by
 * concatenation or slicing are ropes and slices that V8 handles differently, which would skew
 * every extractor's numbers.
 */
function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** mulberry32: tiny, fast, good enough to make a corpus reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a to and is it you that of in for on this i was lol just like have but not with are be so what ' +
  'get gg ok yeah no do can we go me my will all one your about he if they at up out know when good ' +
  'game server mod ban role channel update patch build play stream raid boss loot bug crash fixed ' +
  'anyone help please thanks thx bro dude nice idk tbh imo rn brb afk pog poggers hype voice'
).split(' ');
const EMOJI = ['😂', '👍', '🔥', '❤️', '😭', '🇺🇸', '🎉', '👀', '💀', '✨'];
const TAILS = ['', '', '', '?', '!', '.', '...', ' :)', ' xD'];

// Links vary per message ({id} and {n} are filled from the PRNG) so nothing can be answered from a
// cache of whole URLs; hosts repeat, as they do in real chat.
const LINKS = [
  'https://www.youtube.com/watch?v={id}',
  'https://github.com/nodejs/node/issues/{n}',
  'https://tenor.com/view/cat-{n}',
  'https://x.com/user{n}/status/{n}{n}',
  'https://en.wikipedia.org/wiki/Rust_(programming_language)',
  '<https://store.steampowered.com/app/570/>',
  '[patch notes](https://example.com/patch-notes?v=2)',
  'https://discord.gg/abcdef',
  'https://cdn.discordapp.com/attachments/1/2/setup.exe?ex=1&is=2&hm=abc',
  'check out docs.rs/serde',
  'www.reddit.com/r/gaming',
  'hxxps://evil-login[.]com/verify',
  'http://203.0.114.7:8080/panel',
  'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  '||https://steamcommunity.com.gift-claim.ru/trade||',
  'https://www.google.com/url?q=https://malware.example.org/x&sa=D',
  'see README.md and main.py then https://pypi.org/project/requests/',
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function link(rand: () => number): string {
  const id = Math.floor(rand() * 2 ** 52).toString(36);
  return pick(rand, LINKS)
    .replaceAll('{id}', id)
    .replaceAll('{n}', String(Math.floor(rand() * 1e6)));
}

function chatLine(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 14);
  const words: string[] = [];
  for (let k = 0; k < n; k++) words.push(pick(rand, WORDS));
  const r = rand();
  if (r < 0.06) words.unshift(`<@${100000000000000000 + Math.floor(rand() * 1e15)}>`);
  else if (r < 0.1) words.push(`<:${pick(rand, WORDS)}:${900000000000000000 + Math.floor(rand() * 1e15)}>`);
  else if (r < 0.16) words.push(pick(rand, EMOJI));
  else if (r < 0.18) words.push('`npm run build`');
  else if (r < 0.19) words.push('at 12:30');
  else if (r < 0.2) words.push('v1.2.3');
  else if (r < 0.21) words.splice(2, 0, 'lol.', 'Anyway');
  return words.join(' ') + pick(rand, TAILS);
}

/** `count` Discord-like messages; about 3% carry a link or other indicator. */
export function chatCorpus(count: number, seed = 42): string[] {
  const rand = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const line = chatLine(rand);
    out.push(flat(rand() < 0.03 ? `${line} ${link(rand)}` : line));
  }
  return out;
}

const SIZE = 4000;
function fill(unit: string, prefix = '', suffix = ''): string {
  const room = SIZE - prefix.length - suffix.length;
  return prefix + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + suffix;
}

/** 4,000-character messages built against URL extractors; each entry is [label, message]. */
export function adversarialSet(): [string, string][] {
  return adversarialMessages().map(([label, text]) => [label, flat(text)]);
}

// [label, repeated unit, prefix, suffix]: each message is the unit repeated to 4,000 characters.
const ADVERSARIAL: readonly (readonly [string, string, string?, string?])[] = [
  ['dots', '.'],
  ['hyphens', '-'],
  ['http:// run', 'http://'],
  ['http:// spaced', 'http:// '],
  ['https://a. run', 'a.', 'https://'],
  ['brackets', '['],
  ['close parens', ')', 'https://x.com/'],
  ['open parens', '(', 'https://x.com/'],
  ['[.] run', '[.]'],
  ['a[.] run', 'a[.]'],
  ['a. run', 'a.'],
  ['a- run', 'a-'],
  ['a.b- run', 'a.b-'],
  ['digits and dots', '1.'],
  ['IPv4 chain', '1.2.3.4.'],
  ['colons', ':'],
  ['hex colons', 'a:'],
  ['ffff:: run', 'ffff::'],
  ['hex run', '0123456789abcdef'],
  ['backticks', '`'],
  ['backtick pairs', '` a.b.c `x'],
  ['masked link open', '[a](http://'],
  ['masked link dots', '[a.b](https://a.b '],
  ['defanged schemes', 'hxxp[:]//'],
  ['(dot) run', 'a (dot) '],
  ['e-mail-ish', 'a@b.'],
  ['www run', 'www.'],
  ['underscores', '_', 'https://x.com/'],
  ['pipes', '|', 'https://x.com/'],
  ['stars', '*', 'https://x.com/'],
  ['cyrillic dots', 'а.'],
  ['CJK', '例え。'],
  ['combining marks', 'e\u0301.'],
  ['emoji', '😂.'],
  ['zero-width', 'a\u200B.'],
  ['long host', 'a', 'https://', '.com'],
  ['long path', 'a/', 'https://x.com/'],
  ['query params', '&q=https://a.b', 'https://google.com/url?'],
  ['unicode letters in url', 'ж', 'https://x.com/'],
  ['no anchor', 'lorem ipsum '],
  ['percent host', '%41', 'http://'],
  ['userinfo', '@a', 'http://'],
];

function adversarialMessages(): [string, string][] {
  return ADVERSARIAL.map(([label, unit, prefix, suffix]) => [label, fill(unit, prefix, suffix)]);
}

function dense(make: (i: number) => string): string {
  let s = '';
  for (let i = 0; s.length < SIZE; i++) s += make(i);
  return flat(s.slice(0, SIZE));
}

/**
 * 4,000-character messages packed with distinct, valid indicators (a link-spam raid). Not
 * pathological for a parser, but every item found costs a real parse and a suffix lookup, so
 * the cost grows with what is found; reported apart from the adversarial set.
 */
export function denseSet(): [string, string][] {
  return [
    ['300 distinct URLs', dense((i) => `http://a${i}.com/x `)],
    ['distinct bare names', dense((i) => `a${i}.com `)],
    ['distinct IPv4', dense((i) => `8.8.${(i >> 8) & 255}.${i & 255} `)],
    ['masked links', dense((i) => `[a${i}.com](https://b${i}.com) `)],
  ];
}
