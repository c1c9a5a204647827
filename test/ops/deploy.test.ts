// deploy/: the systemd units and the reverse proxy operators install, checked by each tool's own
// validator where it is installed here (.ci/run installs nginx), and kept consistent with the code:
// the memory flags of `npm start`, a stop timeout above the shutdown limit, the proxy trusted.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHUTDOWN_LIMIT_MS } from '../../server/lifecycle.js';

const installed = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const skipped = (tool: string) => {
  if (!installed(tool)) console.log(`deploy test: ${tool} is not installed here; its validator was skipped (.ci/run installs it)`);
  return !installed(tool);
};
const UNITS = ['deploy/arp-server.service', 'deploy/arp-worker.service'];
const flags = (JSON.parse(readFileSync('package.json', 'utf8')) as { config: { serverNodeFlags: string } }).config.serverNodeFlags;

describe('deploy/', () => {
  it('the units start the built server and worker as npm start does, stop by SIGTERM with time for the shutdown limit, and restart on failure', () => {
    for (const unit of UNITS) {
      const text = readFileSync(unit, 'utf8');
      const entry = unit.includes('server') ? 'dist/server.mjs' : 'dist/worker.mjs';
      expect(text).toContain(`ExecStart=/usr/bin/node ${flags} ${entry}`);
      expect(text).toMatch(/^KillSignal=SIGTERM$/m);
      expect(text).toMatch(/^Restart=on-failure$/m);
      expect(Number(/^TimeoutStopSec=(\d+)$/m.exec(text)?.[1]) * 1000).toBeGreaterThan(SHUTDOWN_LIMIT_MS);
      for (const hardening of ['NoNewPrivileges=yes', 'ProtectSystem=strict']) expect(text).toContain(hardening);
    }
    // The proxy on this machine is the only hop believed about the client's address.
    const server = readFileSync(UNITS[0]!, 'utf8');
    expect(server).toContain('Environment=HOST=127.0.0.1');
    expect(server).toContain('Environment=TRUST_PROXY=loopback');
    expect(readFileSync('deploy/nginx.conf', 'utf8')).toContain('server 127.0.0.1:4000;');
  });

  it.skipIf(skipped('systemd-analyze'))('systemd-analyze verify accepts the units', () => {
    const r = spawnSync('systemd-analyze', ['verify', ...UNITS.map((u) => resolve(u))], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/arp-(server|worker)\.service:\d+:/);
  });

  it.skipIf(skipped('nginx') || skipped('openssl'))('nginx -t accepts the reverse proxy with a certificate in place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arp-nginx-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=shop.example', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const site = readFileSync('deploy/nginx.conf', 'utf8')
        .replace('/etc/letsencrypt/live/shop.example/fullchain.pem', join(dir, 'cert.pem'))
        .replace('/etc/letsencrypt/live/shop.example/privkey.pem', join(dir, 'key.pem'));
      writeFileSync(join(dir, 'arp.conf'), site);
      // What nginx.conf's http block around the site provides, with every path in the temporary folder.
      const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, t)};`).join(' ');
      writeFileSync(join(dir, 'nginx.conf'), `pid ${join(dir, 'nginx.pid')}; error_log ${join(dir, 'error.log')}; events {} http { access_log off; ${temp} include ${join(dir, 'arp.conf')}; }\n`);
      const r = spawnSync('nginx', ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/test is successful/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
