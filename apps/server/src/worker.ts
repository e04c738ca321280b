import { ConfigError, loadConfig } from './config/config.js';
import { openRuntime, startWorker } from './runtime.js';

/** `npm run worker`: plays queued trading sessions; needs REDIS_URL (and usually DATABASE_URL). */
async function main() {
  const config = loadConfig();
  const runtime = await openRuntime(config);
  const workers = Array.from({ length: Math.max(1, config.workers.count) }, () => startWorker(config, runtime));
  console.log(JSON.stringify({ msg: 'worker started', workers: workers.length, concurrency: config.workers.concurrency }));
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(JSON.stringify({ msg: 'worker shutting down', signal }));
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await Promise.all(workers.map((w) => w.close()));
    await runtime.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
