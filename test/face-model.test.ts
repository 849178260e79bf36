import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ByteBuffer } from 'flatbuffers';
import { addFaceModelMetadata, FACE_MODEL_SOURCE, METADATA_NAME } from '../build/face-model.js';

// The generated model loading in MediaPipe is tested in the browser (test/browser/face.test.ts);
// here: that the file says what MediaPipe reads, walked with the field slots of the two schemas.
const original = new Uint8Array(await readFile(FACE_MODEL_SOURCE));
const withMetadata = addFaceModelMetadata(original);

test('the model with metadata holds the original model byte for byte, 16-byte aligned', () => {
  const at = Buffer.from(withMetadata).indexOf(Buffer.from(original));
  assert.ok(at > 0, 'the original bytes are not in the output');
  assert.equal(at % 16, 0);
  const model = new ByteBuffer(withMetadata);
  assert.ok(model.__has_identifier('TFL3'));
  // The new root reuses the original's subgraphs rather than a copy.
  const subgraphs = model.__indirect(field(model, root(model), 2));
  assert.ok(subgraphs > at && subgraphs < at + original.length);
});

test(`it has a ${METADATA_NAME} entry whose buffer is an M001 ModelMetadata: RGB 128×128, mean and std 127.5`, () => {
  const model = new ByteBuffer(withMetadata);
  const entries = tables(model, root(model), 6);
  const entry = entries.find((e) => model.__string(field(model, e, 0)) === METADATA_NAME);
  assert.ok(entry, `no ${METADATA_NAME} entry`);
  const bufferIndex = model.readUint32(field(model, entry, 1));
  const buffer = tables(model, root(model), 4)[bufferIndex]!;
  const data = model.__vector(field(model, buffer, 0));
  assert.equal(data % 16, 0, 'buffer data is 16-byte aligned');

  const metadata = new ByteBuffer(withMetadata.subarray(data, data + model.__vector_len(field(model, buffer, 0))));
  assert.ok(metadata.__has_identifier('M001'));
  const subgraph = tables(metadata, root(metadata), 3)[0]!;
  const [input] = tables(metadata, subgraph, 2);
  assert.ok(input !== undefined);
  const outputs = tables(metadata, subgraph, 3).map((t) => metadata.__string(field(metadata, t, 0)));
  assert.deepEqual(outputs, ['regressors', 'classificators']);

  const [unit] = tables(metadata, input, 4);
  assert.ok(unit !== undefined);
  assert.equal(metadata.readUint8(field(metadata, unit, 0)), 1, 'process unit is NormalizationOptions');
  const normalization = metadata.__indirect(field(metadata, unit, 1));
  assert.deepEqual(floats(metadata, normalization, 0), [127.5]);
  assert.deepEqual(floats(metadata, normalization, 1), [127.5]);

  const content = metadata.__indirect(field(metadata, input, 3));
  assert.equal(metadata.readUint8(field(metadata, content, 0)), 2, 'content is ImageProperties');
  const image = metadata.__indirect(field(metadata, content, 1));
  assert.equal(metadata.readUint8(field(metadata, image, 0)), 1, 'colour space is RGB');
  const size = metadata.__indirect(field(metadata, image, 1));
  assert.deepEqual([metadata.readUint32(field(metadata, size, 0)), metadata.readUint32(field(metadata, size, 1))], [128, 128]);
});

test('a file that is not a TFLite model is refused, saying so', () => {
  for (const notAModel of [new TextEncoder().encode('<!doctype html><title>404</title>'), new Uint8Array(0)]) {
    assert.throws(() => addFaceModelMetadata(notAModel), { name: 'TfliteModelError', message: /not a TFLite model/ });
  }
});

test('a model that already has metadata is refused rather than given a second entry', () => {
  assert.throws(() => addFaceModelMetadata(withMetadata), {
    name: 'TfliteModelError',
    message: /already has TFLITE_METADATA/,
  });
});

function root(bb: ByteBuffer): number {
  return bb.readUint32(0);
}

/** Where a table's field is stored; fails the test when it is absent. */
function field(bb: ByteBuffer, table: number, slot: number): number {
  const offset = bb.__offset(table, 4 + 2 * slot);
  assert.notEqual(offset, 0, `field ${slot} of the table at ${table} is missing`);
  return table + offset;
}

function tables(bb: ByteBuffer, table: number, slot: number): number[] {
  const position = field(bb, table, slot);
  const start = bb.__vector(position);
  return Array.from({ length: bb.__vector_len(position) }, (_, i) => bb.__indirect(start + 4 * i));
}

function floats(bb: ByteBuffer, table: number, slot: number): number[] {
  const position = field(bb, table, slot);
  const start = bb.__vector(position);
  return Array.from({ length: bb.__vector_len(position) }, (_, i) => bb.readFloat32(start + 4 * i));
}
