/**
 * The terminal prompter, on @clack/prompts. Loaded only for interactive runs.
 */
import * as clack from '@clack/prompts';
import { PromptCancelled, type Prompter } from './prompter.js';

function answered<T>(value: T | symbol): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new PromptCancelled();
  return value as Exclude<T, symbol>;
}

export const clackPrompter: Prompter = {
  async select(question) {
    return answered(
      await clack.select({
        message: question.message,
        // clack's Option type is conditional on the value type; our values are plain strings.
        options: question.options as Parameters<typeof clack.select>[0]['options'],
        initialValue: question.initialValue,
      }),
    ) as typeof question.initialValue & string;
  },
  async text(question) {
    const value = answered(
      await clack.text({
        message: question.message,
        placeholder: question.placeholder,
        defaultValue: question.defaultValue,
        initialValue: question.initialValue,
        validate: question.validate
          ? (input) => question.validate?.(input === undefined || input === '' ? (question.defaultValue ?? '') : input)
          : undefined,
      }),
    );
    return value === '' ? (question.defaultValue ?? '') : value;
  },
  async confirm(question) {
    return answered(await clack.confirm({ message: question.message, initialValue: question.initialValue }));
  },
};
