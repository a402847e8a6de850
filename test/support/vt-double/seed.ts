/** The objects a fresh double knows, and their ids for tests. */
import { EICAR } from './store.js';
import type { Store } from './store.js';

/** Ids of the seeded objects. */
export const SEED = Object.freeze({
  eicar: {
    content: EICAR,
    sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    md5: '44d88612fea8a8f36de82e1278abb02f',
    sha1: '3395856ce81f2b7382dee72602f798b642f14140',
    name: 'eicar.com',
  },
  cleanFile: { content: 'vt-guard clean test file\n', name: 'notes.txt' },
  maliciousUrl: 'http://malware.testing.example/payload/invoice.exe',
  cleanUrl: 'https://example.com/',
  maliciousDomain: 'malware.testing.example',
  cleanDomain: 'example.com',
  maliciousIp: '203.0.113.66',
  cleanIp: '198.51.100.7',
});

export function seed(store: Store): void {
  store.addFile({
    content: SEED.eicar.content, name: SEED.eicar.name, type: 'DOS COM',
    verdict: { malicious: 59, undetected: 10, unsupported: 4, label: 'EICAR-Test-File' },
    attributes: { names: ['eicar.com', 'eicar.txt', 'eicar_com.zip'] },
    relationships: { contacted_urls: [SEED.maliciousUrl], contacted_domains: [SEED.maliciousDomain], contacted_ips: [SEED.maliciousIp] },
    behaviour: {
      tags: ['DETECT_DEBUG_ENVIRONMENT'], processes_created: ['C:\\eicar.com'], files_written: ['C:\\Users\\user\\AppData\\Local\\Temp\\eicar.tmp'],
      dns_lookups: [{ hostname: SEED.maliciousDomain, resolved_ips: [SEED.maliciousIp] }],
      ip_traffic: [{ destination_ip: SEED.maliciousIp, destination_port: 443, transport_layer_protocol: 'TCP' }],
      mitre_attack_techniques: [{ id: 'T1497', signature_description: 'Detects debugging environment', severity: 'IMPACT_SEVERITY_INFO' }],
      verdicts: ['MALWARE'],
    },
  });
  store.addFile({ content: SEED.cleanFile.content, name: SEED.cleanFile.name, type: 'Text', verdict: { undetected: 62, unsupported: 12 } });
  store.addUrl(SEED.maliciousUrl, {
    verdict: { malicious: 14, suspicious: 2, harmless: 50, undetected: 12, label: 'malware' },
    title: 'Invoice', categories: { Forcepoint: 'malicious web sites', Sophos: 'malware repository' },
  });
  store.addUrl(SEED.cleanUrl, { verdict: { harmless: 60, undetected: 18 }, title: 'Example Domain', categories: { Forcepoint: 'reference materials' } });
  store.addDomain(SEED.maliciousDomain, { verdict: { malicious: 9, harmless: 55, undetected: 14, label: 'malware' }, categories: { Forcepoint: 'malicious web sites' } });
  store.addDomain(SEED.cleanDomain, { verdict: { harmless: 60, undetected: 18 }, categories: { Forcepoint: 'reference materials' }, registrar: 'RESERVED-Internet Assigned Numbers Authority' });
  store.addIp(SEED.maliciousIp, { verdict: { malicious: 6, harmless: 56, undetected: 16, label: 'malware' }, owner: 'Bad Hosting Ltd', asn: 64_511, country: 'NL' });
  store.addIp(SEED.cleanIp, { verdict: { harmless: 60, undetected: 18 }, owner: 'Good Networks', asn: 64_496, country: 'DE' });
}
