// One Jest setup for every project: SWC transpiles (type checking is the build's and lint's job),
// and the @app/* aliases resolve to library sources exactly as tsconfig.json declares them.
const path = require('node:path');

const root = __dirname;

/** @param {string} projectDir absolute path of the app or lib */
function projectConfig(projectDir) {
  const name = path.relative(root, projectDir).replace(/\\/g, '/');
  return {
    displayName: name,
    // The repository's root, with the tests looked for in the project only: Jest's Istanbul
    // instrumentation leaves out every file outside rootDir, so an app's integration tests would
    // not count the libraries they run.
    rootDir: root,
    roots: [projectDir],
    testEnvironment: 'node',
    testMatch: ['**/*.spec.ts', '**/*.int-spec.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: {
      '^@app/([a-z-]+)(/.*)?$': `${root}/libs/$1/src$2`,
    },
    // Integration tests boot whole apps against PostgreSQL and RabbitMQ; a cold start can take seconds.
    testTimeout: 60_000,
  };
}

module.exports = { projectConfig };
