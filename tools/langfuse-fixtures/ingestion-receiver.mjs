// A minimal stand-in for the Langfuse server's ingestion endpoint on 127.0.0.1: every
// POST /api/public/ingestion body ({"batch":[{id,type,timestamp,body}],"metadata":{…}}) is appended to the target
// file as one line of JSON, exactly as the SDK sent it, and answered like Langfuse does (207 with one success per
// event). Anything else is a 404 and recorded as an error.
import fs from 'node:fs';
import http from 'node:http';

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** @returns {Promise<{ origin: string, requests: object[], errors: string[], close: () => Promise<void> }>} */
export async function startIngestionReceiver(target) {
  fs.writeFileSync(target, '');
  const requests = [];
  const errors = [];
  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'POST' || req.url !== '/api/public/ingestion') {
        errors.push(`unexpected ${req.method} ${req.url}`);
        res.writeHead(404).end();
        return;
      }
      if (!String(req.headers.authorization ?? '').startsWith('Basic ')) throw new Error('the SDK sent no Basic auth');
      const text = await readBody(req);
      const body = JSON.parse(text);
      requests.push(body);
      fs.appendFileSync(target, JSON.stringify(body) + '\n');
      res.writeHead(207, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ successes: body.batch.map((e) => ({ id: e.id, status: 201 })), errors: [] }));
    } catch (err) {
      errors.push(String(err?.stack ?? err));
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String(err?.message ?? err) }));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    errors,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
