// Paths logged on another machine mapped to the workspace by the longest path-suffix match, and the security rule:
// whatever the log says, a result is always an entry of the workspace file list.
import * as assert from 'node:assert/strict';
import { buildPathIndex, joinRoot, loggedPathSegments, mapPath, type PathCandidate, type PathIndex } from '../../src/core/source/pathMapping';

const FILES = [
  'src/bot.ts',
  'src/server.ts',
  'src/util/strings.ts',
  'packages/a/src/util.ts',
  'packages/b/src/util.ts',
  'app/bot.py',
  'app/agents/router.py',
  'my app/notes.py',
  'README.md',
  'etc/passwd', // a file of the project that happens to be named like a system file
];

const index = buildPathIndex([{ root: '/home/dev/acme', files: FILES }]);
const paths = (c: PathCandidate[]) => c.map((x) => x.path);

/** Every candidate is an entry of the list, and its absolute path is under its folder's root. */
function assertInside(ix: PathIndex, candidates: PathCandidate[], what: string): void {
  for (const c of candidates) {
    const folder = ix.folders[c.folder];
    assert.ok(folder, `${what}: folder ${c.folder}`);
    assert.ok(folder.files.includes(c.path), `${what}: ${c.path} is not an entry of the list`);
    const root = folder.root.replace(/[\\/]+$/, '');
    assert.ok(c.absolutePath.startsWith(root + '/') || c.absolutePath.startsWith(root + '\\'), `${what}: ${c.absolutePath}`);
    assert.ok(!/(^|[\\/])\.\.([\\/]|$)/.test(c.absolutePath.slice(root.length)), `${what}: ${c.absolutePath}`);
  }
}

describe('path mapping: logged paths to workspace files', () => {
  const cases: [string, string][] = [
    ['/app/src/bot.ts', 'src/bot.ts'],
    ['C:\\build\\src\\bot.ts', 'src/bot.ts'],
    ['file:///srv/app/bot.py', 'app/bot.py'],
    ['./src/bot.ts', 'src/bot.ts'],
    ['src/bot.ts', 'src/bot.ts'],
    ['webpack:///src/bot.ts', 'src/bot.ts'],
    ['webpack://acme-support/./src/bot.ts?8a3f', 'src/bot.ts'],
    ['/usr/src/app/src/bot.ts:17:20', 'src/bot.ts'],
    ['file:///C:/Users/dev/acme/src/server.ts', 'src/server.ts'],
    ['vscode-remote://ssh-remote+build/home/ci/acme/src/util/strings.ts', 'src/util/strings.ts'],
    ['file:///srv/my%20app/notes.py', 'my app/notes.py'],
    ['/srv/acme/app/agents/../agents/router.py', 'app/agents/router.py'],
    ['\\\\?\\C:\\build\\acme\\app\\bot.py', 'app/bot.py'],
  ];
  for (const [logged, expected] of cases) {
    it(`${logged} → ${expected}`, () => {
      const found = mapPath(index, logged);
      assert.deepEqual(paths(found), [expected]);
      assert.equal(found[0].score, 1);
      assert.equal(found[0].absolutePath, `/home/dev/acme/${expected}`);
      assertInside(index, found, logged);
    });
  }

  it('prefers the longest matching suffix', () => {
    const ix = buildPathIndex([{ root: '/w', files: ['lib/bot.py', 'app/agents/bot.py', 'bot.py'] }]);
    const found = mapPath(ix, '/srv/acme/app/agents/bot.py');
    assert.deepEqual(found.map((c) => [c.path, c.matchedSegments, c.score]), [['app/agents/bot.py', 3, 1]]);
    // only the file name in common: every file of that name ties; the score is the share of the shorter path matched
    assert.deepEqual(mapPath(ix, '/opt/other/bot.py').map((c) => [c.path, c.matchedSegments, c.score]), [['bot.py', 1, 1], ['lib/bot.py', 1, 0.5], ['app/agents/bot.py', 1, 1 / 3]]);
  });

  it('returns every tie with its score, across workspace folders', () => {
    const ix = buildPathIndex([
      { root: '/w/one', files: ['packages/a/src/util.ts'] },
      { root: 'C:\\w\\two', files: ['packages\\b\\src\\util.ts', 'src\\util.ts'] },
    ]);
    const found = mapPath(ix, '/app/src/util.ts');
    assert.deepEqual(
      found.map((c) => [c.folder, c.path, c.matchedSegments, c.score, c.absolutePath]),
      [
        [1, 'src\\util.ts', 2, 1, 'C:\\w\\two\\src\\util.ts'],
        [0, 'packages/a/src/util.ts', 2, 2 / 3, '/w/one/packages/a/src/util.ts'],
        [1, 'packages\\b\\src\\util.ts', 2, 2 / 3, 'C:\\w\\two\\packages\\b\\src\\util.ts'],
      ],
    );
  });

  it('matches a differently cased path (Windows, macOS) with a slightly lower score', () => {
    const found = mapPath(index, 'C:\\BUILD\\SRC\\Bot.ts');
    assert.deepEqual(paths(found), ['src/bot.ts']);
    assert.ok(found[0].score < 1 && found[0].score >= 0.9);
  });

  it('finds nothing for a file name the workspace does not have', () => {
    assert.deepEqual(mapPath(index, '/srv/billing/cmd/worker/main.go'), []);
    assert.deepEqual(mapPath(index, ''), []);
    assert.deepEqual(mapPath(index, '   '), []);
  });

  it('reads the segments of logged paths', () => {
    assert.deepEqual(loggedPathSegments('C:\\a\\b.ts'), ['a', 'b.ts']);
    assert.deepEqual(loggedPathSegments('/a/./b/../c.ts:3'), ['a', 'c.ts']);
    assert.deepEqual(loggedPathSegments('../../../x.ts'), ['x.ts']);
    assert.deepEqual(loggedPathSegments('bot.ts:42:7'), ['bot.ts']);
    assert.equal(loggedPathSegments('a\u0000b'), null);
    assert.equal(loggedPathSegments('x'.repeat(5000)), null);
    assert.equal(joinRoot('C:\\w\\', ['a', 'b.ts']), 'C:\\w\\a\\b.ts');
    assert.equal(joinRoot('/w/', ['a', 'b.ts']), '/w/a/b.ts');
  });
});

describe('path mapping: security (nothing outside the workspace file list, whatever the log says)', () => {
  const HOSTILE = [
    '../../etc/passwd',
    '../../../../../../../../etc/shadow',
    '/etc/shadow',
    '/proc/self/environ',
    '~/.ssh/id_rsa',
    '\\\\server\\share\\secrets\\key.pem',
    '//server/share/secrets/key.pem',
    'C:\\Windows\\System32\\config\\SAM',
    '..\\..\\..\\Windows\\win.ini',
    'src/../../../../etc/shadow',
    'file:///etc/shadow',
    'file://server/share/key.pem',
    'http://evil.example/src/evil.ts',
    'javascript:alert(1)',
    'data:text/plain;base64,AAAA',
    '%2e%2e/%2e%2e/etc/shadow',
    'file:///%2e%2e/%2e%2e/etc/shadow',
    'src/bot.ts\u0000.png',
    'src/bot.ts\n../../etc/shadow',
    '/home/dev/acme/../other-project/src/secret.ts',
    '/home/dev/acme-evil/src/secret.ts',
    '\u202e/st.tob/crs',
    '/',
    '.',
    '..',
    '',
  ];

  it('maps no hostile path to anything but a workspace entry', () => {
    for (const logged of HOSTILE) {
      const found = mapPath(index, logged);
      assertInside(index, found, JSON.stringify(logged));
    }
    // Named like a workspace file, a hostile path can only ever give that workspace file back.
    assert.deepEqual(paths(mapPath(index, '../../etc/passwd')), ['etc/passwd']);
    assert.deepEqual(paths(mapPath(index, 'file:///etc/shadow')), []);
    assert.deepEqual(paths(mapPath(index, 'http://evil.example/src/bot.ts')), ['src/bot.ts']);
    assert.deepEqual(paths(mapPath(index, 'src/bot.ts\u0000.png')), []);
  });

  it('leaves entries of the list that are not plain relative paths out of the index', () => {
    const ix = buildPathIndex([{ root: '/w', files: ['../outside.ts', '/etc/shadow', 'C:\\Windows\\win.ini', 'a/../../b.ts', 'ok/c.ts', 'x\u0000.ts', ''] }]);
    assert.equal(ix.refused, 6);
    for (const logged of ['../outside.ts', '/w/../outside.ts', '/etc/shadow', 'C:\\Windows\\win.ini', 'b.ts', 'x\u0000.ts']) {
      assert.deepEqual(mapPath(ix, logged), [], logged);
    }
    assert.deepEqual(paths(mapPath(ix, '/srv/ok/c.ts')), ['ok/c.ts']);
  });

  it('never leaves the list on random combinations of hostile segments (fuzz)', () => {
    const SEGMENTS = ['..', '.', '', 'src', 'bot.ts', 'etc', 'passwd', 'C:', '\\\\server', 'share', '~', '%2e%2e', 'file:', 'app', 'bot.py', '?', '#', ':12', 'node_modules', 'x'];
    const SEPARATORS = ['/', '\\', '//', '\\\\'];
    const PREFIXES = ['', 'file://', 'file:///', 'webpack:///', 'http://host/', '\\\\?\\', '/', 'C:'];
    let seed = 42;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let mapped = 0;
    for (let i = 0; i < 5000; i++) {
      let p = PREFIXES[rand(PREFIXES.length)];
      const n = 1 + rand(7);
      for (let k = 0; k < n; k++) p += (k ? SEPARATORS[rand(SEPARATORS.length)] : '') + SEGMENTS[rand(SEGMENTS.length)];
      const found = mapPath(index, p);
      if (found.length) mapped++;
      assertInside(index, found, JSON.stringify(p));
    }
    assert.ok(mapped > 100, `some paths map (${mapped})`);
  });
});
