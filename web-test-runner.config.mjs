// Browser unit tests (the flow's detection pipeline, the <verify-now> element) on the system's Chromium, never a downloaded one.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { createRequire } from 'node:module';

/**
 * Serves the face model as the production build ships it (BlazeFace plus our TFLite metadata), made
 * by the compiled build step: `npm test` runs `tsc` first; alone, run `npm run build:node` once.
 */
function faceModelPlugin() {
  const path = '/__vision__/face-model.tflite';
  let model;
  return {
    name: 'face-model',
    async serve(context) {
      if (context.path !== path) return undefined;
      const { readFaceModel } = await import('./dist/build/face-model.js');
      model ??= Buffer.from(await readFaceModel());
      return { body: model, type: 'application/octet-stream' };
    },
  };
}

/**
 * Serves the scenes Chromium's fake camera plays in the end-to-end tests (test/support/fake-camera.ts,
 * compiled), as PNG: the detectors must pass on exactly what the camera tests show them.
 */
function cameraScenesPlugin() {
  const scenes = new Map();
  return {
    name: 'camera-scenes',
    async serve(context) {
      const match = /^\/__scenes__\/(document|selfie|no-document)\.(png|json)$/.exec(context.path);
      if (!match) return undefined;
      if (!scenes.has(match[1])) {
        const camera = await import('./dist/test/support/fake-camera.js');
        const { PNG } = (await import('pngjs')).default;
        const make = { document: camera.documentScene, selfie: camera.selfieScene, 'no-document': camera.noDocumentScene }[match[1]];
        const { image, ...truth } = make();
        const png = new PNG({ width: image.width, height: image.height });
        png.data = Buffer.from(image.data);
        scenes.set(match[1], { png: PNG.sync.write(png), truth: JSON.stringify(truth) });
      }
      const scene = scenes.get(match[1]);
      // The PNG, or what is really in it (the card's corners, the face's box) in pixels.
      return match[2] === 'png' ? { body: scene.png, type: 'image/png' } : { body: scene.truth, type: 'application/json' };
    },
  };
}

/**
 * A fake of the applicant's flow for the <verify-now> tests: `/v/SCENARIO` is a tiny page that
 * tells its parent what the real flow would (flow/embed.ts: `{source: 'verify-now', type, …}`,
 * to the parent's origin only), as each scenario scripts it.
 */
function fakeFlowPlugin() {
  const SCENARIOS = {
    // `ready`, then nothing: a flow waiting for its applicant.
    'ready-only': `post({ type: 'ready' }); post({ type: 'step', step: 'intro' });`,
    // Says `ready` only when the test asks it to (a message 'send-ready' from the parent).
    'ready-on-request': `addEventListener('message', (event) => { if (event.source === parent && event.data === 'send-ready') post({ type: 'ready' }); });`,
    complete: `post({ type: 'ready' }); post({ type: 'complete', sessionId: 'ses_fake', status: 'submitted' });`,
    cancel: `post({ type: 'ready' }); post({ type: 'cancel' });`,
    error: `post({ type: 'ready' }); post({ type: 'error', code: 'camera_failed', message: 'The camera could not start.' });`,
    'never-ready': '',
    // Loaded from localhost, it goes on to the same path on 127.0.0.1 (same port, another origin) and says `complete` from there.
    'other-origin': `if (location.hostname === 'localhost') {
        post({ type: 'ready' });
        location.replace(location.href.replace('//localhost:', '//127.0.0.1:'));
      } else {
        post({ type: 'complete', sessionId: 'ses_from_another_origin', status: 'submitted' });
      }`,
    // Messages that are not the flow's, then a step that says they were all sent.
    malformed: `post({ type: 'ready' });
      for (const data of ['complete', null, 42, [1, 2], { type: 'complete', sessionId: 'ses_no_source' }, { source: 'someone-else', type: 'complete', sessionId: 'ses_other_source' }]) {
        parent.postMessage(data, parentOrigin);
      }
      post({ type: 'complete' });
      post({ type: 'complete', sessionId: 42 });
      post({ type: 'step', step: 'malformed-sent' });`,
  };
  return {
    name: 'fake-flow',
    serve(context) {
      const match = /^\/v\/([a-z-]+)$/.exec(context.path);
      if (!match || !(match[1] in SCENARIOS)) return undefined;
      return {
        type: 'html',
        body: `<!doctype html><html lang="en"><title>Fake flow: ${match[1]}</title>
          <h1>Fake flow (${match[1]})</h1><button type="button">A button in the flow</button>
          <script>
            const parentOrigin = location.ancestorOrigins[0];
            const post = (message) => parent.postMessage({ source: 'verify-now', ...message }, parentOrigin);
            ${SCENARIOS[match[1]]}
          </script>`,
      };
    },
  };
}

/**
 * The widget as a verify-now server serves it, at its real paths (/widget/verify-now.js, the
 * ES module; /widget/verify-now.classic.js, the IIFE), bundled from source on request; and
 * `/__widget__/merchant.html?script=module|classic|both&link=…`, a merchant's page loading it
 * that records its console errors and warnings in `window.consoleMessages`.
 */
function widgetScriptsPlugin() {
  const bundles = new Map();
  return {
    name: 'widget-scripts',
    async serve(context) {
      const script = { '/widget/verify-now.js': 'esm', '/widget/verify-now.classic.js': 'iife' }[context.path];
      if (script) {
        if (!bundles.has(script)) {
          // The esbuild that @web/dev-server-esbuild runs on the tests themselves, not whichever is hoisted.
          const esbuild = createRequire(createRequire(import.meta.url).resolve('@web/dev-server-esbuild'))('esbuild');
          const result = await esbuild.build({
            entryPoints: ['widget/verify-now.ts'], bundle: true, format: script, target: 'es2022', tsconfig: 'tsconfig.json', write: false,
            // The IIFE reads document.currentScript; its import.meta is empty, as in the real build.
            logOverride: { 'empty-import-meta': 'silent' },
          });
          bundles.set(script, result.outputFiles[0].text);
        }
        return { body: bundles.get(script), type: 'js' };
      }
      if (context.path !== '/__widget__/merchant.html') return undefined;
      const query = new URL(context.url, 'http://x').searchParams;
      const link = (query.get('link') ?? '').replace(/[&"<]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;' })[c]);
      const which = query.get('script') ?? 'module';
      const scripts = [
        which !== 'classic' ? '<script type="module" src="/widget/verify-now.js"></script>' : '',
        which !== 'module' ? '<script src="/widget/verify-now.classic.js"></script>' : '',
      ].join('');
      return {
        type: 'html',
        body: `<!doctype html><html lang="en"><title>Shop</title><script>
            window.consoleMessages = [];
            for (const level of ['error', 'warn']) {
              const original = console[level];
              console[level] = (...args) => { window.consoleMessages.push(level + ': ' + args.join(' ')); original.apply(console, args); };
            }
          </script>${scripts}<verify-now link="${link}"></verify-now>`,
      };
    },
  };
}

export default {
  files: 'test/browser/**/*.test.ts',
  nodeResolve: true,
  rootDir: '.',
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), faceModelPlugin(), cameraScenesPlugin(), fakeFlowPlugin(), widgetScriptsPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
      },
    }),
  ],
  // One browser, tests in sequence: the machine has two cores and the worker tests load wasm.
  concurrency: 1,
  staticLogging: true,
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 240000,
};
