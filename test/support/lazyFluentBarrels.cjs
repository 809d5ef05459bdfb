/**
 * A Jest transformer for two files only (jest.config.js): the CommonJS entry points of
 * @fluentui/react-components and @fluentui/react-icons, rewritten so that what they re-export is
 * required when first used instead of all at once (issue 13, test cost).
 *
 * Jest gives every test file its own module registry, so each suite that renders the pane loaded
 * both barrels in full — ~58 component packages and ~19,000 icons, ~2.4 s of a quiet core per
 * suite (measured: `require` of each in a Jest test) — though a suite uses a few dozen of them.
 * The rewrite keeps every export name, value and getter; only the moment of `require` changes:
 *   - react-components: `const _x = require("pkg");` becomes a proxy that requires "pkg" on first
 *     property access (the barrel's exports are already getters reading `_x.Name`);
 *   - react-icons: `__exportStar(require("./(sized)icons/chunk-N.cjs"), exports)` becomes one getter per
 *     icon name of that chunk (read from the chunk's `exports.A = exports.B = … = void 0;` lines),
 *     each requiring the chunk when read.
 * The browser tests and the build use the real files unchanged (webpack never sees this).
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');

const HELPERS = `
function __lazyModule(load) {
  let loaded;
  const target = () => (loaded ??= load());
  return new Proxy({}, {
    get: (_, key) => target()[key],
    has: (_, key) => key in target(),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
function __lazyNames(exports, load, names) {
  let loaded;
  for (const name of names) {
    if (Object.prototype.hasOwnProperty.call(exports, name)) continue;
    Object.defineProperty(exports, name, {
      enumerable: true,
      get: () => (loaded ??= load())[name],
    });
  }
}
`;

const COMPONENT_REQUIRE = /^const (_\w+) = require\(("[^"]+")\);$/gm;
const ICON_CHUNK =
  /^tslib_1\.__exportStar\(require\("(\.\/(?:sizedIcons|icons)\/chunk-\d+\.cjs)"\), exports\);$/gm;
const CHUNK_NAMES = /^exports\.\w+ = (?:exports\.\w+ = )*void 0;$/gm;

function iconChunkNames(barrelPath, chunk) {
  const source = readFileSync(path.join(path.dirname(barrelPath), chunk), 'utf8');
  const names = [...source.matchAll(CHUNK_NAMES)].flatMap((line) =>
    [...line[0].matchAll(/exports\.(\w+) =/g)].map((match) => match[1]),
  );
  if (names.length === 0) throw new Error(`lazyFluentBarrels: no export list in ${chunk}`);
  return names;
}

function rewrite(source, filename) {
  if (/react-components[\\/]lib-commonjs[\\/]index\.cjs$/.test(filename)) {
    const result = source.replace(COMPONENT_REQUIRE, 'const $1 = __lazyModule(() => require($2));');
    if (result === source) throw new Error('lazyFluentBarrels: react-components changed shape');
    return result + HELPERS;
  }
  if (/react-icons[\\/]lib-cjs[\\/]index\.cjs$/.test(filename)) {
    const result = source.replace(ICON_CHUNK, (_, chunk) => {
      const names = JSON.stringify(iconChunkNames(filename, chunk));
      return `__lazyNames(exports, () => require(${JSON.stringify(chunk)}), ${names});`;
    });
    if (result === source) throw new Error('lazyFluentBarrels: react-icons changed shape');
    return result + HELPERS;
  }
  return source;
}

const self = readFileSync(__filename);

module.exports = {
  process(source, filename) {
    return { code: rewrite(source, filename) };
  },
  getCacheKey(source, filename) {
    // The icon chunks are read too: the package's version stands for them.
    const pkg = path.join(path.dirname(filename), '..', 'package.json');
    return createHash('sha256')
      .update(self)
      .update(filename)
      .update(source)
      .update(readFileSync(pkg))
      .digest('hex');
  },
};
