import { lookup as dnsLookup } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { type ReadableStream as NodeReadableStream, TransformStream } from 'node:stream/web';
import ipaddr from 'ipaddr.js';
import { Agent, fetch as undiciFetch, Response } from 'undici';

/** The endpoint resolves to an address the server may not call (LLM_ALLOW_PRIVATE_HOSTS is off). */
export class PrivateHostRefused extends Error {
  constructor(host: string) {
    super(`base_url: ${host} is or resolves to a private, loopback or link-local address; the server refuses it unless LLM_ALLOW_PRIVATE_HOSTS=1`);
  }
}

/** The provider's answer passed LLM_MAX_ANSWER_BYTES: the request was aborted. */
export class AnswerTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the model's answer exceeded ${maxBytes} bytes (LLM_MAX_ANSWER_BYTES): the request was aborted`);
  }
}

/**
 * Whether an address is public unicast. Everything ipaddr.js classes otherwise is refused:
 * private, loopback, link-local, unspecified (0.0.0.0, ::), carrier-grade NAT, multicast,
 * broadcast, reserved, unique-local, and IPv6 forms that embed an IPv4 address (mapped, NAT64,
 * 6to4, Teredo), since those can lead back into a private network.
 */
export function isPublicAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  return ipaddr.process(ip).range() === 'unicast';
}

/** The host of a URL as an address or name: brackets of IPv6 literals removed. */
const hostOf = (url: string) => new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Refuses, before any connection is made, a base URL whose host is a non-public address or a
 * name any of whose addresses is non-public. The URL parser has already turned decimal, octal
 * and hex forms of IPv4 (`2130706433`, `0177.0.0.1`, `0x7f.1`) into dotted quads.
 */
export async function assertPublicHost(baseUrl: string): Promise<void> {
  const host = hostOf(baseUrl);
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw new PrivateHostRefused(host);
    return;
  }
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    // Unresolvable: the connection attempt reports it as unreachable.
    return;
  }
  if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) throw new PrivateHostRefused(host);
}

/**
 * DNS lookup for sockets: the addresses a connection will actually use are checked too, so a
 * name that resolved to a public address for the check and to a private one a moment later
 * (DNS rebinding) cannot get through.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses as { address: string; family: number }[];
    if (list.length === 0 || list.some((a) => !isPublicAddress(a.address))) return callback(new PrivateHostRefused(hostname), '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};

/** Ends the body with AnswerTooLarge once more than `maxBytes` have come; the source is cancelled (the socket closed). */
function bounded(res: Response, maxBytes: number): Response {
  if (!res.body) return res;
  let seen = 0;
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) controller.error(new AnswerTooLarge(maxBytes));
      else controller.enqueue(chunk);
    },
  });
  // Node's web streams, named explicitly: the same code type-checks under the DOM library too.
  const body = (res.body as unknown as NodeReadableStream<Uint8Array>).pipeThrough(limit);
  return new Response(body as unknown as ConstructorParameters<typeof Response>[0], { status: res.status, statusText: res.statusText, headers: res.headers });
}

export interface EgressPolicy {
  maxAnswerBytes: number;
  allowPrivateHosts: boolean;
}

const publicAgent = new Agent({ connect: { lookup: publicOnlyLookup } });
const anyAgent = new Agent();

/**
 * The fetch every call to an LLM provider goes through: with private hosts refused, IP
 * literals are checked before connecting and names at connect time; every answer's body is cut
 * at `maxAnswerBytes`, so no provider can make the server hold more than that.
 */
export function egressFetch(policy: EgressPolicy): typeof fetch {
  const dispatcher = policy.allowPrivateHosts ? anyAgent : publicAgent;
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<globalThis.Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!policy.allowPrivateHosts) {
      const host = hostOf(url);
      if (isIP(host) && !isPublicAddress(host)) throw new PrivateHostRefused(host);
    }
    // undici's own fetch, so its Agent is a dispatcher it knows (the global fetch bundles another copy).
    const res = await undiciFetch(url, { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1]);
    return bounded(res, policy.maxAnswerBytes) as unknown as globalThis.Response;
  };
  return guarded as typeof fetch;
}
