import { useEffect, useRef, useState } from 'react';
import type { AgentKind } from '@tradewire/contract';
import { useStreamBatches } from '../stream/hooks';
import { browserNotifySink } from './browser';
import { createNotifier, type NotifySink } from './notifier';
import { useSettingsOrDefaults } from './settings-api';

/** Sounds and desktop notifications for what the user chose; mounted once per signed-in tab. */
export function useNotifier(
  modelName: (id: number | null) => string,
  sink: NotifySink = browserNotifySink,
  agentKind: (id: number | null) => AgentKind | null = () => null,
) {
  const settings = useSettingsOrDefaults();
  const latest = useRef({ settings, modelName, agentKind });
  useEffect(() => {
    latest.current = { settings, modelName, agentKind };
  });
  const [notifier] = useState(() =>
    createNotifier(sink, {
      settings: () => latest.current.settings.notifications,
      modelName: (id) => latest.current.modelName(id),
      agentKind: (id) => latest.current.agentKind(id),
      now: () => Date.now(),
      setTimeout: (fn, ms) => {
        const id = window.setTimeout(fn, ms);
        return () => window.clearTimeout(id);
      },
    }),
  );
  useEffect(() => () => notifier.dispose(), [notifier]);
  useStreamBatches((batch) => notifier.handle(batch.events));
}
