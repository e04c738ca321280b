import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Bot, Plus, Send, Square, Trash2 } from 'lucide-react';
import { Link } from 'react-router';
import { toast } from 'sonner';
import type { AssistantMessage } from '@tradewire/contract';
import { assistantKeys, streamAnswer, useAssistantEndpoint, useConversation, useConversations, useCreateConversation, useDeleteConversation } from '../../api/assistant';
import { errorMessage } from '../../api/client';
import { ErrorState } from '../states';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { Textarea } from '../ui/input';
import { Skeleton } from '../ui/skeleton';
import { AssistantMarkdown } from './AssistantMarkdown';
import { Bubble, MessageView, TOOL_WORDS, mergeMessages, suggestedQuestions } from './AssistantMessages';

/** How long after a stop the stored (stopped) answer is read back. */
const STOPPED_REFETCH_MS = 1_000;

/** An answer in progress: the question as stored, what has streamed, the tools it used. */
interface Pending {
  question: string;
  asked: AssistantMessage | null;
  text: string;
  tool: string | null;
  status: 'streaming' | 'stopped' | 'failed';
  error: string | null;
}

/**
 * Questions about a run (or, with `runId` null, a model across its runs), answered by the user's
 * LLM endpoint from the run's own data: streamed as they come, with a stop button, citations that
 * open the trade or day they name, and a clear error when the endpoint fails.
 */
export function AssistantPanel({ modelId, runId, runNumber }: { modelId: number; runId: number | null; runNumber: number | null }) {
  const endpoint = useAssistantEndpoint();
  const conversations = useConversations(modelId, runId);
  const create = useCreateConversation(modelId, runId);
  const remove = useDeleteConversation(modelId, runId);
  const [chosen, setChosen] = useState<number | null>(null);
  const selected = chosen ?? conversations.data?.[0]?.id ?? null;
  const conversation = useConversation(selected);
  const qc = useQueryClient();
  const [draft, setDraft] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  /** Messages this panel saw stored while answering, shown until (and as well as) the server's copy. */
  const [settled, setSettled] = useState<{ conversationId: number | null; messages: AssistantMessage[] }>({ conversationId: null, messages: [] });
  const abort = useRef<AbortController | null>(null);
  const streaming = pending?.status === 'streaming';

  // Leaving the page stops an answer in flight (the server keeps what was said).
  useEffect(() => () => abort.current?.abort(), []);

  if (endpoint.error) return <ErrorState error={endpoint.error} title="Could not load the assistant" />;
  if (!endpoint.data || conversations.isLoading) return <Skeleton className="h-40" />;
  if (!endpoint.data.configured) {
    return (
      <Card className="grid gap-2 p-4 text-sm" data-testid="assistant-setup">
        <p className="flex items-center gap-2 font-medium">
          <Bot className="size-4" /> Ask about this {runId === null ? 'model' : 'run'}
        </p>
        <p className="text-muted-foreground">
          The assistant answers questions from this {runId === null ? "model's runs" : "run's"} own data (trades, decisions, equity, metrics) through an
          LLM you choose: any OpenAI-compatible endpoint, such as OpenAI, OpenRouter or a local Ollama or vLLM.
        </p>
        <p>
          <Link to="/settings#assistant" className="text-info underline underline-offset-2">
            Set up the assistant in Settings
          </Link>
        </p>
      </Card>
    );
  }

  const messages = mergeMessages(conversation.data?.messages ?? [], settled.conversationId === selected ? settled.messages : []);
  // A stopped or failed answer stays on screen until the stored one arrives.
  const shownPending = pending && !(pending.asked && messages.some((m) => m.role === 'assistant' && m.id > pending.asked!.id)) ? pending : null;

  const ask = async (question: string) => {
    const text = question.trim();
    if (!text || streaming) return;
    let id = selected;
    try {
      if (id === null) {
        id = (await create.mutateAsync()).id;
        setChosen(id);
      }
    } catch (e) {
      toast.error('Could not start a conversation', { description: errorMessage(e) });
      return;
    }
    const key = assistantKeys.conversation(id);
    const conversationId = id;
    // Kept beside the cache: a first load of the conversation still in flight may answer from before them.
    const append = (m: AssistantMessage) =>
      setSettled((s) => (s.conversationId === conversationId ? { conversationId, messages: [...s.messages, m] } : { conversationId, messages: [m] }));
    const controller = new AbortController();
    abort.current = controller;
    setDraft('');
    setPending({ question: text, asked: null, text: '', tool: null, status: 'streaming', error: null });
    try {
      await streamAnswer(id, text, {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'question') {
            append(e.message);
            setPending((p) => p && { ...p, asked: e.message });
          } else if (e.type === 'text') setPending((p) => p && { ...p, text: p.text + e.text, tool: null });
          else if (e.type === 'tool') setPending((p) => p && { ...p, tool: e.name });
          else if (e.type === 'done') {
            append(e.message);
            setPending(null);
          } else {
            if (e.message) append(e.message);
            setPending((p) => p && { ...p, status: 'failed', error: e.error });
          }
        },
      });
    } catch (e) {
      if (controller.signal.aborted) {
        setPending((p) => p && { ...p, status: 'stopped' });
        // The server stores the stopped answer once it sees the request end: read it back shortly after.
        setTimeout(() => void qc.invalidateQueries({ queryKey: key }), STOPPED_REFETCH_MS);
      }
      else setPending((p) => (p ? { ...p, status: 'failed', error: errorMessage(e) } : { question: text, asked: null, text: '', tool: null, status: 'failed', error: errorMessage(e) }));
    } finally {
      abort.current = null;
      void qc.invalidateQueries({ queryKey: key });
      void qc.invalidateQueries({ queryKey: assistantKeys.usage });
      void qc.invalidateQueries({ queryKey: assistantKeys.conversations(modelId, runId) });
    }
  };

  const suggestions = suggestedQuestions(runNumber);
  return (
    <Card className="grid gap-3 p-4" data-testid="assistant-panel">
      <div className="flex flex-wrap items-center gap-2">
        <Bot className="size-4" aria-hidden />
        <label className="sr-only" htmlFor="assistant-conversation">
          Conversation
        </label>
        <select
          id="assistant-conversation"
          className="h-9 min-w-0 flex-1 rounded-md border border-input bg-transparent px-2 text-sm max-sm:min-h-11"
          value={selected ?? ''}
          onChange={(e) => {
            setChosen(e.target.value ? Number(e.target.value) : null);
            setPending(null);
          }}
          disabled={streaming}
          data-testid="assistant-conversations"
        >
          {(conversations.data ?? []).length === 0 && <option value="">New conversation</option>}
          {(conversations.data ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.title} · {new Date(c.updated_at).toLocaleString()}
            </option>
          ))}
        </select>
        <Button
          variant="outline"
          size="sm"
          disabled={streaming || create.isPending}
          onClick={() => create.mutate(undefined, { onSuccess: (c) => (setChosen(c.id), setPending(null)) })}
          data-testid="assistant-new"
        >
          <Plus /> New
        </Button>
        {selected !== null && (
          <Button
            variant="ghost"
            size="sm"
            aria-label="Delete this conversation"
            disabled={streaming}
            onClick={() => remove.mutate(selected, { onSuccess: () => (setChosen(null), setPending(null)) })}
            data-testid="assistant-delete"
          >
            <Trash2 />
          </Button>
        )}
      </div>

      <div role="log" aria-label="Conversation with the assistant" aria-busy={streaming} className="grid max-h-[32rem] gap-3 overflow-y-auto" data-testid="assistant-messages">
        {conversation.error && <ErrorState error={conversation.error} title="Could not load the conversation" />}
        {messages.map((m) => (
          <MessageView key={m.id} message={m} />
        ))}
        {shownPending && (
          <>
            {!shownPending.asked && <Bubble role="user">{shownPending.question}</Bubble>}
            <div className="grid gap-1" data-testid="assistant-pending" data-status={shownPending.status}>
              {shownPending.text && <AssistantMarkdown content={shownPending.text} citations={[]} />}
              {shownPending.status === 'streaming' && (
                <p className="text-xs text-subtle" data-testid="assistant-working">
                  {shownPending.tool ? `${TOOL_WORDS[shownPending.tool] ?? shownPending.tool}…` : shownPending.text ? 'writing…' : 'thinking…'}
                </p>
              )}
              {shownPending.status === 'stopped' && <p className="text-xs text-subtle">Stopped.</p>}
              {shownPending.status === 'failed' && !shownPending.asked && (
                <p role="alert" className="text-sm text-loss" data-testid="assistant-error">
                  {shownPending.error}
                </p>
              )}
            </div>
          </>
        )}
        {messages.length === 0 && !shownPending && <p className="text-sm text-muted-foreground">Ask anything about this {runId === null ? 'model' : 'run'}: the answer cites the trades and days it used.</p>}
      </div>

      <div className="flex flex-wrap gap-2" aria-label="Suggested questions">
        {suggestions.map((q) => (
          <Button key={q} variant="outline" size="sm" disabled={streaming} onClick={() => void ask(q)} data-testid="assistant-suggestion">
            {q}
          </Button>
        ))}
      </div>

      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void ask(draft);
        }}
      >
        <label className="sr-only" htmlFor="assistant-question">
          Your question
        </label>
        <Textarea
          id="assistant-question"
          className="min-h-11 flex-1 resize-y"
          rows={2}
          maxLength={4000}
          placeholder={`Ask about this ${runId === null ? 'model' : 'run'}…`}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void ask(draft);
            }
          }}
          data-testid="assistant-input"
        />
        {streaming ? (
          <Button type="button" variant="destructive" onClick={() => abort.current?.abort()} data-testid="assistant-stop">
            <Square /> Stop
          </Button>
        ) : (
          <Button type="submit" variant="primary" disabled={!draft.trim()} data-testid="assistant-send">
            <Send /> Ask
          </Button>
        )}
      </form>
    </Card>
  );
}

