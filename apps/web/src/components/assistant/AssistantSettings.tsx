import { useState } from 'react';
import { Bot } from 'lucide-react';
import type { AssistantEndpoint, LlmConnectionCheck } from '@tradewire/contract';
import { testAssistantEndpoint, useAssistantEndpoint, useAssistantUsage, useDeleteAssistantEndpoint, useSaveAssistantEndpoint } from '../../api/assistant';
import { errorMessage } from '../../api/client';
import { fmt } from '../../lib/format';
import { ErrorState } from '../states';
import { Button } from '../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { Field } from '../ui/field';
import { Input } from '../ui/input';
import { Skeleton } from '../ui/skeleton';

/** Where the run assistant's answers come from: the user's own OpenAI-compatible endpoint, key sealed on the server. */
export function AssistantSettings() {
  const endpoint = useAssistantEndpoint();
  return (
    <Card id="assistant" data-testid="assistant-settings">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Bot className="size-4" />
          Assistant
        </CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4">
        <p className="text-sm text-muted-foreground">
          The assistant answers questions about your runs (the Ask tab of a run or model) from their own data. It calls the endpoint you set here: any
          OpenAI-compatible API, e.g. <code>https://api.openai.com/v1</code>, <code>https://openrouter.ai/api/v1</code> or a local{' '}
          <code>http://localhost:11434/v1</code> (Ollama; the server must allow private hosts).
        </p>
        {endpoint.error && <ErrorState error={endpoint.error} title="Could not load the assistant settings" />}
        {!endpoint.data && !endpoint.error && <Skeleton className="h-32" />}
        {endpoint.data && <EndpointForm key={`${endpoint.data.base_url}|${endpoint.data.model}`} saved={endpoint.data} />}
        <Usage />
      </CardContent>
    </Card>
  );
}

function EndpointForm({ saved }: { saved: AssistantEndpoint }) {
  const save = useSaveAssistantEndpoint();
  const remove = useDeleteAssistantEndpoint();
  const [baseUrl, setBaseUrl] = useState(saved.base_url ?? '');
  const [model, setModel] = useState(saved.model ?? '');
  const [apiKey, setApiKey] = useState('');
  const [check, setCheck] = useState<LlmConnectionCheck | null>(null);
  const [testing, setTesting] = useState(false);
  const test = async () => {
    setTesting(true);
    setCheck(null);
    try {
      setCheck(await testAssistantEndpoint());
    } catch (e) {
      setCheck({ ok: false, error: errorMessage(e) });
    } finally {
      setTesting(false);
    }
  };
  return (
    <form
      className="grid gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        setCheck(null);
        save.mutate({ base_url: baseUrl.trim(), model: model.trim(), ...(apiKey ? { api_key: apiKey } : {}) }, { onSuccess: () => setApiKey('') });
      }}
    >
      <Field label="Base URL" name="base_url">
        <Input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://api.openai.com/v1" required data-testid="assistant-base-url" />
      </Field>
      <Field label="Model" name="model">
        <Input value={model} onChange={(e) => setModel(e.target.value)} placeholder="gpt-4o-mini" required data-testid="assistant-model" />
      </Field>
      <Field label="API key" name="api_key" hint={saved.has_api_key ? 'A key is stored (encrypted). Leave empty to keep it.' : 'Optional for local servers. Stored encrypted, never shown again.'}>
        <Input type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} data-testid="assistant-api-key" />
      </Field>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={save.isPending} data-testid="assistant-save">
          Save
        </Button>
        <Button type="button" variant="outline" disabled={!saved.configured || testing} onClick={() => void test()} data-testid="assistant-test">
          {testing ? 'Testing…' : 'Test connection'}
        </Button>
        {saved.configured && (
          <Button type="button" variant="ghost" disabled={remove.isPending} onClick={() => remove.mutate()} data-testid="assistant-remove">
            Remove
          </Button>
        )}
      </div>
      {save.error && (
        <p role="alert" className="text-sm text-loss">
          Could not save: {errorMessage(save.error)}
        </p>
      )}
      {check && (
        <p role="status" className={check.ok ? 'text-sm text-profit' : 'text-sm text-loss'} data-testid="assistant-test-result">
          {check.ok ? `Connected: ${check.model} answered in ${fmt.count(check.latency_ms)} ms` : `Connection failed: ${check.error}`}
        </p>
      )}
    </form>
  );
}

function Usage() {
  const usage = useAssistantUsage();
  if (!usage.data) return null;
  return (
    <p className="text-xs text-subtle" data-testid="assistant-usage">
      Today: {fmt.count(usage.data.used_tokens)} of {fmt.count(usage.data.daily_cap)} tokens (the server's daily cap per user).
    </p>
  );
}
