// Stands in for the `electron` module when main-process code runs under plain Node (the web
// preview). electron-store imports electron at load time; with an absolute `cwd` it needs nothing
// from it. Anything else that reaches for Electron here is a bug, so it gets nothing.
export default {};
