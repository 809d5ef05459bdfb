/** The add-in configuration webpack's DefinePlugin injects (config/<ADDIN_ENV>.json); unvalidated. */
declare const __ADDIN_CONFIG__: unknown;
