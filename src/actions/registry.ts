// The registry of action types: the built-in ones (the top-level actions/ folder) and the
// external plugins (config actions.externalDirs, Taskr's external_actions). A broken built-in
// stops start-up; a broken plugin is reported and skipped so the others still load.
import { fileURLToPath } from 'node:url';
import { configSchema, type Config } from '../config/config.js';
import { TaskrError, type FieldError } from '../errors.js';
import type { ActionType, ParamSpec } from './contract.js';
import { actionFiles, importCandidates } from './moduleLoader.js';
import { normaliseRaw } from './normaliseRaw.js';
import { actionTypeProblem, completeType } from './typeShape.js';

export const BUILTIN_ACTIONS_DIR = fileURLToPath(new URL('../../actions/', import.meta.url));

/** What the API and the dashboard show instead of a secret parameter's value. */
export const SECRET_MASK = '********';

export type AnyActionType = ActionType<unknown>;

export interface ActionRegistryLoadOptions {
  externalDirs?: string[];
  /** When set, only these types (names or aliases, any case) may be used. */
  allow?: string[] | null;
  onProblem?: (file: string, message: string) => void;
  /** Passed to each type's validate; defaults to the default config. */
  config?: Readonly<Config>;
  /** For tests: another folder of built-ins. */
  builtinDir?: string;
}

export type ValidateActionResult =
  | { ok: true; actionClassName: string; parameters: Record<string, unknown> }
  | { ok: false; errors: FieldError[] };

export interface ActionTypeDescription {
  name: string;
  aliases: string[];
  description: string;
  params: ParamSpec[];
}

/** `Taskr::Actions::Shell` (Taskr's class names, as old clients send them) means `Shell`. */
function bareName(name: string): string {
  return name.trim().replace(/^(?:::)?Taskr::Actions::/i, '');
}

function reportToStderr(file: string, message: string): void {
  process.emitWarning(`action plugin ${file}: ${message}`);
}

export class ActionRegistry {
  private readonly byKey = new Map<string, AnyActionType>();
  private readonly types: AnyActionType[] = [];
  private readonly allowed: Set<string> | null = null;

  private constructor(
    private readonly config: Readonly<Config>,
    allow: string[] | null | undefined,
  ) {
    if (allow) this.allowed = new Set(allow.map((a) => bareName(a).toLowerCase()));
  }

  static async load(opts: ActionRegistryLoadOptions = {}): Promise<ActionRegistry> {
    const registry = new ActionRegistry(opts.config ?? configSchema.parse({}), opts.allow);
    const builtinDir = opts.builtinDir ?? BUILTIN_ACTIONS_DIR;
    for (const file of await actionFiles(builtinDir)) {
      await registry.addFile(file, (detail) => {
        throw new TaskrError('action.type_broken', { file, detail });
      });
    }
    const onProblem = opts.onProblem ?? reportToStderr;
    for (const dir of opts.externalDirs ?? []) {
      let files: string[];
      try {
        files = await actionFiles(dir);
      } catch (err) {
        onProblem(dir, `cannot read the folder: ${(err as Error).message}`);
        continue;
      }
      for (const file of files) await registry.addFile(file, (detail) => onProblem(file, detail));
    }
    return registry;
  }

  /** Imports one file and registers its types; any problem goes to `fail` (file not half-added). */
  private async addFile(file: string, fail: (detail: string) => void): Promise<void> {
    let candidates: unknown[];
    try {
      candidates = await importCandidates(file);
    } catch (err) {
      return fail(`cannot be loaded: ${(err as Error).message}`);
    }
    if (candidates.length === 0) {
      return fail('exports no action type (use export default defineActionType({...}))');
    }
    const problem = candidates.map(actionTypeProblem).find((p) => p !== null);
    if (problem) return fail(problem);
    const types = candidates as AnyActionType[];
    const clash = this.clashes(types);
    if (clash) return fail(clash);
    for (const t of types) this.add(completeType(t));
  }

  private keysOf(t: AnyActionType): string[] {
    return [t.name, ...(t.aliases ?? [])].map((k) => k.toLowerCase());
  }

  private clashes(types: AnyActionType[]): string | null {
    const seen = new Set<string>();
    for (const t of types) {
      for (const key of this.keysOf(t)) {
        const owner = this.byKey.get(key);
        if (owner) return `name or alias '${key}' of ${t.name} is already used by ${owner.name}`;
        if (seen.has(key)) return `name or alias '${key}' is used twice`;
        seen.add(key);
      }
    }
    return null;
  }

  private add(t: AnyActionType): void {
    this.types.push(t);
    for (const key of this.keysOf(t)) this.byKey.set(key, t);
  }

  /** The type for a name or alias, any case, also as `Taskr::Actions::Name`. */
  resolve(name: string): AnyActionType | undefined {
    if (typeof name !== 'string') return undefined;
    return this.byKey.get(bareName(name).toLowerCase());
  }

  /** Every loaded type, allowed or not, in load order. */
  list(): AnyActionType[] {
    return this.types.slice();
  }

  isAllowed(type: AnyActionType): boolean {
    return this.allowed === null || this.keysOf(type).some((k) => this.allowed!.has(k));
  }

  private allowedNames(): string {
    return (
      this.types
        .filter((t) => this.isAllowed(t))
        .map((t) => t.name)
        .join(', ') || '(none)'
    );
  }

  /**
   * Validates one action of a task. Field names are `actions[i].<param>` and
   * `actions[i].action_class_name`; on success the name is canonical and the params typed.
   */
  validateAction(
    index: number,
    input: { actionClassName: string; parameters: Record<string, unknown> },
    config: Readonly<Config> = this.config,
  ): ValidateActionResult {
    const prefix = `actions[${index}]`;
    const fail = (field: string, message: string): ValidateActionResult => ({
      ok: false,
      errors: [{ field: `${prefix}.${field}`, message }],
    });
    const name = typeof input.actionClassName === 'string' ? input.actionClassName.trim() : '';
    if (name === '')
      return fail('action_class_name', `can't be blank; known: ${this.allowedNames()}`);
    const type = this.resolve(name);
    if (!type) {
      return fail(
        'action_class_name',
        `'${name}' is not a known action type; known: ${this.allowedNames()}`,
      );
    }
    if (!this.isAllowed(type)) {
      return fail(
        'action_class_name',
        `'${name}' is not allowed by this daemon's config (actions.allow: ${this.allowedNames()})`,
      );
    }
    let result;
    try {
      result = type.validate(normaliseRaw(type, input.parameters), config);
    } catch (err) {
      return fail(
        'action_class_name',
        `${type.name} could not check its parameters: ${(err as Error).message}`,
      );
    }
    if (!result.ok) {
      return {
        ok: false,
        errors: result.errors.map((e) => ({ field: `${prefix}.${e.param}`, message: e.message })),
      };
    }
    return {
      ok: true,
      actionClassName: type.name,
      parameters: result.params as Record<string, unknown>,
    };
  }

  /** A copy for the API and dashboard: every secret parameter's value replaced by SECRET_MASK. */
  publicParameters(
    type: string | AnyActionType,
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    const t = typeof type === 'string' ? this.resolve(type) : type;
    const out = { ...params };
    for (const spec of t?.params ?? []) {
      if (spec.secret && out[spec.name] !== undefined && out[spec.name] !== null) {
        out[spec.name] = SECRET_MASK;
      }
    }
    return out;
  }

  /**
   * Clients re-send what they were shown (ActiveResource re-sends everything): a secret that
   * comes back as SECRET_MASK keeps its stored value instead of becoming the mask.
   */
  restoreSecrets(
    type: string | AnyActionType,
    incoming: Record<string, unknown>,
    stored: Record<string, unknown>,
  ): Record<string, unknown> {
    const t = typeof type === 'string' ? this.resolve(type) : type;
    const out = { ...incoming };
    for (const spec of t?.params ?? []) {
      if (spec.secret && out[spec.name] === SECRET_MASK) out[spec.name] = stored[spec.name];
    }
    return out;
  }

  /** Data for GET /action_types: the allowed types, their aliases and parameters. */
  describe(): ActionTypeDescription[] {
    return this.types
      .filter((t) => this.isAllowed(t))
      .map((t) => ({
        name: t.name,
        aliases: [...(t.aliases ?? [])],
        description: t.description,
        params: t.params.map((p) => ({ ...p, ...(p.enum ? { enum: [...p.enum] } : {}) })),
      }));
  }
}
