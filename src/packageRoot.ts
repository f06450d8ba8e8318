import * as path from 'path';

/**
 * The package's root folder (package.json, models/). This file sits one level under it both as
 * src/packageRoot.ts (run through tsx) and as dist/packageRoot.js (the built package).
 */
export const PACKAGE_ROOT = path.resolve(__dirname, '..');
