/**
 * A small router: paths are literal segments and `:name` parameters. Routes are grouped by
 * segment count so a lookup compares only paths of the right length.
 */
export interface Match<H> {
  handler: H;
  params: Record<string, string>;
}

interface Entry<H> {
  method: string;
  segments: string[];
  handler: H;
}

export class Router<H> {
  private readonly byLength = new Map<number, Entry<H>[]>();

  add(method: string, path: string, handler: H): void {
    const segments = split(path);
    const list = this.byLength.get(segments.length) ?? [];
    list.push({ method, segments, handler });
    this.byLength.set(segments.length, list);
  }

  /** The route for method and path; or, when only the method is wrong, the methods allowed. */
  find(method: string, path: string): Match<H> | { allowed: string[] } | undefined {
    const parts = split(path);
    const allowed: string[] = [];
    for (const entry of this.byLength.get(parts.length) ?? []) {
      const params = matchSegments(entry.segments, parts);
      if (!params) continue;
      if (entry.method === method || (method === 'HEAD' && entry.method === 'GET')) return { handler: entry.handler, params };
      allowed.push(entry.method);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    const got = parts[i]!;
    if (want.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(got);
      } catch {
        return undefined; // malformed escapes match nothing
      }
      params[want.slice(1)] = value;
    } else if (want !== got) {
      return undefined;
    }
  }
  return params;
}
