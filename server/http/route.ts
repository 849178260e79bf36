import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Mode } from '../../contract/common.js';
import type { Logger } from '../log.js';

/** What a handler returns: JSON, or a body (text, bytes, or a stream) with its headers. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer | AsyncIterable<Uint8Array>;
}

export interface MerchantAuth {
  accountId: string;
  /** The key's mode: links made with a `vn_test_` key are test links. */
  mode: Mode;
}

/** A merchant's user signed in to the dashboard (the cookie): they act for their account, in live mode. */
export interface UserAuth extends MerchantAuth {
  userId: string;
  email: string;
  sessionId: string;
  csrfToken: string;
  /** The sign-in's absolute end (ms). */
  expiresAt: number;
}

export interface ApplicantAuth {
  sessionId: string;
}

/**
 * Who may call a route: anyone; a merchant (an API key, or a dashboard user's cookie); a dashboard
 * user only (the cookie: what an API key must not do, like minting API keys); an applicant (the
 * session's bearer token).
 */
export type Auth = 'public' | 'merchant' | 'user' | 'applicant';

export interface Context<P, Q, B, A> {
  req: IncomingMessage;
  res: ServerResponse;
  params: P;
  query: Q;
  body: B;
  auth: A;
  log: Logger;
}

type AuthOf<K extends Auth> = K extends 'merchant' ? MerchantAuth : K extends 'user' ? UserAuth : K extends 'applicant' ? ApplicantAuth : null;

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
}

/**
 * A route is data: the router dispatches on it, the request pipeline validates with its schemas,
 * and the OpenAPI document is generated from it, so the three cannot disagree.
 */
export interface Route<P = any, Q = any, B = any, K extends Auth = Auth> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  summary: string;
  tag: string;
  auth: K;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Runs on the parsed JSON before the schema, to refuse with a more telling error than it would. */
  refuse?: (body: unknown) => void;
  /** For bodies that are not JSON (image uploads): the handler reads the stream itself. */
  rawBody?: { contentTypes: string[]; description: string };
  /** Extra request headers the route reads, for the OpenAPI document. */
  headers?: { name: string; description: string; schema?: z.ZodType }[];
  responses: Record<number, ResponseSpec>;
  /** Paths for people (HTML pages, static files) are left out of the API description. */
  hidden?: boolean;
  handle(ctx: Context<P, Q, B, AuthOf<K>>): Promise<Reply>;
}

/** Keeps the handler's context typed from the schemas given. */
export function route<P = undefined, Q = undefined, B = undefined, K extends Auth = Auth>(
  spec: Route<P, Q, B, K>,
): Route<P, Q, B, K> {
  return spec;
}
