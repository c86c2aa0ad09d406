#!/usr/bin/env bash
# Installs the packed library into a fresh project, the way a user would (`npm install
# cdk-scaling-stack aws-cdk-lib constructs esbuild`), then type-checks and synthesizes a ScalingStack
# from it. Proves `files`, `main`, `types` and `exports` ship everything the constructs need,
# including the Lambda sources they bundle. Run `npm run build` first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$root/dist/lib/index.d.ts" ] || { echo "dist/ is missing: run npm run build first" >&2; exit 1; }
version() { node -p "require('$root/node_modules/$1/package.json').version"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
tarball="$(npm pack --silent --pack-destination "$work")"
echo "packed $tarball ($(du -k "$work/$tarball" | cut -f1) KB)"

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline --loglevel=error \
  "./$tarball" "aws-cdk-lib@$(version aws-cdk-lib)" "constructs@$(version constructs)" "esbuild@$(version esbuild)"

cat > app.ts <<'TS'
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ScalingStack, QueueWorker, type Profile } from 'cdk-scaling-stack';
import { normalizeTemplate } from 'cdk-scaling-stack/testing';

const app = new App({ outdir: 'out' });
const stack = new ScalingStack(app, 'ScalingStack-dev', { profile: 'dev' });
const profile: Profile = stack.profile;
const worker: QueueWorker = stack.worker;
const template = normalizeTemplate(Template.fromStack(stack).toJSON());
console.log(`${profile.name}: ${Object.keys(template.Resources).length} resources, worker ${worker.node.path}`);
TS
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true, "skipLibCheck": true, "types": [] }, "files": ["app.ts"] }
JSON
node "$root/node_modules/typescript/bin/tsc" -p . 
echo "type-checked against the installed package"
node app.js
bundle="$(ls out/asset.*/index.js 2>/dev/null | head -1)"
[ -n "$bundle" ] || { echo "no bundled Lambda code in out/: the worker's sources did not ship" >&2; exit 1; }
echo "synthesized from the installed package; jobs worker bundled ($(du -k "$bundle" | cut -f1) KB)"
