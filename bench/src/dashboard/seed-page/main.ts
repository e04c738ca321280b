/// <reference lib="dom" />
import { createElement as h, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useTradingStream } from './use-trading-stream.js';

/**
 * The benchmark's baseline: the seed plan's dashboard reduced to its stream. Every running model
 * gets the seed's hook (Step 2/4: "Connect to SSE for all running models"), and shows its live
 * badge and last 10 events the way the seed's ContextPanel does (Step 3). No toasts, charts or
 * REST refreshes: it renders less than Tradewire's dashboard does.
 */
interface Model {
  id: number;
  name: string;
  status: string;
}

function ModelStream({ model }: { model: Model }) {
  const { events, connected, error } = useTradingStream(model.id, true);
  return h(
    'section',
    { 'data-testid': 'seed-model', 'data-connected': String(connected) },
    h('h3', null, model.name, ' ', connected ? h('span', { style: { color: '#10b981' } }, '● Live') : (error ?? 'connecting')),
    h('p', null, `${events.length} events`),
    events
      .slice(-10)
      .reverse()
      .map((event) => h('div', { key: event.timestamp }, h('p', null, event.data?.message), h('span', null, new Date(event.timestamp).toLocaleTimeString()))),
  );
}

function SeedDashboard() {
  const [models, setModels] = useState<Model[] | null>(null);
  useEffect(() => {
    const token = JSON.parse(localStorage.getItem('tradewire.session') ?? 'null')?.accessToken;
    void fetch('/api/models', { headers: { authorization: `Bearer ${token}` } })
      .then((r) => r.json())
      .then((page: { items: Model[] }) => setModels(page.items.filter((m) => m.status === 'running')));
  }, []);
  if (!models) return h('p', null, 'Loading…');
  return h('main', { 'data-testid': 'seed-dashboard' }, ...models.map((m) => h(ModelStream, { key: m.id, model: m })));
}

createRoot(document.getElementById('root')!).render(h(SeedDashboard));
