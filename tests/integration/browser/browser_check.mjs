// Drives Debian's chromium through the Neo4j Browser for tests/integration/test_browser.py.
//
//   node browser_check.mjs '{"url": ..., "password": ..., "screenshot": ..., "chromium": "/usr/bin/chromium"}'
//
// Opens `url` (a `kg browse` link: connection form pre-filled, the saved query in the
// editor), logs in, waits for the post-connect `:style` frame, clicks Run, waits for the
// graph, saves a screenshot and prints one JSON object on stdout: what the result frame
// shows (node and relationship elements of its SVG, node fill colours, captions, the
// "Displaying N nodes, M relationships" summary). Selectors are the Browser's own e2e
// test ids (boltaddress, username, password, connect, editor-Run, frame).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const opts = JSON.parse(process.argv[2]);
const timeout = opts.timeout_ms ?? 60000;
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-chromium-'));
const out = { steps: [] };
let context;
let page;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: opts.chromium ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    viewport: { width: 1400, height: 1000 },
    timeout,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(timeout);
  await page.goto(opts.url);
  out.steps.push('loaded');

  await page.waitForSelector('[data-testid=password]');
  out.boltaddress = await page.inputValue('[data-testid=boltaddress]').catch(() => null);
  out.username = await page.inputValue('[data-testid=username]').catch(() => null);
  await page.fill('[data-testid=password]', opts.password);
  await page.click('[data-testid=connect]');
  await page.waitForSelector('[data-testid=frame] >> text=You are connected as user');
  out.steps.push('connected');

  // browser.post_connect_cmd runs `:style {...}` once the server's settings are read
  const styleFrame = page.locator('[data-testid=frame]', { hasText: ':style {' });
  await styleFrame.first().waitFor();
  out.style_frame = true;
  out.steps.push('styled');

  out.editor = await page.locator('[data-testid=activeEditor]').innerText().catch(() => null);
  await page.click('[data-testid=editor-Run]');
  const frame = page.locator('[data-testid=frame]', { has: page.locator('svg.neod3viz') }).first();
  await frame.locator('svg.neod3viz g.node').first().waitFor();
  await frame.locator('text=/Displaying \\d+ nodes?, \\d+ relationships?/').waitFor();
  await page.waitForTimeout(1500); // let the force layout settle for the screenshot
  out.steps.push('drawn');

  Object.assign(out, await frame.evaluate((el) => {
    const svg = el.querySelector('svg.neod3viz');
    const nodes = [...svg.querySelectorAll('g.node')];
    const fills = new Set();
    for (const n of nodes) {
      for (const c of n.querySelectorAll('circle')) {
        const f = c.getAttribute('fill');
        if (f && f !== 'none') fills.add(f.toUpperCase());
      }
    }
    const summary = (el.innerText.match(/Displaying \d+ nodes?, \d+ relationships?/) || [null])[0];
    return {
      nodes: nodes.length,
      relationships: svg.querySelectorAll('g.relationship').length,
      fills: [...fills],
      captions: nodes.map((n) => n.textContent.trim()).filter((t) => t),
      summary,
    };
  }));
  if (opts.screenshot) {
    fs.mkdirSync(path.dirname(opts.screenshot), { recursive: true });
    await page.screenshot({ path: opts.screenshot });
    out.screenshot = opts.screenshot;
  }
  out.ok = true;
} catch (e) {
  out.ok = false;
  out.error = String(e && e.message ? e.message : e).split('\n').slice(0, 3).join(' ');
  if (page && opts.screenshot) {
    fs.mkdirSync(path.dirname(opts.screenshot), { recursive: true });
    await page.screenshot({ path: opts.screenshot }).catch(() => {});
  }
} finally {
  if (context) await context.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(out.ok ? 0 : 1);
