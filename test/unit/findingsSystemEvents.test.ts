import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import { configCategory, listSystemEvents } from '../../src/core/analysis/systemEvents';
import { loadFiles, loadRecords, sample } from '../fixtures/findings/build';

describe('system events: configuration changes, documents, access and security', () => {
  it('lists the sample’s system prompt change with its before/after text read back, uploads, deletions, logins and the security event', async () => {
    const { db, store } = await loadFiles([sample]);
    try {
      const s = await listSystemEvents(store);
      const raw = JSON.parse(fs.readFileSync(sample, 'utf8').split('\n')[46]);
      assert.equal(s.configChanges.length, 1);
      const c = s.configChanges[0];
      assert.deepEqual(
        { line: c.line, rowid: c.rowid, ts: c.ts, actor: c.actor, target: c.target, category: c.category, action: c.action },
        { line: 47, rowid: 47, ts: '2026-11-02T12:23:35.792Z', actor: 'u_admin', target: 'system_prompt', category: 'system-prompt', action: 'config_change' },
      );
      assert.equal(c.before, raw.change.before);
      assert.equal(c.after, raw.change.after);
      assert.deepEqual(s.documents.map((d) => [d.line, d.operation, d.document, d.actor]), [
        [1, 'upload', 'Refund policy 2026.pdf', 'u_admin'],
        [2, 'upload', 'Shipping FAQ.md', 'u_admin'],
        [3, 'upload', 'Warranty terms.pdf', 'u_admin'],
        [4, 'upload', 'Privacy notice.html', 'u_admin'],
        [5, 'upload', 'Pricing sheet Q4.xlsx', 'u_admin'],
        [148, 'delete', 'Pricing sheet Q4.xlsx', 'u_admin'],
      ]);
      assert.equal(s.access.length, 23);
      assert.deepEqual(s.access[0], { rowid: 6, fileIndex: 0, line: 6, ts: '2026-11-02T08:30:18.581Z', action: 'login', actor: 'u_chen', kind: 'access', userId: 'u_chen', sessionId: 'sess_ad4fe7cc', status: null, detail: 'login via SSO', tags: [] });
      assert.deepEqual(s.access[s.access.length - 1].action, 'export');
      assert.equal(s.access[s.access.length - 1].actor, 'u_auditor');
      assert.equal(s.security.length, 1);
      assert.deepEqual([s.security[0].line, s.security[0].action, s.security[0].userId, s.security[0].tags], [78, 'injection_detected', 'u_bob', ['prompt-injection']]);
      const noContent = await listSystemEvents(store, null, { readContent: false });
      assert.equal(noContent.configChanges[0].before, null);
    } finally {
      db.close();
    }
  });

  it('renders structured before/after values as indented JSON and sorts changes into categories', async () => {
    const { db, store } = await loadRecords([
      { schema: 'auditlens/1', ts: '2026-11-02T09:00:00.000Z', type: 'system.config_change', actor: 'u_admin', change: { key: 'guardrails.pii_filter', before: { enabled: true }, after: { enabled: false } } },
      { schema: 'auditlens/1', ts: '2026-11-02T08:00:00.000Z', type: 'system.config_change', actor: 'u_root', change: { key: 'access.allowed_groups', before: ['support'], after: ['support', 'everyone'] } },
    ]);
    try {
      const s = await listSystemEvents(store);
      assert.deepEqual(s.configChanges.map((c) => [c.line, c.category]), [[2, 'access'], [1, 'guardrails']], 'in time order');
      assert.equal(s.configChanges[1].before, '{\n  "enabled": true\n}');
      assert.equal(s.configChanges[1].after, '{\n  "enabled": false\n}');
      assert.equal(s.configChanges[0].after, '[\n  "support",\n  "everyone"\n]');
    } finally {
      db.close();
    }
    assert.equal(configCategory('model', 'config_change'), 'model');
    assert.equal(configCategory('retention_days', 'config_change'), 'other');
  });
});
