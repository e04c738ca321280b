import { fileURLToPath } from 'node:url';
import { Child } from '../lib/child.js';
import { launchBrowser, openProbedPage } from './browser.js';
import type { FromServer, ToServer } from './protocol.js';

const WEB_DIST = fileURLToPath(new URL('../../../bench/dist/web/', import.meta.url));
const server = new Child<ToServer, FromServer>('server', new URL('./server.js', import.meta.url));
const browser = await launchBrowser();
try {
  server.send({ type: 'setup', models: Number(process.argv[2] ?? 10), webDist: WEB_DIST });
  const ready = await server.receive('ready', 120_000);
  const tab = await openProbedPage(browser, `http://127.0.0.1:${ready.port}`, ready.session);
  const { page } = tab;
  await page.goto('/');
  await page.locator('[data-testid=connection-status][data-status=live]').waitFor();
  await page.waitForTimeout(2000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  server.send({ type: 'start', ratePerModel: Number(process.argv[3] ?? 20), durationMs: 8000 });
  await page.waitForTimeout(2000);
  await cdp.send('Profiler.start');
  await page.waitForTimeout(5000);
  const { profile } = await cdp.send('Profiler.stop');
  await server.receive('done', 60_000);
  const self = new Map<string, number>();
  const dt = new Map<number, number>();
  profile.samples!.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas![i] ?? 0)));
  let total = 0;
  for (const n of profile.nodes) {
    const t = (dt.get(n.id) ?? 0) / 1000;
    total += t;
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + t);
  }
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const callers = new Map<string, number>();
  for (const n of profile.nodes) {
    if (n.callFrame.functionName !== 'getBoundingClientRect' && n.callFrame.functionName !== 'getComputedStyle') continue;
    let chain = '';
    let p = parent.get(n.id);
    for (let k = 0; k < 5 && p !== undefined; k++, p = parent.get(p)) { const f = byId.get(p)!.callFrame; chain += ` < ${f.functionName}@${f.url.split('/').pop()}:${f.columnNumber}`; }
    callers.set(n.callFrame.functionName + chain, (callers.get(n.callFrame.functionName + chain) ?? 0) + (dt.get(n.id) ?? 0) / 1000);
  }
  for (const [k, v] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log('CALLER', v.toFixed(0), k);
  console.log('total ms', total.toFixed(0), 'errors', tab.errors.slice(0, 3));
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(v.toFixed(0).padStart(6), k);
  // Inclusive time per app function whose name is readable, by URL chunk.
  const byUrl = new Map<string, number>();
  for (const n of profile.nodes) { const u = n.callFrame.url.split('/').pop() || n.callFrame.functionName; byUrl.set(u, (byUrl.get(u) ?? 0) + (dt.get(n.id) ?? 0) / 1000); }
  for (const [k, v] of [...byUrl].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log('URL', v.toFixed(0).padStart(6), k);
  // Inclusive time of top-level-ish React components: sum over nodes whose frame has a name, counting each sample once per name.
  const incl = new Map<string, number>();
  const byIdN = new Map(profile.nodes.map((n) => [n.id, n]));
  const par = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) par.set(c, n.id);
  for (const n of profile.nodes) {
    const t = (dt.get(n.id) ?? 0) / 1000; if (!t) continue;
    const seen = new Set<string>();
    for (let p: number | undefined = n.id; p !== undefined; p = par.get(p)) { const f = byIdN.get(p)!.callFrame; const k = `${f.functionName}@${f.url.split('/').pop()}`; if (!f.url.includes('assets') || seen.has(k)) continue; seen.add(k); incl.set(k, (incl.get(k) ?? 0) + t); }
  }
  for (const [k, v] of [...incl].filter(([k]) => !/index-|jsx-runtime|dist-/.test(k) || /[A-Z][a-z]+[A-Z]/.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log('INCL', v.toFixed(0).padStart(6), k);
  await tab.close();
} finally {
  await browser.close();
  await server.stop();
}
