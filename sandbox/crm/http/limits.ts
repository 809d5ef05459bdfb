/** The request body limit of every operation (the contract's 256 KiB; 413 `body-too-large`). */
export const BODY_LIMIT_BYTES = 256 * 1024;
