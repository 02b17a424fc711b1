/** Loading a generated project (shared by dev, replay and doctor). */
export { resolveProjectRoot, findProjectRoot, locateProjectRoot, ProjectError, APP_ENTRY } from './root.js';
export { loadProjectEnv, parseDotenv, describeSource, describeVariable, type ProjectEnv, type EnvSource } from './env.js';
export { importBuildApp, describeLoadError, type BuildApp, type BuildAppOptions, type ImportOptions } from './load-app.js';
export { buildProjectApp, startProject, listenProject, type BuiltProject, type StartedProject, type ChatKitDecoration } from './start.js';
