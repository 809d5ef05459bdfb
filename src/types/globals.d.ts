/**
 * The add-in configuration addin-config.js sets before the bundle runs (config/<ADDIN_ENV>.json,
 * written by the build; webpack.config.js); unvalidated.
 */
declare const __ADDIN_CONFIG__: unknown;
