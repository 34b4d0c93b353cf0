/**
 * The live-state worker's script (dist/bundle/liveWorker.js, a small ES module): it runs the
 * worker (liveWorker.ts), which the build bundles into dist/bundle/liveWorker.cjs and which is
 * loaded with V8's code cache (src/cli/loadBundle.ts).
 */
import { fileURLToPath } from 'node:url';
import { loadBundle } from '../cli/loadBundle.js';

loadBundle(fileURLToPath(new URL('./liveWorker.cjs', import.meta.url)));
