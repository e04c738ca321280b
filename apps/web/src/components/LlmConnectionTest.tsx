import { useState } from 'react';
import type { LlmConnectionCheck } from '@tradewire/contract';
import { api, errorMessage } from '../api/client';
import { fmt } from '../lib/format';
import { Button } from './ui/button';

/** Checks a saved LLM model's endpoint with its stored key (POST /api/models/{id}/test-connection): one tiny completion. */
export function LlmConnectionTest({ modelId, dirty }: { modelId: number; dirty: boolean }) {
  const [check, setCheck] = useState<LlmConnectionCheck | null>(null);
  const [testing, setTesting] = useState(false);
  const test = async () => {
    setTesting(true);
    setCheck(null);
    try {
      setCheck(await api.post<LlmConnectionCheck>(`/api/models/${modelId}/test-connection`));
    } catch (e) {
      setCheck({ ok: false, error: errorMessage(e) });
    } finally {
      setTesting(false);
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
      <Button variant="outline" size="sm" disabled={testing} onClick={() => void test()} data-testid="test-connection">
        {testing ? 'Testing…' : 'Test connection'}
      </Button>
      {dirty && !check && <span className="text-xs text-subtle">Tests the saved settings: save your changes first.</span>}
      {check && (
        <span role="status" className={check.ok ? 'text-sm text-profit' : 'text-sm text-loss'} data-testid="test-connection-result">
          {check.ok ? `Connected: ${check.model} answered in ${fmt.count(check.latency_ms)} ms` : `Connection failed: ${check.error}`}
        </span>
      )}
    </div>
  );
}
