// @ts-check
/**
 * Builds the task pane (React), the function file of the ribbon commands (tiny, no React) and the
 * sign-in dialog as separate pages, each loading Office.js first, and writes manifest.xml for the
 * environment from manifest.template.xml. The add-in configuration is read from
 * config/<ADDIN_ENV>.json, `${NAME}` placeholders are filled from the environment, and the result
 * is written to addin-config.js, a small script the pane and the sign-in dialog load before their
 * bundle (it sets `__ADDIN_CONFIG__`, validated by the app): one build serves any set of endpoints
 * (the browser tests build once and serve their own addin-config.js), and a deployment can change
 * addin-config.js without rebuilding.
 */
const fs = require('node:fs');
const path = require('node:path');
const webpack = require('webpack');
const HtmlWebpackPlugin = require('html-webpack-plugin');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const MinimizerPlugin = require('minimizer-webpack-plugin');

const officeJsDist = path.join(__dirname, 'node_modules/@microsoft/office-js/dist');
/** Placeholders every environment may use, with their defaults (config/README.md). */
const defaults = { CRM_PORT: '3001', GRAPH_PORT: '3002', PANE_PORT: '3000' };
/** The locales whose office.js strings the sandbox serves: ours (SPEC L1), plus en-us as fallback. */
const officeLocales = ['en-us', 'fi-fi', 'sv-se', 'it-it', 'de-de'];

/**
 * Reads config/<name>.json and fills `${NAME}` placeholders; a missing variable becomes an empty
 * string, which the schema then rejects with a message naming the field (shown in the pane).
 * @param {string} name
 * @param {Record<string, string | undefined>} env
 * @returns {{ config: Record<string, unknown>, missing: string[] }}
 */
function loadAddinConfig(name, env) {
  const file = path.join(__dirname, 'config', `${name}.json`);
  const vars = { ...defaults, ...env };
  /** @type {string[]} */
  const missing = [];
  const text = fs.readFileSync(file, 'utf8').replace(/\$\{([A-Z0-9_]+)\}/g, (_match, key) => {
    const value = vars[key];
    if (value === undefined) missing.push(key);
    return JSON.stringify(value ?? '').slice(1, -1);
  });
  return { config: JSON.parse(text), missing };
}

/** The file the pages load before their bundle; its URL is fixed (publicPath + this name). */
const ADDIN_CONFIG_FILE = 'addin-config.js';

/**
 * The text of addin-config.js for a configuration object. JSON is a JavaScript expression; `<` is
 * escaped anyway so the text stays inert should anyone inline it into a page.
 * @param {unknown} config
 */
function addinConfigScript(config) {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `// The add-in configuration (config/README.md); validated by the app before use.\nself.__ADDIN_CONFIG__ = ${json};\n`;
}

/**
 * Emits addin-config.js, and build-stamp.json (what was built and when: the browser tests'
 * global setup builds only when a source file is newer). Written through the compiler's file
 * system, so the dev server keeps both in memory.
 */
class AddinConfigPlugin {
  /** @param {{ config: unknown, configName: string }} options */
  constructor(options) {
    this.options = options;
  }
  /** @param {import('webpack').Compiler} compiler */
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('AddinConfigPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'AddinConfigPlugin', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          compilation.emitAsset(
            ADDIN_CONFIG_FILE,
            new webpack.sources.RawSource(addinConfigScript(this.options.config)),
            // Left readable for whoever edits it at deployment: not minified.
            { minimized: true },
          );
          const stamp = { configName: this.options.configName, mode: compiler.options.mode };
          compilation.emitAsset(
            'build-stamp.json',
            new webpack.sources.RawSource(`${JSON.stringify({ ...stamp, builtAt: Date.now() })}\n`),
          );
        },
      );
    });
  }
}

/**
 * Office.js for every page: the build fails without it, because a page without Office.js never
 * associates its ribbon commands and the pane ends in "no host" (issue 11).
 * @param {string} configName
 * @param {Record<string, unknown>} config
 */
function officeJsUrlOf(configName, config) {
  const url = config.officeJsUrl;
  if (typeof url !== 'string' || url.trim() === '') {
    throw new Error(`config/${configName}.json: officeJsUrl is empty; every page needs Office.js`);
  }
  return url;
}

/**
 * manifest.xml for one environment, from the one source (manifest.template.xml): every
 * `${ADDIN_ORIGIN}` becomes the environment's https origin (its first AppDomain among them).
 * @param {string} configName
 * @param {Record<string, unknown>} config
 */
function renderManifest(configName, config) {
  const origin = typeof config.addinOrigin === 'string' ? config.addinOrigin : '';
  let parsed;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.protocol !== 'https:' || parsed.origin !== origin) {
    throw new Error(
      `config/${configName}.json: addinOrigin must be an https origin such as https://addin.example.com (got "${origin}")`,
    );
  }
  const template = fs.readFileSync(path.join(__dirname, 'manifest.template.xml'), 'utf8');
  return template.replaceAll('${ADDIN_ORIGIN}', origin);
}

/** webpack plugin: emits manifest.xml beside the pages. */
class ManifestPlugin {
  /** @param {string} xml */
  constructor(xml) {
    this.xml = xml;
  }

  /** @param {import('webpack').Compiler} compiler */
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('ManifestPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'ManifestPlugin', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => compilation.emitAsset('manifest.xml', new webpack.sources.RawSource(this.xml)),
      );
    });
  }
}

/** office.js and what it loads for Outlook, for a sandbox without internet. */
function officeJsPatterns() {
  const top = fs
    .readdirSync(officeJsDist)
    .filter(
      (f) => /^(office|o15apptofilemappingtable|outlook.*)\.js$/.test(f) && !f.includes('debug'),
    )
    .filter((f) => !f.includes('vsdoc'));
  return [
    ...top.map((f) => ({ from: path.join(officeJsDist, f), to: `office-js/${f}` })),
    ...officeLocales.map((l) => ({
      from: path.join(officeJsDist, l),
      to: `office-js/${l}`,
      globOptions: { ignore: ['**/*.debug.js'] },
    })),
  ];
}

/**
 * @param {{ mode: 'production' | 'development', env?: Record<string, string | undefined> }} options
 * @returns {import('webpack').Configuration}
 */
function createWebpackConfig({ mode, env = process.env }) {
  const configName = env.ADDIN_ENV || 'sandbox';
  const { config, missing } = loadAddinConfig(configName, env);
  if (missing.length > 0) {
    console.warn(
      `config/${configName}.json: no value for ${missing.join(', ')}; the pane will report it.`,
    );
  }
  const officeJsUrl = officeJsUrlOf(configName, config);
  const manifest = renderManifest(configName, config);
  const servesOfficeJs = officeJsUrl.startsWith('/office-js/');
  const production = mode === 'production';
  return {
    mode,
    context: __dirname,
    // Never an eval devtool: the function file must run where eval is not allowed, and no build
    // of it may contain eval (issue 11 item 4).
    devtool: production ? 'source-map' : 'cheap-module-source-map',
    entry: {
      taskpane: './src/taskpane/index.tsx',
      commands: './src/commands/commands.ts',
      // The Office dialog fallback of Graph sign-in (src/outlook/auth/msalTokenProvider.ts).
      'auth-dialog': './src/outlook/auth/dialog/authDialog.ts',
    },
    output: {
      path: path.join(__dirname, 'dist'),
      // Fixed names: taskpane.html, commands.html and auth-dialog.html load them by name.
      filename: '[name].js',
      // Code the pane loads on demand (import()): MSAL, the sync engine, the views not shown
      // first. Named by their webpackChunkName, hashed by content so a new build never meets a
      // cached old chunk; same origin and folder as taskpane.js, so AppDomains need nothing new.
      chunkFilename: '[name].[contenthash:8].js',
      publicPath: '/',
      clean: true,
    },
    resolve: { extensions: ['.tsx', '.ts', '.js', '.json'] },
    module: {
      rules: [
        {
          test: /\.[jt]sx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                parser: { syntax: 'typescript', tsx: true },
                transform: { react: { runtime: 'automatic', development: !production } },
                target: 'es2020',
              },
            },
          },
        },
      ],
    },
    plugins: [
      new AddinConfigPlugin({ config, configName }),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/taskpane/taskpane.html',
        chunks: ['taskpane'],
        templateParameters: { officeJsUrl, addinConfigUrl: `/${ADDIN_CONFIG_FILE}` },
      }),
      new HtmlWebpackPlugin({
        filename: 'commands.html',
        template: './src/commands/commands.html',
        chunks: ['commands'],
        templateParameters: { officeJsUrl },
      }),
      new HtmlWebpackPlugin({
        filename: 'auth-dialog.html',
        template: './src/outlook/auth/dialog/auth-dialog.html',
        chunks: ['auth-dialog'],
        templateParameters: { officeJsUrl, addinConfigUrl: `/${ADDIN_CONFIG_FILE}` },
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets', to: 'assets', globOptions: { ignore: ['**/README.md'] } },
          ...(servesOfficeJs ? officeJsPatterns() : []),
        ],
      }),
      new ManifestPlugin(manifest),
    ],
    // swc's minifier (the one swc-loader already compiles with) instead of webpack's default
    // terser: the same output size within a few per cent, in a third of the time — the build runs
    // on every `npm test` and `npm start`.
    optimization: {
      minimizer: [new MinimizerPlugin({ minify: MinimizerPlugin.swcMinify, minimizerOptions: {} })],
    },
    performance: { hints: false },
    stats: 'errors-warnings',
  };
}

/** webpack-cli entry: `webpack --mode production|development`. */
module.exports = (/** @type {unknown} */ _env, /** @type {{ mode?: string }} */ argv) =>
  createWebpackConfig({ mode: argv.mode === 'development' ? 'development' : 'production' });
module.exports.createWebpackConfig = createWebpackConfig;
module.exports.loadAddinConfig = loadAddinConfig;
module.exports.addinConfigScript = addinConfigScript;
module.exports.ADDIN_CONFIG_FILE = ADDIN_CONFIG_FILE;
module.exports.renderManifest = renderManifest;
module.exports.officeJsUrlOf = officeJsUrlOf;
