// RFC 6962 / RFC 9162 Merkle trees: the Certificate Transparency reference vectors (the leaves, roots and inclusion
// proofs of transparency-dev/merkle's proof/verify_test.go, also in certificate-transparency-go), proofs of every
// leaf of every tree shape up to 40 leaves, corrupted proofs, and the streaming CompactRange / GrowingTree.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  CompactRange,
  EMPTY_ROOT,
  GrowingTree,
  inclusionPath,
  leafHash,
  merkleRoot,
  nodeHash,
  rootFromInclusionProof,
  verifyInclusion,
} from '../../src/core/integrity/merkle';

const hex = (b: Buffer) => b.toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');

const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
/** Roots of the trees of the first 1..8 leaves. */
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
/** Inclusion proofs: leaf (1-based, as in the reference), tree size, audit path. */
const CT_PROOFS: { leaf: number; size: number; path: string[] }[] = [
  { leaf: 1, size: 1, path: [] },
  {
    leaf: 1,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    leaf: 6,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { leaf: 3, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    leaf: 2,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

describe('integrity: Merkle trees (RFC 6962)', () => {
  const leaves = CT_LEAVES.map((l) => leafHash(l));

  it('hashes leaves with 0x00 and nodes with 0x01, and the empty tree as SHA-256("")', () => {
    assert.equal(hex(EMPTY_ROOT), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(hex(leafHash(Buffer.alloc(0))), CT_ROOTS[0]);
    assert.equal(hex(leafHash('abc')), createHash('sha256').update(Buffer.from([0])).update('abc').digest('hex'));
    const [a, b] = [leaves[0], leaves[1]];
    assert.deepEqual(nodeHash(a, b), createHash('sha256').update(Buffer.concat([Buffer.from([1]), a, b])).digest());
  });

  it('gives the reference root for every tree of 1 to 8 leaves', () => {
    for (let n = 1; n <= 8; n++) assert.equal(hex(merkleRoot(leaves.slice(0, n))), CT_ROOTS[n - 1], `size ${n}`);
    assert.equal(hex(merkleRoot([])), hex(EMPTY_ROOT));
  });

  it('computes and verifies the reference inclusion proofs', () => {
    for (const p of CT_PROOFS) {
      const root = unhex(CT_ROOTS[p.size - 1]);
      assert.deepEqual(inclusionPath(leaves, p.leaf - 1, p.size).map(hex), p.path, `path of ${p.leaf}/${p.size}`);
      assert.ok(verifyInclusion(p.leaf - 1, p.size, leaves[p.leaf - 1], p.path.map(unhex), root), `${p.leaf}/${p.size}`);
    }
  });

  it('rejects corrupted reference proofs (index, size, leaf, root, added, removed or flipped elements)', () => {
    const some = unhex('abacaba000000000000000000000000000000000000000000060061e00123456');
    for (const p of CT_PROOFS.filter((x) => x.path.length > 0)) {
      const i = p.leaf - 1;
      const root = unhex(CT_ROOTS[p.size - 1]);
      const path = p.path.map(unhex);
      const leaf = leaves[i];
      const probes: [string, boolean][] = [
        ['index - 1', verifyInclusion(i - 1, p.size, leaf, path, root)],
        ['index + 1', verifyInclusion(i + 1, p.size, leaf, path, root)],
        ['index ^ 2', verifyInclusion(i ^ 2, p.size, leaf, path, root)],
        ['size * 2', verifyInclusion(i, p.size * 2, leaf, path, root)],
        ['size / 2', verifyInclusion(i, Math.floor(p.size / 2), leaf, path, root)],
        ['wrong leaf', verifyInclusion(i, p.size, leafHash('WrongLeaf'), path, root)],
        ['empty root', verifyInclusion(i, p.size, leaf, path, EMPTY_ROOT)],
        ['random root', verifyInclusion(i, p.size, leaf, path, some)],
        ['trailing garbage', verifyInclusion(i, p.size, leaf, [...path, Buffer.alloc(32)], root)],
        ['trailing root', verifyInclusion(i, p.size, leaf, [...path, root], root)],
        ['preceding root', verifyInclusion(i, p.size, leaf, [root, ...path], root)],
        ['removed element', verifyInclusion(i, p.size, leaf, path.slice(0, -1), root)],
      ];
      path.forEach((_, k) => {
        const flipped = path.map((b) => Buffer.from(b));
        flipped[k][0] ^= 8;
        probes.push([`flipped bit in element ${k}`, verifyInclusion(i, p.size, leaf, flipped, root)]);
      });
      for (const [what, ok] of probes) assert.equal(ok, false, `${p.leaf}/${p.size}: ${what} must not verify`);
    }
    assert.equal(rootFromInclusionProof(0, 0, leaves[0], []), null, 'no leaf in an empty tree');
    assert.equal(rootFromInclusionProof(3, 3, leaves[0], []), null, 'index past the end');
  });

  it('proves every leaf of every tree of 1 to 40 leaves, and no proof serves another leaf', () => {
    const many = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from([i, i * 7 & 255])));
    for (let size = 1; size <= many.length; size++) {
      const root = merkleRoot(many.slice(0, size));
      const cache = new Map<string, Buffer>();
      for (let i = 0; i < size; i++) {
        const path = inclusionPath(many, i, size, cache);
        assert.ok(verifyInclusion(i, size, many[i], path, root), `leaf ${i} of ${size}`);
        if (size > 1) assert.equal(verifyInclusion(i, size, many[(i + 1) % size], path, root), false);
      }
    }
  });

  it('CompactRange and GrowingTree give MTH at every size, and earlier roots when asked for in time', () => {
    const many = Array.from({ length: 70 }, (_, i) => leafHash(String(i)));
    const range = new CompactRange();
    assert.deepEqual(range.root(), EMPTY_ROOT);
    for (let i = 0; i < many.length; i++) {
      range.append(many[i]);
      assert.deepEqual(range.root(), merkleRoot(many.slice(0, i + 1)), `size ${i + 1}`);
    }
    const tree = new GrowingTree();
    tree.want(5);
    tree.want(33);
    for (const l of many) tree.append(l);
    assert.deepEqual(tree.rootAt(5), merkleRoot(many.slice(0, 5)));
    assert.deepEqual(tree.rootAt(33), merkleRoot(many.slice(0, 33)));
    assert.deepEqual(tree.rootAt(70), merkleRoot(many));
    assert.equal(tree.rootAt(6), undefined, 'a size nobody asked for is not kept');
    tree.want(2);
    assert.equal(tree.rootAt(2), undefined, 'too late to ask for a size already passed');
  });
});
