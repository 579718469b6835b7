import { DevlakeError } from '../core/errors';

/**
 * Answers come from flags first; a missing one is asked on a TTY, taken from
 * its default under `--yes`, and otherwise reported: with no TTY or with `CI`
 * set the command never prompts, it fails listing every missing flag at once.
 */

export interface AskOptions {
  /** `--yes`: take defaults instead of asking. */
  yes: boolean;
  /** Whether prompting is allowed (TTY, no `CI`). Default: detected. */
  interactive?: boolean;
}

/** A question, bound to the flag that answers it. */
export interface Question<T> {
  /** The flag, as shown in the missing-flags error: `--endpoint <url>`. */
  flag: string;
  message: string;
  kind: 'input' | 'confirm' | 'select';
  /** Taken under `--yes`; a question without one is missing under `--yes`. */
  default?: T;
  choices?: readonly string[];
  /** Checks an answer typed at the prompt; returns an error text or true. */
  validate?: (value: string) => string | true;
}

/** True when the command may prompt: stdin and stdout are terminals and `CI` is unset. */
export function canPrompt(env: NodeJS.ProcessEnv = process.env): boolean {
  return !!process.stdin.isTTY && !!process.stdout.isTTY && !env.CI;
}

/**
 * Collects answers for one command. Call `ask` for each question in order,
 * then `done()`, which throws DEVLAKE_E_MISSING_FLAGS naming every flag that
 * had no answer.
 */
export class Answers {
  readonly #missing: string[] = [];
  readonly #yes: boolean;
  readonly #interactive: boolean;

  constructor(options: AskOptions) {
    this.#yes = options.yes;
    this.#interactive = !options.yes && (options.interactive ?? canPrompt());
  }

  /** Whether questions are asked at a prompt (a TTY, no `CI`, no `--yes`). */
  get interactive(): boolean {
    return this.#interactive;
  }

  /** The flag's value when given; otherwise the default (`--yes`), a prompt (TTY) or a recorded miss. */
  async ask<T extends string | boolean>(question: Question<T>, given: T | undefined): Promise<T | undefined> {
    if (given !== undefined) return given;
    if (this.#yes && question.default !== undefined) return question.default;
    if (!this.#interactive) {
      this.#missing.push(question.flag);
      return undefined;
    }
    // Lazy: inquirer is only loaded when a question is actually asked.
    const prompts = require('@inquirer/prompts') as typeof import('@inquirer/prompts');
    if (question.kind === 'confirm') {
      return (await prompts.confirm({ message: question.message, default: question.default as boolean | undefined })) as T;
    }
    if (question.kind === 'select') {
      return (await prompts.select({
        message: question.message,
        choices: (question.choices ?? []).map((value) => ({ value, name: value })),
        default: question.default as string | undefined,
      })) as T;
    }
    return (await prompts.input({
      message: question.message,
      default: question.default as string | undefined,
      validate: question.validate,
    })) as T;
  }

  /** Throws when any answer was missing. */
  done(command: string): void {
    if (this.#missing.length === 0) return;
    // Under --yes a miss is a question without a default: say so, since --yes "takes the defaults".
    const why = this.#yes ? `--yes takes defaults, but ${this.#missing.length > 1 ? 'these have' : 'this has'} none` : 'not asking: no TTY, CI set or --yes';
    throw new DevlakeError('DEVLAKE_E_MISSING_FLAGS', `${command}: missing ${this.#missing.join(', ')} (${why})`, {
      hint: `Pass ${this.#missing.join(' ')}, or run in a terminal to be asked.`,
      data: { missing: [...this.#missing] },
    });
  }
}

/** Wraps a validator that throws DevlakeError into an inquirer `validate` returning the message. */
export function promptValidator(check: (value: string) => unknown): (value: string) => string | true {
  return (value) => {
    try {
      check(value);
      return true;
    } catch (err) {
      return (err as Error).message;
    }
  };
}
