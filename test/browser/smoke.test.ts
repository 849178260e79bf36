/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';

describe('browser test runner', () => {
  it('runs in Chromium with OffscreenCanvas', () => {
    const canvas = new OffscreenCanvas(4, 4);
    expect(canvas.getContext('2d')).to.not.equal(null);
  });
});
