import * as fs from 'node:fs';
import * as path from 'node:path';
import { CostInputError } from './errors';

/** The parts of a CloudFormation resource the pricers read. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly [key: string]: unknown;
}

/** A template read from disk, with the name it is reported under. */
export interface NamedTemplate {
  readonly name: string;
  readonly file: string;
  readonly template: CfnTemplate;
  /**
   * The region the stack deploys to, from the cloud assembly's manifest.json beside the template;
   * absent for an environment-agnostic stack or a template without a manifest.
   */
  readonly region?: string;
}

/** Reads one template file, refusing anything that is not a CloudFormation template. */
export function readTemplate(file: string): NamedTemplate {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CostInputError(`template ${file} could not be read as JSON (${(error as Error).message})`);
  }
  const resources = (json as { Resources?: unknown } | null)?.Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new CostInputError(`template ${file} has no Resources section; is it a CloudFormation template?`);
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (typeof (resource as { Type?: unknown })?.Type !== 'string') throw new CostInputError(`template ${file}: resource ${id} has no Type`);
  }
  return { name: path.basename(file).replace(/\.template\.json$/, ''), file, template: json as CfnTemplate };
}

/**
 * The templates at `location`: the file itself, or every `*.template.json` in the directory
 * (nested stacks included), sorted by name so output is stable.
 */
export function readTemplates(location: string, fix: string): NamedTemplate[] {
  if (!fs.existsSync(location)) throw new CostInputError(`template path ${location} does not exist; ${fix}`);
  if (fs.statSync(location).isFile()) return [withRegion(readTemplate(location), assemblyRegions(path.dirname(location)))];
  const files = templateFilesIn(location);
  if (files.length === 0) throw new CostInputError(`template path ${location} holds no *.template.json file; ${fix}`);
  const regions = assemblyRegions(location);
  return files.map((file) => withRegion(readTemplate(path.join(location, file)), regions));
}

function withRegion(template: NamedTemplate, regions: AssemblyRegions): NamedTemplate {
  const region = regions.byFile.get(path.basename(template.file)) ?? regions.only;
  return region === undefined ? template : { ...template, region };
}

interface AssemblyRegions {
  readonly byFile: ReadonlyMap<string, string>;
  /** The one region every stack of the assembly deploys to (nested stacks are not artifacts). */
  readonly only?: string;
}

/**
 * The region of each stack in the cloud assembly at `dir` (`cdk synth` writes manifest.json with an
 * `environment` of `aws://<account>/<region>` per stack; `unknown-region` when it is
 * environment-agnostic). No manifest, or one that cannot be read, says nothing.
 */
export function assemblyRegions(dir: string): AssemblyRegions {
  const byFile = new Map<string, string>();
  let manifest: { artifacts?: Record<string, { type?: string; environment?: string; properties?: { templateFile?: string } }> };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return { byFile };
  }
  for (const artifact of Object.values(manifest.artifacts ?? {})) {
    const region = /^aws:\/\/[^/]*\/(.+)$/.exec(artifact.environment ?? '')?.[1];
    const file = artifact.properties?.templateFile;
    if (artifact.type === 'aws:cloudformation:stack' && file && region && region !== 'unknown-region') byFile.set(file, region);
  }
  const distinct = [...new Set(byFile.values())];
  return { byFile, only: distinct.length === 1 ? distinct[0] : undefined };
}

export function templateFilesIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .sort();
}

// --- Reading CloudFormation values -------------------------------------------------------------

/** The logical ID a `Ref` or `Fn::GetAtt` points at, if the value is one. */
export function refTarget(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Whether `value`, anywhere inside it, refers to the resource `logicalId` (Ref, GetAtt, Sub). */
export function refersTo(value: unknown, logicalId: string): boolean {
  if (typeof value === 'string') return value.includes('${' + logicalId + '}') || value.includes('${' + logicalId + '.');
  if (typeof value !== 'object' || value === null) return false;
  if (refTarget(value) === logicalId) return true;
  return Object.values(value as Record<string, unknown>).some((child) => refersTo(child, logicalId));
}

/** A number, or a numeric string as CloudFormation often carries them; undefined for a token. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** true / "true" (any case) — CloudFormation accepts both. */
export function bool(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** A literal string, or undefined for a token. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The CDK construct path of a resource without the stack name and a trailing `/Resource`. */
export function constructPath(resource: CfnResource): string | undefined {
  const raw = resource.Metadata?.['aws:cdk:path'];
  if (typeof raw !== 'string') return undefined;
  return (
    raw
      .split('/')
      .slice(1)
      .join('/')
      .replace(/\/Resource$/, '') || undefined
  );
}
