/**
 * The face model we ship: BlazeFace (short range) from `@mediapipe/face_detection`, with the TFLite
 * model metadata that MediaPipe Tasks' FaceDetector insists on. The package's model has none, and
 * for a float32 input the detector refuses to guess the normalisation ("it requires specifying
 * NormalizationOptions metadata"), so we add it at build time rather than ship a changed binary.
 *
 * How, without flatc or generated schema code: flatbuffer offsets only point forward, so a new root
 * `Model` table written *before* the untouched original bytes can reuse the original's operator
 * codes, subgraphs and buffers, and add one buffer (the metadata, appended after them) and one
 * `metadata` entry naming it. Field slots follow tensorflow/lite/schema/schema.fbs and
 * tensorflow_lite_support/metadata/metadata_schema.fbs (declaration order; a union takes two).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Builder, ByteBuffer } from 'flatbuffers';

export const FACE_MODEL_SOURCE = createRequire(import.meta.url).resolve(
  '@mediapipe/face_detection/face_detection_short_range.tflite',
);

/** The name MediaPipe (and every TFLite metadata reader) looks for in `Model.metadata`. */
export const METADATA_NAME = 'TFLITE_METADATA';

/** The input is not a TFLite model, or not one we can add metadata to without losing something. */
export class TfliteModelError extends Error {
  override name = 'TfliteModelError';
}

/** The shipped model's bytes: the package's model with our metadata. */
export async function readFaceModel(): Promise<Uint8Array> {
  return addFaceModelMetadata(await readFile(FACE_MODEL_SOURCE));
}

/**
 * Returns a new model file holding `tflite` unchanged (at a 16-byte aligned offset) plus BlazeFace's
 * input description: an RGB image of 128×128, normalised with mean 127.5 and std 127.5 to [-1, 1].
 *
 * @example
 * writeFileSync('face.tflite', addFaceModelMetadata(readFileSync(FACE_MODEL_SOURCE)));
 */
export function addFaceModelMetadata(tflite: Uint8Array): Uint8Array {
  const model = readModel(tflite);
  const builder = new Builder(tflite.length + 2048);

  // Written back to front: the metadata's bytes end the file (TFLite buffers are 16-byte aligned)…
  const metadataBytes = faceModelMetadata();
  builder.startVector(1, metadataBytes.length, 16);
  prependBytes(builder, metadataBytes);
  const metadataData = builder.endVector();

  // …the original model comes before them, aligned so its own buffers keep their alignment…
  builder.prep(16, tflite.length);
  prependBytes(builder, tflite);
  const originalStart = builder.offset();
  // Builder offsets count back from the end of the file; `position` counts from the original's start.
  const at = (position: number) => originalStart - position;

  // …and the new root table, pointing forward into both, comes first.
  const name = builder.createString(METADATA_NAME);
  builder.startObject(1);
  builder.addFieldOffset(BufferField.data, metadataData, 0);
  const metadataBuffer = builder.endObject();
  builder.startObject(2);
  builder.addFieldOffset(MetadataField.name, name, 0);
  builder.addFieldInt32(MetadataField.buffer, model.buffers.length, 0);
  const metadataEntry = builder.endObject();

  const buffers = offsetVector(builder, [...model.buffers.map(at), metadataBuffer]);
  const metadata = offsetVector(builder, [...model.metadata.map(at), metadataEntry]);
  builder.startObject(8);
  builder.addFieldInt32(ModelField.version, model.version, 0);
  for (const [slot, position] of model.keptFields) builder.addFieldOffset(slot, at(position), 0);
  builder.addFieldOffset(ModelField.buffers, buffers, 0);
  builder.addFieldOffset(ModelField.metadata, metadata, 0);
  builder.finish(builder.endObject(), 'TFL3');
  return builder.asUint8Array();
}

const ModelField = {
  version: 0,
  operatorCodes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadataBuffer: 5,
  metadata: 6,
  signatureDefs: 7,
} as const;
const KEPT_MODEL_FIELDS = [
  ModelField.operatorCodes,
  ModelField.subgraphs,
  ModelField.description,
  ModelField.metadataBuffer,
  ModelField.signatureDefs,
];
const BufferField = { data: 0, offset: 1 } as const;
const MetadataField = { name: 0, buffer: 1 } as const;

interface ModelTables {
  version: number;
  /** Absolute positions of the original's Buffer and Metadata tables. */
  buffers: number[];
  metadata: number[];
  /** Slot → absolute position of what the original root points at, for the fields we copy. */
  keptFields: [number, number][];
}

function readModel(tflite: Uint8Array): ModelTables {
  const bb = new ByteBuffer(tflite);
  if (tflite.length < 8 || !bb.__has_identifier('TFL3')) {
    throw new TfliteModelError('not a TFLite model: the file identifier "TFL3" is missing at bytes 4..8');
  }
  const root = bb.readUint32(0);
  const fieldCount = (bb.readUint16(root - bb.readInt32(root)) - 4) / 2;
  if (fieldCount > 8) {
    throw new TfliteModelError(`the model's root table has ${fieldCount} fields, a newer schema than this tool copies`);
  }
  const buffers = tables(bb, root, ModelField.buffers);
  // Buffers stored outside the flatbuffer (models over 2 GB) are addressed from the file's start,
  // which the new root in front would shift.
  if (buffers.some((buffer) => field(bb, buffer, BufferField.offset) !== undefined)) {
    throw new TfliteModelError('the model keeps buffers outside the flatbuffer, which this tool cannot move');
  }
  const metadata = tables(bb, root, ModelField.metadata);
  if (metadata.some((entry) => bb.__string(field(bb, entry, MetadataField.name)!) === METADATA_NAME)) {
    throw new TfliteModelError(`the model already has ${METADATA_NAME} metadata`);
  }
  const version = field(bb, root, ModelField.version);
  const keptFields = KEPT_MODEL_FIELDS.flatMap((slot): [number, number][] => {
    const position = field(bb, root, slot);
    return position === undefined ? [] : [[slot, bb.__indirect(position)]];
  });
  return { version: version === undefined ? 0 : bb.readUint32(version), buffers, metadata, keptFields };
}

/** Where a table's field is stored, or undefined when it is absent (left at its default). */
function field(bb: ByteBuffer, table: number, slot: number): number | undefined {
  const offset = bb.__offset(table, 4 + 2 * slot);
  return offset === 0 ? undefined : table + offset;
}

/** Absolute positions of the tables in a table's vector-of-tables field (none when absent). */
function tables(bb: ByteBuffer, table: number, slot: number): number[] {
  const position = field(bb, table, slot);
  if (position === undefined) return [];
  const start = bb.__vector(position);
  return Array.from({ length: bb.__vector_len(position) }, (_, i) => bb.__indirect(start + 4 * i));
}

function prependBytes(builder: Builder, bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i--) builder.addInt8(bytes[i]!);
}

function offsetVector(builder: Builder, offsets: number[]): number {
  builder.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) builder.addOffset(offsets[i]!);
  return builder.endVector();
}

function floatVector(builder: Builder, values: number[]): number {
  builder.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) builder.addFloat32(values[i]!);
  return builder.endVector();
}

const ColorSpace = { rgb: 1 } as const;
const ContentProperties = { imageProperties: 2 } as const;
const ProcessUnitOptions = { normalizationOptions: 1 } as const;

/** A `ModelMetadata` flatbuffer (identifier M001) describing BlazeFace's one input and two outputs. */
function faceModelMetadata(): Uint8Array {
  const b = new Builder(1024);

  const mean = floatVector(b, [127.5]);
  const std = floatVector(b, [127.5]);
  b.startObject(2); // NormalizationOptions
  b.addFieldOffset(0, mean, 0);
  b.addFieldOffset(1, std, 0);
  const normalization = b.endObject();
  b.startObject(2); // ProcessUnit
  b.addFieldInt8(0, ProcessUnitOptions.normalizationOptions, 0);
  b.addFieldOffset(1, normalization, 0);
  const processUnits = offsetVector(b, [b.endObject()]);

  b.startObject(2); // ImageSize
  b.addFieldInt32(0, 128, 0);
  b.addFieldInt32(1, 128, 0);
  const size = b.endObject();
  b.startObject(2); // ImageProperties
  b.addFieldInt8(0, ColorSpace.rgb, 0);
  b.addFieldOffset(1, size, 0);
  const imageProperties = b.endObject();
  b.startObject(3); // Content
  b.addFieldInt8(0, ContentProperties.imageProperties, 0);
  b.addFieldOffset(1, imageProperties, 0);
  const content = b.endObject();

  const tensor = (name: string, description: string, extra?: { content: number; processUnits: number }) => {
    const nameOffset = b.createString(name);
    const descriptionOffset = b.createString(description);
    b.startObject(5); // TensorMetadata
    b.addFieldOffset(0, nameOffset, 0);
    b.addFieldOffset(1, descriptionOffset, 0);
    if (extra) {
      b.addFieldOffset(3, extra.content, 0);
      b.addFieldOffset(4, extra.processUnits, 0);
    }
    return b.endObject();
  };
  const inputs = offsetVector(b, [tensor('image', 'RGB image, 128×128, values scaled to [-1, 1].', { content, processUnits })]);
  const outputs = offsetVector(b, [
    tensor('regressors', 'Box and keypoint offsets for each of the 896 anchors.'),
    tensor('classificators', 'Face score logit for each of the 896 anchors.'),
  ]);
  b.startObject(4); // SubGraphMetadata
  b.addFieldOffset(2, inputs, 0);
  b.addFieldOffset(3, outputs, 0);
  const subgraphs = offsetVector(b, [b.endObject()]);

  const name = b.createString('BlazeFace short range');
  const description = b.createString('Face detection for selfies and close faces (MediaPipe).');
  const license = b.createString('Apache-2.0');
  const minParserVersion = b.createString('1.0.0');
  b.startObject(8); // ModelMetadata
  b.addFieldOffset(0, name, 0);
  b.addFieldOffset(1, description, 0);
  b.addFieldOffset(3, subgraphs, 0);
  b.addFieldOffset(5, license, 0);
  b.addFieldOffset(7, minParserVersion, 0);
  b.finish(b.endObject(), 'M001');
  return b.asUint8Array();
}
