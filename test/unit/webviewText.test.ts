import * as assert from 'node:assert/strict';
import { makeVisible } from '../../webview/common/text';

describe('makeVisible', () => {
  it('shows bidi overrides, zero-width and control characters as markers', () => {
    assert.equal(makeVisible('a\u202Eb\u200Bc\u0007d'), 'a⟨U+202E⟩b⟨U+200B⟩c⟨U+0007⟩d');
  });
  it('leaves ordinary text, newlines, tabs and non-Latin scripts alone', () => {
    const text = 'Grüße\n\tこんにちは <script>';
    assert.equal(makeVisible(text), text);
  });
});
