// The citation-js modules `csl.ts` loads on first use, bundled apart as dist/citation-js.js (scripts/build.mjs):
// 1.6 MB with citeproc, which the server's start need not parse. Its plugins register themselves with the core.
require('@citation-js/plugin-bibtex');
require('@citation-js/plugin-csl');
module.exports = require('@citation-js/core');
