/// <reference types="mocha" />
import { expect } from '@esm-bundle/chai';
import { ResumeStore } from '../../flow/resume-store.js';
import { stepsOf } from '../../flow/steps.js';

describe('resume store (IndexedDB)', () => {
  it('keeps the session and not-yet-uploaded photos across store instances, as a reload would', async () => {
    const key = `link-${Math.random().toString(36).slice(2)}`;
    const first = new ResumeStore(key);
    const photo = new Blob([new Uint8Array([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9])], { type: 'image/jpeg' });
    await first.saveSession({ sessionId: 'ses_1', sessionToken: 'vns_x', expiresAt: '2030-01-01T00:00:00.000Z', flow: 'document', language: 'lt', step: 'capture:document_back', documentType: 'id_card' });
    await first.saveCapture({ kind: 'document_front', takenAt: 1, image: photo, metrics: { source: 'camera', autoCaptured: true }, uploaded: false });

    const reloaded = new ResumeStore(key);
    const session = await reloaded.session();
    expect(session?.step).to.equal('capture:document_back');
    expect(session?.language).to.equal('lt');
    const capture = await reloaded.capture('document_front');
    expect(capture?.uploaded).to.equal(false);
    expect(capture?.metrics).to.deep.equal({ source: 'camera', autoCaptured: true });
    expect(new Uint8Array(await capture!.image.arrayBuffer())).to.deep.equal(new Uint8Array(await photo.arrayBuffer()));
    expect(capture!.image.type).to.equal('image/jpeg');
  });

  it('keeps each link apart, and forgets everything on clear', async () => {
    const keyA = `a-${Math.random()}`;
    const a = new ResumeStore(keyA);
    const b = new ResumeStore(`b-${Math.random()}`);
    await a.saveSession({ sessionId: 'ses_a', sessionToken: 't', expiresAt: '2030-01-01T00:00:00.000Z', flow: 'selfie', language: 'en', step: 'review' });
    await a.saveCapture({ kind: 'selfie', takenAt: 1, image: new Blob(['x']), metrics: {}, uploaded: true });
    expect(await b.session()).to.equal(undefined);
    await a.clear();
    const reloaded = new ResumeStore(keyA);
    expect(await reloaded.session()).to.equal(undefined);
    expect(await reloaded.capture('selfie')).to.equal(undefined);
  });
});

describe('steps of a flow', () => {
  it('asks for the back of every document but a passport, and a selfie only when the flow has one', () => {
    expect(stepsOf('document+selfie', 'id_card')).to.deep.equal(['intro', 'document_type', 'capture:document_front', 'capture:document_back', 'capture:selfie', 'review', 'upload', 'done']);
    expect(stepsOf('document+selfie', 'passport')).to.deep.equal(['intro', 'document_type', 'capture:document_front', 'capture:selfie', 'review', 'upload', 'done']);
    expect(stepsOf('document', 'driving_licence')).to.deep.equal(['intro', 'document_type', 'capture:document_front', 'capture:document_back', 'review', 'upload', 'done']);
    expect(stepsOf('selfie', undefined)).to.deep.equal(['intro', 'capture:selfie', 'review', 'upload', 'done']);
  });
});
