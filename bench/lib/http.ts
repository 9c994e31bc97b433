// The benchmarks' HTTP client: one request over a keep-alive agent to the app on 127.0.0.1, with a
// Bearer API token and an optional JSON body; resolves once the whole response body has been read.
import http from 'node:http';

export interface BenchResponse {
  status: number;
  body: string;
  bytes: number;
}

export function request(
  agent: http.Agent,
  port: number,
  method: string,
  urlPath: string,
  token: string,
  body?: unknown,
): Promise<BenchResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const all = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, body: all.toString('utf8'), bytes: all.length });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export const httpGet = (agent: http.Agent, port: number, urlPath: string, token: string) =>
  request(agent, port, 'GET', urlPath, token);
