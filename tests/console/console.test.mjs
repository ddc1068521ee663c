// Browser tests of the regional web console (issue 18), run by tests/run:
//   node tests/console/console.test.mjs
// Drives headless Chromium (Debian's /usr/bin/chromium) through playwright-core against a real
// `safeshare-server serve --demo` on 127.0.0.1, with a real OpenID Connect provider
// (oidc-provider) on 127.0.0.1 and a real phone (target/debug/console_device, the sync client).
// Checks: one-time link sign-in (and its reuse refused); OpenID Connect sign-in with roles
// from a claim (and a user with no role refused); a device's overdue share appears under its
// team; revoking the device makes its next request refused; a directory import with a bad
// line shows that line and stores nothing; CSRF-less posts are refused; axe finds no serious
// or critical violation on any page. Screenshots go to target/console-screenshots/.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import Provider from 'oidc-provider';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER = process.env.SAFESHARE_SERVER_BIN || path.join(ROOT, 'target/debug/safeshare-server');
const DEVICE = process.env.SAFESHARE_DEVICE_BIN || path.join(ROOT, 'target/debug/console_device');
const SHOTS = path.join(ROOT, 'target/console-screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const started = Date.now();
let failures = 0;
const children = [];

function log(msg) { process.stdout.write(`${msg}\n`); }

async function step(name, fn) {
  const t = Date.now();
  try {
    await fn();
    log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (err) {
    failures += 1;
    log(`FAIL ${name}: ${err && err.stack ? err.stack : err}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/// Spawns a child and resolves with it once `ready` matches a stdout line (collecting lines).
function launch(cmd, args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    const lines = [];
    const waiting = [];
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      lines.push(line);
      const w = waiting.shift();
      if (w) w(line);
      if (ready && ready.test(line)) resolve({ child, lines, next: () => new Promise((r) => waiting.push(r)) });
    });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.once('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${err.slice(-2000)}`)));
    if (!ready) resolve({ child, lines, next: () => new Promise((r) => waiting.push(r)) });
  });
}

async function ask(proc, command) {
  const answer = proc.next();
  proc.child.stdin.write(`${command}\n`);
  return answer;
}

const axeProblems = [];
async function checkPage(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) axeProblems.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.equal(bad.length, 0, `axe on ${name}: ${bad.map((v) => v.id).join(', ')}`);
}

async function main() {
  const serverPort = await freePort();
  const oidcPort = await freePort();
  const base = `http://127.0.0.1:${serverPort}`;
  const issuer = `http://127.0.0.1:${oidcPort}`;

  // --- a real OpenID Connect provider on 127.0.0.1 -------------------------------------------
  const roleOf = { lead: ['assurance'], it: ['device_admin'], nobody: ['visitor'] };
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'safeshare-console',
      client_secret: 'console-test-secret',
      redirect_uris: [`${base}/console/oidc/callback`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    claims: { openid: ['sub', 'roles'] },
    conformIdTokenClaims: false,
    cookies: { keys: ['safeshare-console-test-cookie-key'] },
    pkce: { required: () => true },
    async findAccount(ctx, id) {
      return { accountId: id, async claims() { return { sub: id, roles: roleOf[id] || [] }; } };
    },
  });
  const oidcServer = provider.listen(oidcPort, '127.0.0.1');

  // --- the server with the demo region --------------------------------------------------------
  const data = mkdtempSync(path.join(tmpdir(), 'safeshare-console-'));
  const server = await launch(SERVER, [
    '--data-dir', data, 'serve', '--demo', '--listen', `127.0.0.1:${serverPort}`,
    '--oidc-issuer', issuer, '--oidc-client-id', 'safeshare-console',
    '--oidc-redirect', `${base}/console/oidc/callback`,
  ], { SAFESHARE_OIDC_CLIENT_SECRET: 'console-test-secret', RUST_LOG: 'warn' }, /^listening on /);
  const out = server.lines.join('\n');
  const link = out.match(/(http:\/\/\S+\/console\/link\/\S+)/)[1];
  const team = out.match(/in team (\S+) \(([^)]+)\)/);
  const [teamId, teamName] = [team[1], team[2]];

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const admin = await browser.newContext();
  const page = await admin.newPage();
  let deviceId;
  let phone;

  await step('sign in with the one-time link printed by serve --demo', async () => {
    await page.goto(link);
    await checkPage(page, '00-link-confirm');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/console/overdue`);
    await page.getByRole('heading', { level: 1, name: 'Overdue and due soon' }).waitFor();
  });

  await step('the same link is refused the second time', async () => {
    const other = await browser.newContext();
    const p = await other.newPage();
    await p.goto(link);
    await p.getByText('This sign-in link does not work').waitFor();
    await checkPage(p, '01-link-refused');
    await other.close();
  });

  await step('issue an enrolment code with its QR code; a phone enrols with it', async () => {
    await page.goto(`${base}/console/codes`);
    await page.getByLabel(teamName).check();
    await page.getByRole('button', { name: 'Issue code' }).click();
    const code = (await page.locator('#issued-code').textContent()).trim();
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.equal(await page.locator('.console-qr svg').count(), 1);
    await checkPage(page, '03-codes-issued');
    phone = await launch(DEVICE, [base, code], {}, /^enrolled /);
    deviceId = phone.lines[0].split(' ')[1];
  });

  await step('a device pushes an overdue share and it appears under its team', async () => {
    const answer = await ask(phone, `share ${teamId} -90`);
    assert.match(answer, /^pushed /);
    await page.goto(`${base}/console/overdue`);
    const table = page.locator('table', { has: page.locator('caption', { hasText: teamName }) }).first();
    await table.waitFor();
    assert.match(await table.textContent(), /Share.*Concern.*1 hour 30 minutes/s);
    assert.doesNotMatch(await page.content(), /fictional test share/);
    await page.getByLabel('Kind').selectOption('referral');
    await page.getByRole('button', { name: 'Filter' }).click();
    assert.equal(await page.locator('table caption', { hasText: teamName }).count(), 0);
    await page.goto(`${base}/console/overdue`);
    await checkPage(page, '02-overdue');
  });

  await step('CSRF-less and forged form posts are refused and change nothing', async () => {
    const noToken = await page.request.post(`${base}/console/devices/${deviceId}/revoke`, { form: {}, maxRedirects: 0 });
    assert.equal(noToken.status(), 403);
    const forged = await page.request.post(`${base}/console/devices/${deviceId}/revoke`, { form: { csrf: 'AAAA' }, maxRedirects: 0 });
    assert.equal(forged.status(), 403);
    const code = await page.request.post(`${base}/console/codes`, { form: { team: teamId }, maxRedirects: 0 });
    assert.equal(code.status(), 403);
    const signout = await page.request.post(`${base}/console/sign-out`, { form: {}, maxRedirects: 0 });
    assert.equal(signout.status(), 403);
    assert.equal(await ask(phone, 'sync'), 'ok');
  });

  await step('revoking a device makes its next request refused', async () => {
    await page.goto(`${base}/console/devices`);
    await checkPage(page, '04-devices');
    await page.getByRole('button', { name: `Revoke device ${deviceId}` }).click();
    await page.waitForURL(`${base}/console/devices`);
    await page.locator('tr', { hasText: deviceId }).getByText('Revoked').waitFor();
    const answer = await ask(phone, 'sync');
    assert.match(answer, /^refused /);
    await checkPage(page, '05-devices-revoked');
  });

  await step('a directory import with a bad line shows its number and stores nothing', async () => {
    const sample = readFileSync(path.join(ROOT, 'data/directory/sample-fictional.jsonl'), 'utf8').split('\n');
    const at = sample.findIndex((l) => l.startsWith('{'));
    const header = JSON.parse(sample[at]);
    header.version += 1;
    const lines = [...sample];
    lines[at] = JSON.stringify(header);
    const good = lines.join('\n');
    const bad = [...lines];
    const broken = at + 2; // 0-based index of the second entry after the header
    bad[broken] = '{"this line": "is not a directory entry"';
    const dir = mkdtempSync(path.join(tmpdir(), 'safeshare-dir-'));
    writeFileSync(path.join(dir, 'bad.jsonl'), bad.join('\n'));
    writeFileSync(path.join(dir, 'good.jsonl'), good);
    await page.goto(`${base}/console/directory`);
    await checkPage(page, '06-directory');
    const before = await page.locator('.nhsuk-lede-text').textContent();
    await page.getByLabel('Directory file (JSON Lines)').setInputFiles(path.join(dir, 'bad.jsonl'));
    await page.getByRole('button', { name: 'Check file' }).click();
    const problems = await page.locator('#import-problems').textContent();
    assert.match(problems, new RegExp(`Line ${broken + 1}:`));
    await checkPage(page, '07-directory-refused');
    await page.goto(`${base}/console/directory`);
    assert.equal(await page.locator('.nhsuk-lede-text').textContent(), before, 'nothing stored');
    await page.getByLabel('Directory file (JSON Lines)').setInputFiles(path.join(dir, 'good.jsonl'));
    await page.getByRole('button', { name: 'Check file' }).click();
    await page.getByRole('button', { name: `Publish version ${header.version}` }).click();
    await page.locator('#notice').getByText(`Version ${header.version} is published.`).waitFor();
    rmSync(dir, { recursive: true, force: true });
  });

  await step('the audit shows the console actions', async () => {
    await page.goto(`${base}/console/audit`);
    const text = await page.locator('main').textContent();
    for (const action of ['console_sign_in', 'code_issued', 'device_revoked', 'console_csrf_refused', 'directory_import_refused', 'directory_imported']) {
      assert.ok(text.includes(action), `audit has ${action}`);
    }
    await checkPage(page, '08-audit');
  });

  await step('sign in through the OpenID Connect provider; roles come from its claim', async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(`${base}/console/`);
    await checkPage(p, '09-sign-in');
    await p.getByRole('button', { name: 'Sign in with your organisation' }).click();
    await p.locator('input[name=login]').fill('lead');
    await p.locator('input[name=password]').fill('any');
    await p.locator('button[type=submit]').click();
    await p.locator('button[type=submit]', { hasText: 'Continue' }).click();
    await p.waitForURL(`${base}/console/overdue`);
    assert.equal(await p.getByRole('link', { name: 'Devices' }).count(), 0, 'assurance sees no Devices link');
    const devices = await p.goto(`${base}/console/devices`);
    assert.equal(devices.status(), 403);
    await checkPage(p, '10-forbidden');
    await ctx.close();
  });

  await step('an OpenID Connect user with no console role gets no session', async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(`${base}/console/oidc/start`);
    await p.locator('input[name=login]').fill('nobody');
    await p.locator('input[name=password]').fill('any');
    await p.locator('button[type=submit]').click();
    await p.locator('button[type=submit]', { hasText: 'Continue' }).click();
    await p.getByText('Sign-in did not complete').waitFor();
    const r = await p.goto(`${base}/console/overdue`);
    assert.equal(new URL(r.url()).pathname, '/console/');
    await ctx.close();
  });

  await step('sign out ends the session', async () => {
    await page.goto(`${base}/console/overdue`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out').waitFor();
    await page.goto(`${base}/console/overdue`);
    assert.equal(new URL(page.url()).pathname, '/console/');
  });

  await browser.close();
  oidcServer.close();
  for (const c of children) c.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
  if (axeProblems.length) log(`axe:\n  ${axeProblems.join('\n  ')}`);
  log(`console browser tests: ${failures === 0 ? 'passed' : `${failures} failed`} in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${SHOTS}`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((err) => {
  log(`FAIL set-up: ${err && err.stack ? err.stack : err}`);
  for (const c of children) c.kill('SIGTERM');
  process.exit(1);
});
