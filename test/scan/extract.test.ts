/**
 * Table tests for extractIndicators, one block per section of docs/extraction.md. Each row is the whole
 * expected result: any array not named must come back empty (nothing extra costs quota).
 */
import { describe, expect, it } from 'vitest';
import { extractIndicators } from '../../src/scan/extract.js';

interface Expected {
  urls?: string[];
  domains?: string[];
  ips?: string[];
  hashes?: string[];
}
type Row = [name: string, input: string, expected: Expected];

const H32 = 'd41d8cd98f00b204e9800998ecf8427e';
const H40 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const H64 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function check([, input, expected]: Row): void {
  const got = extractIndicators(input);
  const sorted = (xs: readonly string[] | undefined): string[] => [...(xs ?? [])].sort();
  expect({ urls: sorted(got.urls), domains: sorted(got.domains), ips: sorted(got.ips), hashes: sorted(got.hashes) }).toEqual({
    urls: sorted(expected.urls),
    domains: sorted(expected.domains),
    ips: sorted(expected.ips),
    hashes: sorted(expected.hashes),
  });
}

function table(title: string, rows: Row[]): void {
  describe(title, () => {
    it.each(rows)('%s', (...row) => check(row));
  });
}

table('input clean-up', [
  ['deletes U+200B inside a host', 'https://pay\u200Bpal.com/x', { urls: ['https://paypal.com/x'], domains: ['paypal.com'] }],
  ['deletes U+2060 inside a bare name', 'evil\u2060site.com', { domains: ['evilsite.com'] }],
  ['deletes U+FEFF before a URL', '\uFEFFhttps://a.com', { urls: ['https://a.com/'], domains: ['a.com'] }],
  ['deletes soft hyphen inside a host', 'https://exam\u00ADple.com', { urls: ['https://example.com/'], domains: ['example.com'] }],
  ['deletes zero-width inside a hash', `d41d8cd98f00b204\u200Be9800998ecf8427e`, { hashes: [H32] }],
  ['keeps ZWJ, so the host fails IDNA and yields nothing', 'https://pay\u200Dpal.com/', {}],
  ['keeps a bidi control: ends nothing, fails the host', 'https://a\u202Eb.com/', {}],
  ['empty message', '', {}],
  ['plain chat', 'gg wp everyone, see you tomorrow', {}],
  ['sentence periods are not anchors', 'ok. fine. whatever...', {}],
]);

table('code spans and blocks', [
  ['scheme URL inside inline code', '`https://evil.com/x`', { urls: ['https://evil.com/x'], domains: ['evil.com'] }],
  ['bare domain inside inline code is ignored', 'run `pip install requests.com` now', {}],
  ['dotted identifier in code block', '```js\nconst x = foo.bar.baz;\nwindow.location.href\n```', {}],
  ['bare domain in a code block is ignored', '```\nexample.com\n```', {}],
  ['IP inside code is reported', '`curl 8.8.8.8`', { ips: ['8.8.8.8'] }],
  ['hash inside a code block is reported', '```\n' + H64 + '\n```', { hashes: [H64] }],
  ['defanged name inside code is reported', '`evil[.]com`', { domains: ['evil.com'] }],
  ['defanged URL inside code block', '```\nhxxp://evil[.]com/a\n```', { urls: ['http://evil.com/a'], domains: ['evil.com'] }],
  ['double-backtick span', '``a.com `b` c.com``', {}],
  ['unclosed backtick is literal text', 'it`s example.com', { domains: ['example.com'] }],
  ['bare domain after a closed span counts', '`x` then example.org', { domains: ['example.org'] }],
  ['file name in code', '`README.md`', {}],
]);

table('URLs: schemes', [
  ['http', 'http://example.com', { urls: ['http://example.com/'], domains: ['example.com'] }],
  ['https', 'https://example.com/a', { urls: ['https://example.com/a'], domains: ['example.com'] }],
  ['upper-case scheme', 'HTTPS://EXAMPLE.COM/A', { urls: ['https://example.com/A'], domains: ['example.com'] }],
  ['mixed-case scheme', 'hTtP://example.com', { urls: ['http://example.com/'], domains: ['example.com'] }],
  ['ftp gives no URL, the name is still a domain', 'ftp://files.example.net/x', { domains: ['files.example.net'] }],
  ['file: gives nothing', 'file:///etc/passwd', {}],
  ['javascript: gives nothing', 'javascript:alert(1)', {}],
  ['data: gives nothing', 'data:text/html;base64,PHNjcmlwdD4=', {}],
  ['steam: gives no URL; its host is a domain', 'steam://openurl/https', {}],
  ['steam: with a host name', 'steam://store.steampowered.com/app/1', { domains: ['store.steampowered.com'] }],
  ['scheme-less path is a domain only', 'example.com/path?x=1', { domains: ['example.com'] }],
  ['www without scheme is a domain only', 'www.example.com', { domains: ['www.example.com'] }],
  ['protocol-relative is a domain only', '//example.com/x', { domains: ['example.com'] }],
  ['scheme preceded by a letter is not a URL start', 'xhttp://example.com/a', { domains: ['example.com'] }],
  ['scheme preceded by a digit is not a URL start', '1https://example.com', { domains: ['example.com'] }],
  ['scheme preceded by punctuation is fine', '(https://example.com)', { urls: ['https://example.com/'], domains: ['example.com'] }],
  ['URL then a bare domain', 'https://a.com/x and b.org', { urls: ['https://a.com/x'], domains: ['a.com', 'b.org'] }],
  ['URL then an IP', 'https://a.com/x from 8.8.8.8', { urls: ['https://a.com/x'], domains: ['a.com'], ips: ['8.8.8.8'] }],
  ['URL then a defanged name', 'https://a.com/x vs evil[.]ru', { urls: ['https://a.com/x'], domains: ['a.com', 'evil.ru'] }],
  ['URL then an IPv6 address', 'https://a.com/x 2606:4700::1111', { urls: ['https://a.com/x'], domains: ['a.com'], ips: ['2606:4700::1111'] }],
  ['two URLs', 'https://a.com https://b.org', { urls: ['https://a.com/', 'https://b.org/'], domains: ['a.com', 'b.org'] }],
  ['duplicates are reported once', 'https://a.com https://a.com', { urls: ['https://a.com/'], domains: ['a.com'] }],
  ['empty host', 'http://', {}],
  ['http:/// is not a URL', 'http:///', {}],
]);

table('URLs: where they end', [
  ['space', 'https://a.com/x y', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['no-break space', 'https://a.com/x\u00A0y', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['ideographic space', 'https://a.com/x\u3000y', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['newline', 'https://a.com/x\nnext', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['less-than', 'https://a.com/x<b', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['double quote', '"https://a.com/x"', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['backtick', 'https://a.com/x`', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['spoiler marker', '||https://a.com/x||', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['single pipe stays inside', 'https://a.com/x|y', { urls: ['https://a.com/x|y'], domains: ['a.com'] }],
  ['emoji', 'https://a.com/x😂', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['BMP pictograph', 'https://a.com/x\u2764', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['regional indicator flag', 'https://a.com/x🇺🇸', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['ideographic full stop', 'https://a.com/x。次', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['fullwidth parenthesis', '（https://a.com/x）', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['corner brackets', '「https://a.com/x」', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['fullwidth comma', 'https://a.com/x，y', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['curly quotes', '“https://a.com/x”', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['guillemets', '«https://a.com/x»', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['Cyrillic letters do not end a URL', 'https://a.com/привет', { urls: ['https://a.com/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82'], domains: ['a.com'] }],
  ['CJK letters do not end a URL', 'https://a.com/例', { urls: ['https://a.com/%E4%BE%8B'], domains: ['a.com'] }],
]);

table('URLs: trailing characters', [
  ['sentence period', 'see https://a.com/x.', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['comma', 'https://a.com/x, then', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['several marks', 'https://a.com/x?!.', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['colon and semicolon', 'https://a.com/x:;', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['quote and star', "'https://a.com/x'*", { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['bold', '**https://a.com/x**', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['italic star', '*https://a.com/x*', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['strike', '~~https://a.com/x~~', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['underline removes trailing _ run', '__https://a.com/x__', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['italic underscore', '_https://a.com/x_', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['trailing _ kept when not preceded by _', 'https://a.com/x_', { urls: ['https://a.com/x_'], domains: ['a.com'] }],
  ['unbalanced ) removed', '(see https://a.com/x)', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['balanced () kept (Wikipedia)', 'https://en.wikipedia.org/wiki/Foo_(bar)', { urls: ['https://en.wikipedia.org/wiki/Foo_(bar)'], domains: ['en.wikipedia.org'] }],
  ['balanced () kept then ) removed', '(https://en.wikipedia.org/wiki/Foo_(bar))', { urls: ['https://en.wikipedia.org/wiki/Foo_(bar)'], domains: ['en.wikipedia.org'] }],
  ['unbalanced ] removed', '[https://a.com/x]', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['balanced [] kept', 'https://a.com/x[1]', { urls: ['https://a.com/x[1]'], domains: ['a.com'] }],
  ['unbalanced } removed', '{https://a.com/x}', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['balanced {} kept', 'https://a.com/{id}', { urls: ['https://a.com/%7Bid%7D'], domains: ['a.com'] }],
  ['trailing opening bracket removed', 'https://a.com/x(', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['mixed trailing run', 'https://a.com/x).', { urls: ['https://a.com/x'], domains: ['a.com'] }],
]);

table('URLs: normalisation (href)', [
  ['default port removed', 'https://a.com:443/x', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['other port kept', 'http://a.com:8080/x', { urls: ['http://a.com:8080/x'], domains: ['a.com'] }],
  ['dot segments resolved', 'https://a.com/a/./b/../c', { urls: ['https://a.com/a/c'], domains: ['a.com'] }],
  ['empty path becomes /', 'https://a.com', { urls: ['https://a.com/'], domains: ['a.com'] }],
  ['fragment kept', 'https://a.com/x#top', { urls: ['https://a.com/x#top'], domains: ['a.com'] }],
  ['query kept', 'https://a.com/x?a=1&b=2', { urls: ['https://a.com/x?a=1&b=2'], domains: ['a.com'] }],
  ['userinfo kept, host is the real host', 'https://paypal.com@evil.xyz/', { urls: ['https://paypal.com@evil.xyz/'], domains: ['evil.xyz'] }],
  ['user:password kept', 'https://user:pw@evil.xyz/a', { urls: ['https://user:pw@evil.xyz/a'], domains: ['evil.xyz'] }],
  ['IDN host to punycode', 'https://раураl.com/', { urls: ['https://xn--l-7sba6dbr.com/'], domains: ['xn--l-7sba6dbr.com'] }],
  ['upper-case host lower-cased', 'https://WWW.Example.COM/Path', { urls: ['https://www.example.com/Path'], domains: ['www.example.com'] }],
  ['decimal IPv4 host', 'http://16843009/', { urls: ['http://1.1.1.1/'], ips: ['1.1.1.1'] }],
  ['hex IPv4 host', 'http://0x08080808/', { urls: ['http://8.8.8.8/'], ips: ['8.8.8.8'] }],
  ['octal IPv4 host', 'http://010.010.010.010/', { urls: ['http://8.8.8.8/'], ips: ['8.8.8.8'] }],
  ['short IPv4 host', 'http://8.8.2056/', { urls: ['http://8.8.8.8/'], ips: ['8.8.8.8'] }],
  ['dotted hex IPv4 host', 'http://0x08.0x08.0x08.0x08/', { urls: ['http://8.8.8.8/'], ips: ['8.8.8.8'] }],
  ['IPv6 host compressed', 'http://[2606:4700:0:0:0:0:0:1111]:80/', { urls: ['http://[2606:4700::1111]/'], ips: ['2606:4700::1111'] }],
  ['percent-encoding of path', 'https://a.com/a b', { urls: ['https://a.com/a'], domains: ['a.com'] }],
  ['non-ASCII path percent-encoded', 'https://a.com/é', { urls: ['https://a.com/%C3%A9'], domains: ['a.com'] }],
  ['backslash read as slash', 'https://a.com\\x', { urls: ['https://a.com/x'], domains: ['a.com'] }],
  ['fullwidth letters in host map to ASCII', 'https://ｅｘａｍｐｌｅ.com/', { urls: ['https://example.com/'], domains: ['example.com'] }],
]);

table('URLs: dropped', [
  ['private IPv4 host', 'http://192.168.1.1/admin', {}],
  ['loopback', 'http://127.0.0.1:3000/', {}],
  ['numeric loopback', 'http://2130706433/', {}],
  ['CGNAT host', 'http://100.64.0.1/', {}],
  ['documentation range host', 'http://203.0.113.5/', {}],
  ['link-local IPv6 host', 'http://[fe80::1]/', {}],
  ['localhost', 'http://localhost:8080/', {}],
  ['.local', 'http://printer.local/', {}],
  ['.test', 'https://site.test/', {}],
  ['.invalid', 'https://x.invalid/', {}],
  ['.example', 'https://www.example/', {}],
  ['.internal', 'https://app.internal/', {}],
  ['.lan', 'http://nas.lan/', {}],
  ['home.arpa', 'http://router.home.arpa/', {}],
  ['single label', 'http://intranet/', {}],
  ['not an ICANN suffix', 'https://setup.exe/', {}],
  ['bare public suffix', 'https://co.uk/', {}],
  ['label longer than 63', `https://${'a'.repeat(64)}.com/`, {}],
  ['name longer than 253', `https://${'abcdefghi.'.repeat(26)}com/`, {}],
  ['dropped URL text is not rescanned', 'http://10.0.0.1/?u=https://evil.com/&ip=8.8.8.8', {}],
  ['text after a dropped URL is scanned', 'http://10.0.0.1/ 8.8.8.8/', { ips: ['8.8.8.8'] }],
  ['label with leading hyphen', 'https://-evil.com/', {}],
  ['underscore tolerated in URL hosts', 'https://my_host.example.com/', { urls: ['https://my_host.example.com/'], domains: ['my_host.example.com'] }],
]);

table('URLs: nested in query parameters', [
  ['Google redirector', 'https://www.google.com/url?q=https://evil.xyz/a&sa=D', { urls: ['https://www.google.com/url?q=https://evil.xyz/a&sa=D', 'https://evil.xyz/a'], domains: ['www.google.com', 'evil.xyz'] }],
  ['percent-encoded nested URL decoded once', 'https://r.com/?u=https%3A%2F%2Fevil.xyz%2Fp%3Fa%3D1', { urls: ['https://r.com/?u=https%3A%2F%2Fevil.xyz%2Fp%3Fa%3D1', 'https://evil.xyz/p?a=1'], domains: ['r.com', 'evil.xyz'] }],
  ['nested private IP dropped', 'https://r.com/?u=http://10.0.0.1/', { urls: ['https://r.com/?u=http://10.0.0.1/'], domains: ['r.com'] }],
  ['nested Discord link dropped', 'https://r.com/?u=https://discord.com/x', { urls: ['https://r.com/?u=https://discord.com/x'], domains: ['r.com'] }],
  ['only one level deep', 'https://a.com/?u=https%3A%2F%2Fb.com%2F%3Fv%3Dhttps%253A%252F%252Fc.com%252F', { urls: ['https://a.com/?u=https%3A%2F%2Fb.com%2F%3Fv%3Dhttps%253A%252F%252Fc.com%252F', 'https://b.com/?v=https%3A%2F%2Fc.com%2F'], domains: ['a.com', 'b.com'] }],
  ['URL inside a path is not extracted', 'https://web.archive.org/web/2020/https://evil.xyz/', { urls: ['https://web.archive.org/web/2020/https://evil.xyz/'], domains: ['web.archive.org'] }],
  ['non-URL parameter values ignored', 'https://a.com/?q=evil.xyz', { urls: ['https://a.com/?q=evil.xyz'], domains: ['a.com'] }],
  ['nested IP host', 'https://a.com/?u=http://1.1.1.1/', { urls: ['https://a.com/?u=http://1.1.1.1/', 'http://1.1.1.1/'], domains: ['a.com'], ips: ['1.1.1.1'] }],
]);

table('domains', [
  ['full host reported, not the registrable domain', 'visit login.secure.example.co.uk', { domains: ['login.secure.example.co.uk'] }],
  ['upper case lowered', 'EXAMPLE.ORG', { domains: ['example.org'] }],
  ['IDN bare name to punycode', 'пример.рф', { domains: ['xn--e1afmkfd.xn--p1ai'] }],
  ['German IDN non-transitional', 'straße.de', { domains: ['xn--strae-oqa.de'] }],
  ['trailing dot ignored', 'go to example.com.', { domains: ['example.com'] }],
  ['port ignored', 'example.com:8080', { domains: ['example.com'] }],
  ['path, query, fragment ignored', 'example.com/a?b#c', { domains: ['example.com'] }],
  ['private-section suffix is ordinary', 'foo.github.io', { domains: ['foo.github.io'] }],
  ['private suffix alone', 'github.io', { domains: ['github.io'] }],
  ['bare public suffix is not a domain', 'co.uk', {}],
  ['single label', 'localhost', {}],
  ['leading hyphen label', '-evil.com', {}],
  ['trailing hyphen label', 'evil-.com', {}],
  ['hyphen inside a label fine', 'my-site.com', { domains: ['my-site.com'] }],
  ['run with .. is not a domain', 'example..com', {}],
  ['trailing .. is not a domain', 'example.com..', {}],
  ['leading dot is an empty label', '.example.com', {}],
  ['preceded by @', '@example.com', {}],
  ['preceded by backslash', '\\example.com', {}],
  ['preceded by %', '%2Fexample.com', {}],
  ['snake_case identifier prefix', 'my_module.com', {}],
  ['followed by @', 'example.com@', {}],
  ['label too long', `${'a'.repeat(64)}.com`, {}],
  ['underscore not allowed in bare names', 'a_b.example.com', {}],
  ['special-use .local', 'printer.local', {}],
  ['special-use .onion', 'abcdefghijklmnop.onion', {}],
  ['not an ICANN TLD: setup.exe', 'setup.exe', {}],
  ['not an ICANN TLD: config.json', 'config.json', {}],
  ['not an ICANN TLD: node.js', 'node.js', {}],
  ['not an ICANN TLD: report.pdf', 'report.pdf', {}],
  ['domain with markdown bold', '**evil.com**', { domains: ['evil.com'] }],
  ['domain in a list item', '- evil.com', { domains: ['evil.com'] }],
  ['domain in a quote', '> evil.com', { domains: ['evil.com'] }],
  ['domain in a heading', '# evil.com', { domains: ['evil.com'] }],
  ['domain after a colon', 'site:evil.com', { domains: ['evil.com'] }],
  ['domain in parentheses', '(evil.com)', { domains: ['evil.com'] }],
  ['several names', 'a.com, b.net and c.org', { domains: ['a.com', 'b.net', 'c.org'] }],
  ['version-like run is not a domain', 'v1.2.3', {}],
  ['digits-only TLD is not a domain', 'build 2024.10', {}],
  ['combining mark inside a name', 'cafe\u0301.fr', { domains: ['xn--caf-dma.fr'] }],
]);

table('domains: file-name-like TLDs', [
  ['README.md', 'see README.md', {}],
  ['main.py', 'run main.py', {}],
  ['setup.zip', 'download setup.zip', {}],
  ['install.sh', 'curl | install.sh', {}],
  ['lib.rs', 'edit lib.rs', {}],
  ['libfoo.so', 'libfoo.so missing', {}],
  ['Main.java', 'Main.java fails', {}],
  ['bundle.js.map', 'bundle.js.map', {}],
  ['clip.mov', 'clip.mov is big', {}],
  ['notes.one', 'notes.one', {}],
  ['level.gd', 'level.gd', {}],
  ['docs.rs followed by / is a site', 'docs.rs/serde', { domains: ['docs.rs'] }],
  ['evil.zip/ is a site', 'evil.zip/payload', { domains: ['evil.zip'] }],
  ['with a scheme it is ordinary', 'https://docs.rs/', { urls: ['https://docs.rs/'], domains: ['docs.rs'] }],
  ['defanged it is ordinary', 'evil[.]zip', { domains: ['evil.zip'] }],
  ['scheme URL on .zip', 'https://github.zip/x', { urls: ['https://github.zip/x'], domains: ['github.zip'] }],
  ['path/to/file.md', 'docs/guide/intro.md', {}],
  ['other TLDs unaffected', 'evil.ru', { domains: ['evil.ru'] }],
]);

table('e-mail addresses', [
  ['plain e-mail', 'mail bob@example.com', {}],
  ['dotted local part', 'john.doe@example.com', {}],
  ['mailto', 'mailto:bob@example.com', {}],
  ['e-mail in angle brackets', '<bob@example.com>', {}],
  ['e-mail next to a domain', 'bob@example.com or example.org', { domains: ['example.org'] }],
  ['plus addressing', 'bob+tag@mail.example.com', {}],
]);

table('IPv4 in text', [
  ['public address', 'C2 at 45.33.32.156', { ips: ['45.33.32.156'] }],
  ['with port', '45.33.32.156:443', { ips: ['45.33.32.156'] }],
  ['end of sentence', 'it was 1.1.1.1.', { ips: ['1.1.1.1'] }],
  ['private 10/8', '10.0.0.1', {}],
  ['private 192.168/16', '192.168.0.10', {}],
  ['private 172.16/12', '172.20.1.1', {}],
  ['loopback', '127.0.0.1', {}],
  ['link-local', '169.254.10.10', {}],
  ['CGNAT', '100.64.1.1', {}],
  ['this network 0/8', '0.1.2.3', {}],
  ['multicast', '224.0.0.251', {}],
  ['broadcast', '255.255.255.255', {}],
  ['240/4', '240.1.2.3', {}],
  ['192.0.0/24', '192.0.0.9', {}],
  ['192.0.2/24', '192.0.2.1', {}],
  ['198.18/15', '198.19.1.1', {}],
  ['198.51.100/24', '198.51.100.7', {}],
  ['203.0.113/24', '203.0.113.7', {}],
  ['192.88.99/24', '192.88.99.1', {}],
  ['leading zero is ambiguous', '010.1.1.1', {}],
  ['octet over 255', '256.1.1.1', {}],
  ['version number 1.2.3.4.5', 'version 1.2.3.4.5', {}],
  ['preceded by a letter', 'v8.8.8.8', {}],
  ['followed by a letter', '8.8.8.8a', {}],
  ['preceded by a dot', '.8.8.8.8', {}],
  ['CIDR range', '8.8.8.0/24', {}],
  ['slash without digits is fine', '8.8.8.8/ is it', { ips: ['8.8.8.8'] }],
  ['three octets', '8.8.8', {}],
  ['two addresses', '1.1.1.1 and 8.8.4.4', { ips: ['1.1.1.1', '8.8.4.4'] }],
  ['in brackets', '[8.8.8.8]', { ips: ['8.8.8.8'] }],
]);

table('IPv6 in text', [
  ['compressed public', 'ping 2606:4700:4700::1111', { ips: ['2606:4700:4700::1111'] }],
  ['full form canonicalised', '2001:4860:4860:0000:0000:0000:0000:8888', { ips: ['2001:4860:4860::8888'] }],
  ['upper case lowered', '2606:4700:4700::1111'.toUpperCase(), { ips: ['2606:4700:4700::1111'] }],
  ['bracketed with port', '[2606:4700::1111]:443', { ips: ['2606:4700::1111'] }],
  ['loopback ::1', '::1', {}],
  ['link-local', 'fe80::1', {}],
  ['unique local', 'fd00::1', {}],
  ['documentation 2001:db8', '2001:db8::1', {}],
  ['Teredo', '2001::1', {}],
  ['6to4', '2002:c000:204::1', {}],
  ['NAT64', '64:ff9b::808:808', {}],
  ['hex-looking code a::b', 'a::b', {}],
  ['C++ scope', 'std::vector', {}],
  ['time', '12:30:45', {}],
  ['MAC address', '00:1a:2b:3c:4d:5e', {}],
  ['preceded by a letter', 'x2606:4700::1111', {}],
  ['end of sentence', 'use 2606:4700::1111.', { ips: ['2606:4700::1111'] }],
  ['too many groups', '2606:1:2:3:4:5:6:7:8', {}],
]);

table('file hashes', [
  ['MD5', `md5 ${H32}`, { hashes: [H32] }],
  ['SHA-1', `sha1 ${H40}`, { hashes: [H40] }],
  ['SHA-256', `sha256 ${H64}`, { hashes: [H64] }],
  ['upper case lowered', H64.toUpperCase(), { hashes: [H64] }],
  ['git commit id in free text', 'fixed in 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b', { hashes: ['1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b'] }],
  ['33 hex is not cut down', `${H32}a`, {}],
  ['SHA-512 length ignored', H64 + H64, {}],
  ['0x prefix', `0x${H32}`, {}],
  ['preceded by a letter', `g${H32}`, {}],
  ['followed by a letter', `${H32}z`, {}],
  ['underscore is a delimiter', `file_${H32}_x`, { hashes: [H32] }],
  ['colon is a delimiter', `md5:${H32}`, { hashes: [H32] }],
  ['slash is a delimiter', `/${H32}/`, { hashes: [H32] }],
  ['pipe is a delimiter', `||${H32}||`, { hashes: [H32] }],
  ['quotes are delimiters', `"${H32}"`, { hashes: [H32] }],
  ['non-ASCII letter is a delimiter', `é${H32}é`, { hashes: [H32] }],
  ['32-digit number is not a hash', '12345678901234567890123456789012', {}],
  ['all letters is not a hash', 'deadbeef'.repeat(4), {}],
  ['all zeros is not a hash', '0'.repeat(64), {}],
  ['GUID is not a hash', '123e4567-e89b-12d3-a456-426614174000', {}],
  ['hex inside a VirusTotal URL', `https://www.virustotal.com/gui/file/${H64}`, { urls: [`https://www.virustotal.com/gui/file/${H64}`], domains: ['www.virustotal.com'] }],
  ['hex inside a GitHub commit URL', `https://github.com/a/b/commit/${H40}`, { urls: [`https://github.com/a/b/commit/${H40}`], domains: ['github.com'] }],
  ['hash after a URL', `see https://a.com/x then ${H40}`, { urls: ['https://a.com/x'], domains: ['a.com'], hashes: [H40] }],
  ['hash next to a URL still counts', `https://a.com ${H32}`, { urls: ['https://a.com/'], domains: ['a.com'], hashes: [H32] }],
]);

table('defanged indicators', [
  ['hxxp', 'hxxp://evil.com/a', { urls: ['http://evil.com/a'], domains: ['evil.com'] }],
  ['hxxps', 'hxxps://evil.com/a', { urls: ['https://evil.com/a'], domains: ['evil.com'] }],
  ['hXXp', 'hXXp://evil.com/a', { urls: ['http://evil.com/a'], domains: ['evil.com'] }],
  ['HXXPS', 'HXXPS://evil.com/a', { urls: ['https://evil.com/a'], domains: ['evil.com'] }],
  ['[:]//', 'https[:]//evil.com/a', { urls: ['https://evil.com/a'], domains: ['evil.com'] }],
  ['[://]', 'hxxps[://]evil.com/a', { urls: ['https://evil.com/a'], domains: ['evil.com'] }],
  ['[.]', 'evil[.]com', { domains: ['evil.com'] }],
  ['(.)', 'evil(.)com', { domains: ['evil.com'] }],
  ['{.}', 'evil{.}com', { domains: ['evil.com'] }],
  ['[dot]', 'evil[dot]com', { domains: ['evil.com'] }],
  ['(dot)', 'evil(dot)com', { domains: ['evil.com'] }],
  ['{dot}', 'evil{dot}com', { domains: ['evil.com'] }],
  ['[DOT] any case', 'evil[DOT]com', { domains: ['evil.com'] }],
  ['(Dot) any case', 'evil(Dot)com', { domains: ['evil.com'] }],
  ['spaced marker', 'evil [.] com', { domains: ['evil.com'] }],
  ['spaced (dot)', 'evil (dot) xyz', { domains: ['evil.xyz'] }],
  ['backslash dot', 'evil\\.com', { domains: ['evil.com'] }],
  ['full defanged URL', 'hxxps[:]//login[.]evil[.]com/verify', { urls: ['https://login.evil.com/verify'], domains: ['login.evil.com'] }],
  ['defanged IP', '45[.]33[.]32[.]156', { ips: ['45.33.32.156'] }],
  ['backslash-defanged IP', '45\\.33\\.32\\.156', { ips: ['45.33.32.156'] }],
  ['decimals and versions cost nothing', 'took 1.5 hours, v2.0.1 fixed it, $3.50', {}],
  ['defanged private IP dropped', '192[.]168[.]1[.]1', {}],
  ['defanged name must still be ICANN', 'setup[.]exe', {}],
  ['defanged file-like TLD is ordinary', 'main[.]py', { domains: ['main.py'] }],
  ['defanged URL with private host dropped', 'hxxp://10[.]0[.]0[.]1/', {}],
  ['percent-encoded URL in text is not decoded', 'https%3A%2F%2Fevil.com', {}],
  ['base64 URL is not decoded', 'aHR0cHM6Ly9ldmlsLmNvbS8=', {}],
  ['hxxp without a separator stays', 'hxxp is a word', {}],
]);

table('Discord specifics', [
  ['user mention', '<@123456789012345678>', {}],
  ['nick mention', '<@!123456789012345678>', {}],
  ['role mention', '<@&123456789012345678>', {}],
  ['channel mention', '<#123456789012345678>', {}],
  ['custom emoji', '<:cafe:123456789012345678>', {}],
  ['animated emoji', '<a:deadbeef:123456789012345678>', {}],
  ['timestamp', '<t:1700000000>', {}],
  ['styled timestamp', '<t:1700000000:R>', {}],
  ['command mention', '</ban user:123456789012345678>', {}],
  ['@everyone', '@everyone free nitro', {}],
  ['@here', '@here check this', {}],
  ['embed-suppressed URL', '<https://evil.com/a>', { urls: ['https://evil.com/a'], domains: ['evil.com'] }],
  ['spoilered URL', '||https://evil.com/a||', { urls: ['https://evil.com/a'], domains: ['evil.com'] }],
  ['spoilered domain', '||evil.com||', { domains: ['evil.com'] }],
  ['subtext', '-# evil.com', { domains: ['evil.com'] }],
  ['block quote', '>>> https://evil.com', { urls: ['https://evil.com/'], domains: ['evil.com'] }],
  ['discord.com link dropped', 'https://discord.com/channels/1/2/3', {}],
  ['discord.gg invite dropped', 'https://discord.gg/abc', {}],
  ['bare discord.gg dropped', 'join discord.gg/abc', {}],
  ['discord.gift dropped', 'https://discord.gift/xyz', {}],
  ['discordapp.com dropped', 'https://discordapp.com/invite/x', {}],
  ['subdomain of discord.com dropped', 'https://canary.discord.com/app', {}],
  ['cdn.discordapp.com URL reported without domain', 'https://cdn.discordapp.com/attachments/1/2/a.exe', { urls: ['https://cdn.discordapp.com/attachments/1/2/a.exe'] }],
  ['media.discordapp.net URL reported without domain', 'https://media.discordapp.net/attachments/1/2/a.png', { urls: ['https://media.discordapp.net/attachments/1/2/a.png'] }],
  ['images-ext proxy URL reported without domain', 'https://images-ext-1.discordapp.net/external/x/y.png', { urls: ['https://images-ext-1.discordapp.net/external/x/y.png'] }],
  ['bare cdn.discordapp.com gives nothing', 'cdn.discordapp.com/attachments/1', {}],
  ['look-alike dlscord.com', 'https://dlscord.com/gift', { urls: ['https://dlscord.com/gift'], domains: ['dlscord.com'] }],
  ['look-alike discord-gift.com', 'discord-gift.com', { domains: ['discord-gift.com'] }],
  ['look-alike discordapp.co', 'discordapp.co', { domains: ['discordapp.co'] }],
  ['look-alike discord.com.nitro-gift.ru', 'https://discord.com.nitro-gift.ru/claim', { urls: ['https://discord.com.nitro-gift.ru/claim'], domains: ['discord.com.nitro-gift.ru'] }],
  ['notdiscord.com is not first-party', 'notdiscord.com', { domains: ['notdiscord.com'] }],
]);

table('masked links', [
  ['target is the URL', '[click](https://evil.com/a)', { urls: ['https://evil.com/a'], domains: ['evil.com'] }],
  ['angle-bracket target', '[click](<https://evil.com/a>)', { urls: ['https://evil.com/a'], domains: ['evil.com'] }],
  ['target with title', '[click](https://evil.com/a "Title")', { urls: ['https://evil.com/a'], domains: ['evil.com'] }],
  ['URL as link text is reported too', '[https://paypal.com](https://evil.com/)', { urls: ['https://paypal.com/', 'https://evil.com/'], domains: ['paypal.com', 'evil.com'] }],
  ['domain as link text is reported too', '[paypal.com](https://evil.com/)', { urls: ['https://evil.com/'], domains: ['paypal.com', 'evil.com'] }],
  ['target with balanced parens', '[w](https://en.wikipedia.org/wiki/A_(b))', { urls: ['https://en.wikipedia.org/wiki/A_(b)'], domains: ['en.wikipedia.org'] }],
  ['text after the link is separate', '[x](https://a.com/p)and b.org', { urls: ['https://a.com/p'], domains: ['a.com', 'b.org'] }],
  ['defanged target', '[x](hxxps://evil[.]com/a)', { urls: ['https://evil.com/a'], domains: ['evil.com'] }],
  ['non-http target is not a masked link', '[x](ftp://files.example.net)', { domains: ['files.example.net'] }],
  ['private target dropped', '[router](http://192.168.0.1/)', {}],
  ['first-party target dropped', '[server](https://discord.gg/abc)', {}],
  ['masked link inside code is literal', '`[x](https://a.com/p)`', { urls: ['https://a.com/p'], domains: ['a.com'] }],
]);

describe('masked-link mismatches', () => {
  it('flags visible text naming another domain than the target', () => {
    expect(extractIndicators('[paypal.com](https://evil.xyz/login)').maskedMismatches).toEqual([
      { text: 'paypal.com', target: 'https://evil.xyz/login' },
    ]);
  });
  it('flags visible text that is a different URL', () => {
    expect(extractIndicators('[https://steamcommunity.com/gift](https://steamcommunity.com.ru/gift)').maskedMismatches).toEqual([
      { text: 'https://steamcommunity.com/gift', target: 'https://steamcommunity.com.ru/gift' },
    ]);
  });
  it('flags first-party Discord text pointing elsewhere (the classic nitro scam)', () => {
    const got = extractIndicators('[discord.gift/nitro](https://dlscord-gift.com/claim)');
    expect(got.maskedMismatches).toEqual([{ text: 'discord.gift/nitro', target: 'https://dlscord-gift.com/claim' }]);
    expect(got.domains).toEqual(['dlscord-gift.com']);
  });
  it('flags defanged text naming another host', () => {
    expect(extractIndicators('[paypal[.]com](https://evil.xyz/)').maskedMismatches).toHaveLength(1);
  });
  it('does not flag plain words', () => {
    expect(extractIndicators('[click here](https://evil.xyz/)').maskedMismatches).toEqual([]);
  });
  it('does not flag the same host', () => {
    expect(extractIndicators('[example.com](https://example.com/docs)').maskedMismatches).toEqual([]);
  });
  it('treats www. and the bare name as the same site', () => {
    expect(extractIndicators('[www.example.com](https://example.com/)').maskedMismatches).toEqual([]);
  });
  it('does not flag a different path on the same host', () => {
    expect(extractIndicators('[https://a.com/x](https://a.com/y)').maskedMismatches).toEqual([]);
  });
  it('flags an IP shown for a name', () => {
    expect(extractIndicators('[8.8.8.8](https://evil.xyz/)').maskedMismatches).toHaveLength(1);
  });
  it('ignores mismatches whose target was dropped', () => {
    expect(extractIndicators('[paypal.com](http://10.0.0.1/)').maskedMismatches).toEqual([]);
  });
  it('is empty for messages without masked links', () => {
    expect(extractIndicators('https://a.com paypal.com').maskedMismatches).toEqual([]);
  });
});

table('out of scope', [
  ['phone number', 'call +1 (555) 123-4567', {}],
  ['ASN', 'AS13335', {}],
  ['CVE id', 'CVE-2024-3094', {}],
  ['Windows path', 'C:\\Users\\me\\Desktop', {}],
  ['unix path', '/usr/local/bin/node', {}],
  ['bitcoin address', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', {}],
  ['times', 'meet at 10:30 or 11.45', {}],
]);

// Choices where the base rules are silent or contradict themselves (docs/extraction.md,
// "Departures"); each is commented in the source.
table('documented choices', [
  ['__domain__ underline markup is not a snake_case prefix', '__evil.com__', { domains: ['evil.com'] }],
  ['_domain_ italic markup', '_evil.com_', { domains: ['evil.com'] }],
  ['URL host with a trailing dot is kept; domain without it', 'https://evil.com./x', { urls: ['https://evil.com./x'], domains: ['evil.com'] }],
  ['.onion is special-use', 'http://abcdefghijklmnop.onion/', {}],
  ['all of .arpa is infrastructure', 'see 4.4.8.8.in-addr.arpa and ns.in-addr.arpa', { ips: ['4.4.8.8'] }],
  ['one-sided space around a dot marker is not refanged', 'evil [.]com', {}],
  ['astral letters end a bare-domain run', 'a𝒜.com', {}],
  ['a run UTS-46 shrinks to a valid name is a name', `evil${'\u034f'.repeat(100)}.com`, { domains: ['evil.com'] }],
  ['a bare-domain run over 512 characters is not, whatever it maps to', `evil${'\u034f'.repeat(600)}.com`, {}],
]);
