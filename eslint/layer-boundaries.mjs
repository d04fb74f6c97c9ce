// @ts-check
/**
 * The layer rules of the monorepo (docs in README "Project layout"), checked on every import.
 *
 * Each Nx project (apps/*, libs/*, bench) carries one `layer:*` tag in its project.json; a file
 * may import its own project, and any project whose layer its own layer lists below. This is what
 * Nx's `@nx/enforce-module-boundaries` does with `depConstraints`, without its two costs here:
 * the rule reads Nx's cached project graph and skips itself (a warning, exit code 0) when a plain
 * `eslint .` runs before any `nx` command has written one, and its plugin (23.x at most) brings
 * a second copy of Nx beside ours (24.x).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKSPACE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Which layers each layer may import. The graph only points down: model imports nothing of ours. */
export const ALLOWED_LAYERS = {
  app: ['platform', 'infrastructure', 'model'],
  // The benches drive whole apps, through each app's public entry (apps/<app>/src/index.ts).
  bench: ['app', 'testing', 'platform', 'infrastructure', 'model'],
  testing: ['testing', 'platform', 'infrastructure', 'model'],
  platform: ['platform', 'infrastructure', 'model'],
  infrastructure: ['infrastructure', 'model'],
  model: ['model'],
};

/** Tests of any project may also use the test kit; production code never ships it. */
const TEST_FILE = /(\.spec\.ts|\.int-spec\.ts)$|\/test\//;

/**
 * @typedef {{ name: string, root: string, layer: string }} Project
 * @returns {Project[]}
 */
function readProjects() {
  const roots = [
    ...['apps', 'libs'].flatMap((dir) =>
      readdirSync(path.join(WORKSPACE, dir)).map((name) => path.join(WORKSPACE, dir, name)),
    ),
    path.join(WORKSPACE, 'bench'),
  ].filter((root) => existsSync(path.join(root, 'project.json')));
  return roots.map((root) => {
    const { name, tags = [] } = JSON.parse(readFileSync(path.join(root, 'project.json'), 'utf8'));
    const layers = tags.filter((/** @type {string} */ tag) => tag.startsWith('layer:'));
    if (layers.length !== 1 || !(layers[0].slice('layer:'.length) in ALLOWED_LAYERS)) {
      throw new Error(
        `${path.relative(WORKSPACE, root)}/project.json needs one tag of ${Object.keys(ALLOWED_LAYERS)
          .map((l) => `layer:${l}`)
          .join(', ')}`,
      );
    }
    return { name, root, layer: layers[0].slice('layer:'.length) };
  });
}

/** @type {import('eslint').Rule.RuleModule} */
export const layerBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer rules between apps, libs and the bench' },
    schema: [],
  },
  create(context) {
    const projects = readProjects();
    /** @param {string} file */
    const projectOf = (file) => projects.find((project) => file.startsWith(project.root + path.sep));
    const source = projectOf(context.filename);
    if (!source) return {};
    const allowed = [...ALLOWED_LAYERS[/** @type {keyof ALLOWED_LAYERS} */ (source.layer)]];
    if (TEST_FILE.test(context.filename.slice(source.root.length)) && !allowed.includes('testing')) {
      allowed.push('testing');
    }

    /** @param {import('estree').Node} node @param {unknown} specifier */
    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      const problem = problemWith(specifier);
      if (problem) context.report({ node, message: problem });
    }

    /** @param {string} specifier @returns {string | undefined} */
    function problemWith(specifier) {
      let target;
      if (specifier.startsWith('@app/')) {
        target = projectOf(path.join(WORKSPACE, 'libs', specifier.split('/')[1], 'src', 'x'));
        if (!target) return `${specifier} is no lib of this workspace`;
      } else if (specifier.startsWith('.')) {
        const resolved = path.resolve(path.dirname(context.filename), specifier);
        target = projectOf(resolved);
        if (!target || target === source) return undefined;
        if (target.layer !== 'app')
          return `import ${target.name} through @app/${path.basename(target.root)}, not a relative path`;
        if (!isPublicEntry(target, resolved)) {
          return `${target.name} is used from outside only through its public entry apps/${path.basename(target.root)}/src (index.ts)`;
        }
      } else {
        return undefined;
      }
      if (target === source || allowed.includes(target.layer)) return undefined;
      return `${source.name} (layer:${source.layer}) may not import ${target.name} (layer:${target.layer}); layer:${source.layer} imports ${allowed.map((layer) => `layer:${layer}`).join(', ')}`;
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

/** @param {Project} app @param {string} resolved */
function isPublicEntry(app, resolved) {
  const entry = path.join(app.root, 'src');
  return resolved === entry || resolved === path.join(entry, 'index');
}
