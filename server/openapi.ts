import { z } from 'zod';
import { errorBodySchema } from '../contract/common.js';
import { route, type Route } from './http/route.js';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

/** Path, query and header parameters from an object schema's properties. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const SECURITY: Record<Route['auth'], JsonSchema[]> = {
  merchant: [{ apiKey: [] }, { dashboardCookie: [] }],
  user: [{ dashboardCookie: [] }],
  applicant: [{ sessionToken: [] }],
  public: [],
};

/**
 * The OpenAPI 3.1 document, made from the same route table and zod schemas the server validates
 * with, so the description cannot drift from what is accepted.
 */
export function openApiDocument(routes: Route[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of routes.filter((r) => !r.hidden)) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const responses: Record<string, JsonSchema> = {};
    for (const [status, spec] of Object.entries(r.responses)) {
      const contentType = spec.contentType ?? 'application/json';
      const schema = spec.schema ? toSchema(spec.schema, 'output') : Number(status) >= 400 ? { $ref: '#/components/schemas/Error' } : undefined;
      responses[status] = { description: spec.description, ...(schema || spec.contentType ? { content: { [contentType]: schema ? { schema } : {} } } : {}) };
    }
    const requestBody = r.body
      ? { required: true, content: { 'application/json': { schema: toSchema(r.body, 'input') } } }
      : r.rawBody
        ? {
            required: true,
            description: r.rawBody.description,
            content: Object.fromEntries(r.rawBody.contentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
          }
        : undefined;
    const headerParameters = (r.headers ?? []).map((h) => ({
      name: h.name,
      in: 'header',
      required: false,
      description: h.description,
      ...(h.schema ? { content: { 'application/json': { schema: toSchema(h.schema, 'input') } } } : { schema: { type: 'string' } }),
    }));
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      security: SECURITY[r.auth],
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query'), ...headerParameters],
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'verify-now API',
      version: '1',
      description: 'Identity verification by magic link. Errors are always {"error": {"code", "message"}}.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A merchant API key: vn_live_… or vn_test_….' },
        sessionToken: { type: 'http', scheme: 'bearer', description: 'The applicant session token from POST /api/v1/flow/sessions.' },
        dashboardCookie: {
          type: 'apiKey', in: 'cookie', name: 'vn_dashboard',
          description: 'A dashboard sign-in (POST /api/v1/auth/login; `__Host-vn_dashboard` over HTTPS). Writes also need its X-CSRF-Token header.',
        },
      },
      schemas: { Error: toSchema(errorBodySchema, 'output') },
    },
    paths,
  };
}

/** `routes` is read on first request, so the document can list this route too. */
export function openApiRoute(routes: () => Route[]) {
  let document: string | undefined;
  return route({
    method: 'GET',
    path: '/api/v1/openapi.json',
    tag: 'meta',
    summary: 'This description',
    auth: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document.' } },
    async handle() {
      document ??= JSON.stringify(openApiDocument(routes()));
      return { headers: { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' }, body: document };
    },
  });
}
