// Stands in for the `electron` module when main-process code runs under plain Node (the web
// preview, benchmarks). electron-store imports electron at load time; with an absolute `cwd` it
// needs nothing from it. Anything else that reaches for Electron here gets nothing.
module.exports = {};
