/** Provided by build/vision-assets-plugin.ts: URLs of our own copies of MediaPipe's wasm and the face model. */
declare module 'virtual:vision-assets' {
  export const visionAssets: import('./types.js').VisionAssets;
}
