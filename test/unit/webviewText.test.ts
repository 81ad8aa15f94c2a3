import * as assert from 'node:assert/strict';
import { fmtUsd, makeVisible } from '../../webview/common/text';

describe('makeVisible', () => {
  it('shows bidi overrides, zero-width and control characters as markers', () => {
    assert.equal(makeVisible('a\u202Eb\u200Bc\u0007d'), 'a⟨U+202E⟩b⟨U+200B⟩c⟨U+0007⟩d');
  });
  it('leaves ordinary text, newlines, tabs and non-Latin scripts alone', () => {
    const text = 'Grüße\n\tこんにちは <script>';
    assert.equal(makeVisible(text), text);
  });
});

describe('fmtUsd', () => {
  it('never shows a cheap call as $0.00', () => {
    assert.equal(fmtUsd(0.0000315), '$0.0000315');
    assert.equal(fmtUsd(0.0567), '$0.0567');
    assert.equal(fmtUsd(12.5), '$12.50');
    assert.equal(fmtUsd(0), '$0.00');
    assert.equal(fmtUsd(null), '—');
  });
});
