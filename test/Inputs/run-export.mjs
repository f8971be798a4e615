// run-export.mjs DIR NAME ARGS... : imports the transpiled component in DIR
// (jco transpile --name out) and prints NAME(ARGS...) as `NAME(...) = v`,
// or the trap message.
import { pathToFileURL } from 'node:url';

const [dir, name, ...args] = process.argv.slice(2);
try {
  const m = await import(pathToFileURL(dir + '/out.js').href);
  const v = m[name](...args.map(Number));
  console.log(`${name}(${args.join(', ')}) = ${v}`);
} catch (e) {
  console.log('failed: ' + e.message);
}
