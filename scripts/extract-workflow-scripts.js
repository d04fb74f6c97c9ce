#!/usr/bin/env node
// Writes the `run:` script of every step of every GitHub workflow to <out-dir>/<workflow>.<job>.<n>.sh,
// so that shellcheck can check them as actionlint does where it finds shellcheck: `${{ ... }}`
// expressions become a plain variable (GitHub substitutes them before the shell runs), and the
// header says which shell GitHub runs them with (bash -e on ubuntu runners).
//
//   node scripts/extract-workflow-scripts.js <out-dir>
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('yaml');

const root = path.resolve(__dirname, '..');
const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: extract-workflow-scripts.js <out-dir>');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const workflowsDir = path.join(root, '.github', 'workflows');
let written = 0;
for (const file of fs.readdirSync(workflowsDir).filter((name) => /\.ya?ml$/.test(name))) {
  const workflow = parse(fs.readFileSync(path.join(workflowsDir, file), 'utf8'));
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    (job.steps ?? []).forEach((step, index) => {
      if (typeof step.run !== 'string') return;
      const script = step.run.replace(/\$\{\{[^}]*\}\}/g, '$GITHUB_EXPRESSION');
      const name = `${file.replace(/\.ya?ml$/, '')}.${jobId}.${index + 1}.sh`;
      // GITHUB_EXPRESSION stands for what GitHub writes in; declared so shellcheck does not call it unset.
      const header = `#!/usr/bin/env bash\n# ${file}, job ${jobId}, step ${index + 1}: ${step.name ?? ''}\nset -e\nexport GITHUB_EXPRESSION=x\n`;
      fs.writeFileSync(path.join(outDir, name), `${header}${script}\n`);
      written++;
    });
  }
}
console.log(`${written} run script(s) from ${path.relative(root, workflowsDir)} written to ${outDir}`);
