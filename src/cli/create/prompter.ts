/**
 * The questions the scaffolder can ask, as an interface: the real one uses
 * @clack/prompts, tests inject scripted answers. Cancelling (Ctrl-C, Esc)
 * throws `PromptCancelled`, so no step can mistake it for an answer.
 */
export class PromptCancelled extends Error {
  override name = 'PromptCancelled';
  constructor() {
    super('Operation cancelled');
  }
}

export interface SelectQuestion<T extends string> {
  message: string;
  options: { value: T; label?: string; hint?: string }[];
  initialValue?: T;
}

export interface TextQuestion {
  message: string;
  placeholder?: string;
  defaultValue?: string;
  initialValue?: string;
  /** Returns a problem to show, or undefined when the value is acceptable. */
  validate?: (value: string) => string | undefined;
}

export interface ConfirmQuestion {
  message: string;
  initialValue?: boolean;
}

export interface Prompter {
  select<T extends string>(question: SelectQuestion<T>): Promise<T>;
  text(question: TextQuestion): Promise<string>;
  confirm(question: ConfirmQuestion): Promise<boolean>;
}

/** A prompter for non-interactive runs: any question is a bug in the caller. */
function refuse(question: { message: string }): Promise<never> {
  return Promise.reject(new Error(`unexpected question in non-interactive mode: ${question.message}`));
}

export const noPrompter: Prompter = { select: refuse, text: refuse, confirm: refuse };
