// wit-embed.mjs JCO_DIR CORE.wasm WIT_PATH WORLD OUT.wasm
//
// Embeds a WIT world into a core module as a component-type custom section,
// through the wasm-tools build that ships inside jco. (jco's own `embed`
// command cannot read WIT files: its WASI shim starts without filesystem
// preopens, so "/" is preopened here first.) Test-only: wcl has no WIT text
// parser yet.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const [jcoDir, core, witPath, world, out] = process.argv.slice(2);
const ba = jcoDir + '/node_modules/@bytecodealliance';
const fs = await import(ba + '/preview2-shim/dist/nodejs/filesystem.js');
fs._setPreopens({ '/': '/' });
const wt = await import(ba + '/jco-transpile/dist/wasm-tools.js');
writeFileSync(out, await wt.componentEmbed({
  binary: readFileSync(core),
  witPath: resolve(witPath),
  world,
  stringEncoding: 'utf8',
}));
