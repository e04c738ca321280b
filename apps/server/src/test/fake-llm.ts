import { type IncomingHttpHeaders, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The parts of a chat completions request the tests look at. */
export interface FakeChatBody {
  model: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  temperature?: number;
  max_tokens?: number;
  messages: { role: string; content?: string | null; tool_call_id?: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[] }[];
  tools?: { type: string; function: { name: string } }[];
}

export interface FakeRequest {
  body: FakeChatBody;
  headers: IncomingHttpHeaders;
  /** The client went away before the answer ended (it aborted the call). */
  clientGone?: boolean;
}

export interface FakeToolCall {
  name: string;
  /** Raw text, so a test can send JSON that does not parse. */
  arguments: string;
}

/** What the fake answers one request with; `thinking` streams as a reasoning model's `reasoning_content`. */
export type FakeReply =
  | { kind: 'answer'; text?: string; thinking?: string; toolCalls?: FakeToolCall[]; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { kind: 'status'; status: number; message: string; headers?: Record<string, string> }
  /** Never answers: the client must time out. */
  | { kind: 'hang' }
  /** Starts a streamed answer, sends this text, then goes silent. */
  | { kind: 'stall'; text: string }
  /**
   * An endless talker: `bytes` of answer (streamed: reasoning deltas of 64 KiB; plain: one JSON
   * document whose content never ends), generated piece by piece as the client reads, so the
   * fake never holds more than one piece; it stops when the client goes away.
   */
  | { kind: 'flood'; bytes: number }
  /** A 200 answer that is not an OpenAI response at all: an internal service's page. */
  | { kind: 'raw'; status: number; contentType: string; body: string };

export interface FakeOpenAI {
  /** Base URL as a model's `base_url`, with the /v1 prefix of real providers. */
  baseUrl: string;
  requests: FakeRequest[];
  /** TCP connections accepted so far (a refused call never connects). */
  connections: number;
  /** Body bytes written by `flood` answers so far. */
  floodedBytes: number;
  /** Resolves when the fake has received `n` requests in all. */
  received(n: number): Promise<void>;
  close(): Promise<void>;
}

export const FAKE_USAGE = { prompt_tokens: 100, completion_tokens: 20 };

/**
 * An OpenAI-compatible provider on loopback, scripted per request: streamed (SSE) or plain
 * answers with text and tool calls, error statuses, or silence. Answers arrive in small pieces
 * (text word by word, tool arguments split mid-JSON) as real providers send them.
 */
export async function startFakeOpenAI(script: (req: FakeRequest, n: number) => FakeReply): Promise<FakeOpenAI> {
  const requests: FakeRequest[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return sendStatus(res, 404, `no route ${req.method} ${req.url}`);
      const request: FakeRequest = { body: JSON.parse(raw) as FakeChatBody, headers: req.headers };
      res.on('close', () => {
        if (!res.writableEnded) request.clientGone = true;
      });
      requests.push(request);
      for (const w of waiters.filter((w) => requests.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const reply = script(request, requests.length);
      if (reply.kind === 'hang') return;
      if (reply.kind === 'flood') return void flood(res, reply.bytes, request.body.stream === true, (n) => (fake.floodedBytes += n));
      if (reply.kind === 'raw') {
        res.writeHead(reply.status, { 'content-type': reply.contentType });
        return void res.end(reply.body);
      }
      if (reply.kind === 'status') return sendStatus(res, reply.status, reply.message, reply.headers);
      if (reply.kind === 'stall') return streamChunks(res, [delta({ role: 'assistant', content: reply.text })], false);
      if (request.body.stream) return streamChunks(res, answerChunks(reply, request.body.stream_options?.include_usage === true), true);
      sendJson(res, 200, completion(reply));
    });
  });
  server.on('connection', () => fake.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeOpenAI = {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    connections: 0,
    floodedBytes: 0,
    received: (n) => (requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return fake;
}

/** Writes `bytes` of answer as the client takes it (waiting for drain), until done or the client leaves. */
async function flood(res: ServerResponse, bytes: number, streamed: boolean, count: (n: number) => void) {
  const piece = 'x'.repeat(65_536);
  const frame = streamed ? `data: ${JSON.stringify(delta({ reasoning_content: piece }))}\n\n` : piece;
  res.writeHead(200, { 'content-type': streamed ? 'text/event-stream' : 'application/json' });
  let gone = false;
  res.on('close', () => (gone = true));
  const write = async (text: string) => {
    count(Buffer.byteLength(text));
    if (res.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => (res.off('drain', done), res.off('close', done), resolve());
      res.on('drain', done);
      res.on('close', done);
    });
  };
  if (streamed) await write(`data: ${JSON.stringify(delta({ role: 'assistant', content: '' }))}\n\n`);
  else await write('{"id":"chatcmpl-fake","object":"chat.completion","created":0,"model":"fake-model","choices":[{"index":0,"message":{"role":"assistant","content":"');
  for (let sent = 0; sent < bytes && !gone; sent += frame.length) await write(frame);
  if (!gone) res.end(streamed ? 'data: [DONE]\n\n' : '"},"finish_reason":"stop"}]}');
}

type Answer = Extract<FakeReply, { kind: 'answer' }>;

const chunk = (choices: unknown[], extra: object = {}) => ({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: 'fake-model', choices, ...extra });
const delta = (d: object, finish_reason: string | null = null) => chunk([{ index: 0, delta: d, finish_reason }]);

function answerChunks(reply: Answer, includeUsage: boolean): object[] {
  const chunks: object[] = [delta({ role: 'assistant', content: '' })];
  if (reply.thinking) chunks.push(delta({ reasoning_content: reply.thinking }));
  for (const word of (reply.text ?? '').match(/\S+\s*/g) ?? []) chunks.push(delta({ content: word }));
  (reply.toolCalls ?? []).forEach((call, index) => {
    chunks.push(delta({ tool_calls: [{ index, id: `call_${index}_${call.name}`, type: 'function', function: { name: call.name, arguments: '' } }] }));
    const half = Math.ceil(call.arguments.length / 2);
    for (const piece of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
      if (piece) chunks.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(delta({}, reply.toolCalls?.length ? 'tool_calls' : 'stop'));
  if (includeUsage) {
    const usage = reply.usage ?? FAKE_USAGE;
    chunks.push(chunk([], { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }));
  }
  return chunks;
}

function completion(reply: Answer) {
  const usage = reply.usage ?? FAKE_USAGE;
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 0,
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content: reply.text ?? '' }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

function streamChunks(res: ServerResponse, chunks: object[], end: boolean) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
  if (end) res.end('data: [DONE]\n\n');
}

function sendStatus(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message, type: 'fake_error', code: null } }));
}

function sendJson(res: ServerResponse, status: number, body: object) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
