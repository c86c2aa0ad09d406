// The synthesized template the verifiers are driven by, and a resolver that turns its intrinsic
// functions into the values the deployed stack has (physical IDs, parameters, attributes).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string | string[];
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { readonly Value: unknown; readonly Description?: string }>;
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: unknown }>;
}

/** A resource of the template, by logical ID. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly deletionPolicy?: string;
}

/** Reads `<assembly>/<stack>.template.json` as `cdk deploy -o <assembly>` wrote it. */
export function loadTemplate(assemblyDir: string, stackName: string): CfnTemplate {
  const file = path.join(assemblyDir, `${stackName}.template.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CfnTemplate;
}

export function resourcesOfType(template: CfnTemplate, type: string): TemplateResource[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([logicalId, r]) => ({ logicalId, type: r.Type, properties: r.Properties ?? {}, deletionPolicy: r.DeletionPolicy }));
}

export function allResources(template: CfnTemplate): TemplateResource[] {
  return Object.entries(template.Resources).map(([logicalId, r]) => ({
    logicalId,
    type: r.Type,
    properties: r.Properties ?? {},
    deletionPolicy: r.DeletionPolicy,
  }));
}

/** The logical ID a `{ Ref }` or `{ Fn::GetAtt }` points at, or undefined for anything else. */
export function referencedId(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Every logical ID referenced anywhere inside `value`. */
export function referencedIds(value: unknown): string[] {
  const ids: string[] = [];
  const walk = (v: unknown): void => {
    const id = referencedId(v);
    if (id) ids.push(id);
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) Object.values(v).forEach(walk);
  };
  walk(value);
  return ids;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A template value that cannot be worked out without AWS (e.g. an attribute moto does not expose). */
export class Unresolvable extends Error {
  override readonly name = 'Unresolvable';
}

/** Reads one attribute (`Fn::GetAtt`) of a deployed resource. */
export type AttributeReader = (logicalId: string, type: string, physicalId: string, attribute: string) => Promise<string | undefined>;

export interface ResolverContext {
  readonly template: CfnTemplate;
  /** Logical ID -> physical ID, from ListStackResources. */
  readonly physicalIds: ReadonlyMap<string, string>;
  /** Stack parameters as CloudFormation resolved them (DescribeStacks). */
  readonly parameters: Readonly<Record<string, string>>;
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  /** The region's zones, in order, for `Fn::GetAZs`. */
  readonly zones: readonly string[];
  readonly attribute: AttributeReader;
}

/**
 * Resolves the intrinsic functions CDK emits (Ref, Fn::GetAtt, Fn::Join, Fn::Select, Fn::GetAZs,
 * Fn::Split, Fn::Sub, Fn::Base64) against the deployed stack. Throws Unresolvable where a value
 * cannot be known.
 */
export class Resolver {
  constructor(private readonly ctx: ResolverContext) {}

  async resolve(value: unknown): Promise<unknown> {
    if (Array.isArray(value)) return Promise.all(value.map((v) => this.resolve(v)));
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length !== 1) {
      const out: Record<string, unknown> = {};
      for (const key of keys) out[key] = await this.resolve(value[key]);
      return out;
    }
    const [fn] = keys;
    const arg = value[fn];
    switch (fn) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/s);
        return this.getAtt(id, attribute);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        const resolved = await this.resolve(parts);
        return (resolved as unknown[]).map(String).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const resolved = (await this.resolve(list)) as unknown[];
        const i = Number(await this.resolve(index));
        if (!Array.isArray(resolved) || resolved[i] === undefined) throw new Unresolvable(`Fn::Select ${i} of ${JSON.stringify(resolved)}`);
        return resolved[i];
      }
      case 'Fn::GetAZs':
        return [...this.ctx.zones];
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        return String(await this.resolve(source)).split(separator);
      }
      case 'Fn::Base64':
        return Buffer.from(String(await this.resolve(arg))).toString('base64');
      case 'Fn::Sub':
        return this.sub(arg);
      default:
        if (fn.startsWith('Fn::') || fn === 'Condition') throw new Unresolvable(`${fn} is not resolved offline`);
        return { [fn]: await this.resolve(arg) };
    }
  }

  /** Resolves `value` to a string, or undefined when it cannot be known. */
  async tryResolve(value: unknown): Promise<unknown> {
    try {
      return await this.resolve(value);
    } catch (error) {
      if (error instanceof Unresolvable) return undefined;
      throw error;
    }
  }

  private ref(name: string): string {
    const { ctx } = this;
    switch (name) {
      case 'AWS::Region':
        return ctx.region;
      case 'AWS::AccountId':
        return ctx.account;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return ctx.stackName;
      case 'AWS::NoValue':
        throw new Unresolvable('AWS::NoValue');
    }
    if (ctx.template.Parameters?.[name]) {
      const value = ctx.parameters[name];
      if (value === undefined) throw new Unresolvable(`parameter ${name} has no value`);
      return value;
    }
    const physical = ctx.physicalIds.get(name);
    if (physical === undefined || physical === '') throw new Unresolvable(`${name} has no physical ID`);
    return physical;
  }

  private async getAtt(id: string, attribute: string): Promise<string> {
    const resource = this.ctx.template.Resources[id];
    const physical = this.ctx.physicalIds.get(id);
    if (!resource || !physical) throw new Unresolvable(`${id}.${attribute}: ${id} was not deployed`);
    const value = await this.ctx.attribute(id, resource.Type, physical, attribute);
    if (value === undefined) throw new Unresolvable(`${id}.${attribute} (${resource.Type}) is not read by deploy-local`);
    return value;
  }

  private async sub(arg: unknown): Promise<string> {
    const [text, variables] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [String(arg), {}];
    let out = '';
    let rest = text;
    for (let match = /\$\{([^}!][^}]*)\}/.exec(rest); match; match = /\$\{([^}!][^}]*)\}/.exec(rest)) {
      out += rest.slice(0, match.index);
      const name = match[1];
      if (variables && name in variables) out += String(await this.resolve(variables[name]));
      else if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, attribute] = name.split(/\.(.*)/s);
        out += await this.getAtt(id, attribute);
      } else out += this.ref(name);
      rest = rest.slice(match.index + match[0].length);
    }
    return out + rest;
  }
}
