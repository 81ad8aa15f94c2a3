// A minimal OTLP/HTTP receiver for JSON payloads, standing in for an
// OpenTelemetry Collector with a `file` exporter: every export request body is
// re-serialized as ONE line of JSON and appended to the current traces/logs
// file, i.e. one `TracesData` ({"resourceSpans":[...]}) or `LogsData`
// ({"resourceLogs":[...]}) per line.
//
// Only `application/json` is accepted; anything else (e.g. protobuf) is a hard
// error, because the fixtures must be OTLP JSON.

import fs from 'node:fs';
import http from 'node:http';
import zlib from 'node:zlib';

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function countSpans(data) {
  let n = 0;
  for (const rs of data.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) n += (ss.spans ?? []).length;
  return n;
}

function countLogs(data) {
  let n = 0;
  for (const rl of data.resourceLogs ?? []) for (const sl of rl.scopeLogs ?? []) n += (sl.logRecords ?? []).length;
  return n;
}

/**
 * @returns {Promise<{ origin: string, setTarget: (t: {traces: string, logs: string}) => void,
 *   stats: Map<string, {lines: number, spans: number, logRecords: number}>, errors: string[], close: () => Promise<void> }>}
 */
export async function startOtlpReceiver() {
  let target = null;
  const stats = new Map();
  const errors = [];

  const bump = (file, key, by) => {
    if (!stats.has(file)) stats.set(file, { lines: 0, spans: 0, logRecords: 0 });
    stats.get(file)[key] += by;
  };

  const server = http.createServer(async (req, res) => {
    try {
      const signal = req.method === 'POST' && req.url === '/v1/traces' ? 'traces' : req.method === 'POST' && req.url === '/v1/logs' ? 'logs' : null;
      if (!signal) {
        res.writeHead(404).end();
        return;
      }
      const contentType = String(req.headers['content-type'] ?? '');
      if (!contentType.startsWith('application/json')) {
        throw new Error(`${req.url}: expected an OTLP JSON body, got content-type ${JSON.stringify(contentType)}`);
      }
      let raw = await readBody(req);
      if (req.headers['content-encoding'] === 'gzip') raw = zlib.gunzipSync(raw);
      const data = JSON.parse(raw.toString('utf8'));
      if (!target) throw new Error(`${req.url}: received data while no output file is selected`);
      const file = target[signal];
      fs.appendFileSync(file, JSON.stringify(data) + '\n');
      bump(file, 'lines', 1);
      if (signal === 'traces') bump(file, 'spans', countSpans(data));
      else bump(file, 'logRecords', countLogs(data));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    } catch (err) {
      errors.push(String(err?.stack ?? err));
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 3, message: String(err?.message ?? err) }));
    }
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    setTarget(t) {
      target = t;
      for (const f of [t.traces, t.logs]) {
        fs.writeFileSync(f, '');
        stats.set(f, { lines: 0, spans: 0, logRecords: 0 });
      }
    },
    stats,
    errors,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
