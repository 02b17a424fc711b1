/**
 * Code patterns from the seed's debugging list, found statically in src/ and
 * frontend/: hosted-workflow code mixed with a custom backend, direct
 * chat.completions calls that bypass the provider factory, tools that return
 * widget data instead of streaming it, agent instructions that let the model
 * repeat widget data, and non-streamed agent runs.
 */
import { lineOf, readFiles, readFrontendSources, SOURCE_FILE, type ProjectFile } from '../files.js';
import type { Check } from '../types.js';

interface Finding {
  where: string;
  message: string;
  fix: string;
}

/** `return { type: 'Card', … }`, `return taskListWidget(…)`, `return widget`: a tool handing widget data to the model. */
const RETURNS_WIDGET = /\breturn\s+(?:\{[^}]{0,200}?\btype\s*:\s*['"](?:Card|ListView|Row|Col|Box|Form|Transition|Basic)['"]|[\w.]*[Ww]idget\w*\b)/;
const NO_REPEAT_INSTRUCTION = /(do not|don't|never|avoid)[^.\n]{0,60}(repeat|restate|list|format|describe|echo|reproduce|write out)|display(s|ed)? automatically|already (shown|displayed|visible)/i;

function at(file: ProjectFile, index: number): string {
  return `${file.path}:${lineOf(file.text, index)}`;
}

/** The text of the call whose `(` is at `open`, up to its matching `)`. */
function callText(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

/** The finding for each pattern, in the order the seed lists them. Pure over file contents. */
export function findCodePatterns(backend: ProjectFile[], frontend: ProjectFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of frontend) {
    const secret = /getClientSecret/.exec(file.text);
    if (secret && /\burl\s*:/.test(file.text) && /\bapi\s*:/.test(file.text)) {
      findings.push({ where: at(file, secret.index), message: 'hosted-workflow getClientSecret mixed with a custom api.url', fix: 'A custom backend uses api: { url, domainKey }; remove getClientSecret (it belongs to Agent Builder workflows).' });
    }
  }
  for (const file of backend) {
    const legacy = /\bchat\.completions\.create\s*\(/.exec(file.text);
    if (legacy && !/(^|\/)model\.ts$/.test(file.path)) {
      findings.push({ where: at(file, legacy.index), message: 'chat.completions called directly instead of through the provider factory', fix: 'Call createModel() from src/model.ts and run the agent with it, so every provider and the scripted model work.' });
    }
    for (const match of file.text.matchAll(/\btool\s*(?:<[^(]*>)?\s*\(\s*\{/g)) {
      const call = callText(file.text, file.text.indexOf('(', match.index));
      if (!/streamWidget\s*\(/.test(call) && RETURNS_WIDGET.test(call)) {
        findings.push({ where: at(file, match.index), message: 'a tool returns widget data instead of streaming it', fix: 'In the tool, await runContext.context.streamWidget(widget) and return a short confirmation instead of the widget.' });
      }
    }
    if (/from\s+['"]@openai\/agents['"]/.test(file.text)) {
      for (const match of file.text.matchAll(/(?:\b[Rr]unner\.run|(?<![\w$.])run)\s*\(\s*[\w.]+\s*,/g)) {
        const call = callText(file.text, match.index + match[0].indexOf('('));
        if (!/stream\s*:\s*true/.test(call)) {
          findings.push({ where: at(file, match.index), message: 'agent run without stream: true (the reply arrives all at once)', fix: 'Use run(agent, input, { context, stream: true }) and pass the result to streamAgentResponse().' });
        }
      }
    }
  }
  if (backend.some((file) => /streamWidget\s*\(/.test(file.text))) findings.push(...instructionFindings(backend));
  return findings;
}

/**
 * Agents with tools, in a project whose tools stream widgets, must be told
 * not to repeat widget data. Instructions are often assembled from constants
 * (`[..., WIDGET_RULES].join('\n')`), so the constants they name are read too.
 */
function instructionFindings(backend: ProjectFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of backend) {
    for (const match of file.text.matchAll(/new\s+Agent\s*(?:<[^(]*>)?\s*\(/g)) {
      const call = callText(file.text, match.index + match[0].length - 1);
      if (!/\btools\s*:/.test(call)) continue;
      const start = call.search(/\binstructions\s*:/);
      if (start < 0) continue;
      const expression = call.slice(start, start + 1_500);
      let text = expression;
      for (const name of new Set(expression.match(/\b[A-Z][A-Z0-9_]{2,}\b/g) ?? [])) {
        for (const other of backend) {
          const definition = new RegExp(`const\\s+${name}\\b[^=]*=`).exec(other.text);
          if (definition) text += other.text.slice(definition.index, definition.index + 1_500);
        }
      }
      if (!NO_REPEAT_INSTRUCTION.test(text)) {
        findings.push({ where: at(file, match.index + start), message: 'agent instructions do not tell the model to leave widget data alone', fix: "Add to the instructions: \"Widgets display automatically; don't repeat or reformat their data, just say 'Here are the results'.\"" });
      }
    }
  }
  return findings;
}

export const codePatternsCheck: Check = {
  id: 'code-patterns',
  title: 'Code patterns (widgets, providers, hosted mix-ups)',
  category: 'code',
  async run(ctx) {
    if (!ctx.root) return { status: 'skip', message: 'not run inside a project (no code to read)' };
    const backend = readFiles(ctx.root, 'src', SOURCE_FILE);
    const frontend = readFrontendSources(ctx.root);
    const findings = findCodePatterns(backend, frontend);
    if (findings.length === 0) {
      return { status: 'pass', message: `no known anti-patterns in ${backend.length + frontend.length} source files` };
    }
    const hosted = findings.some((f) => f.message.startsWith('hosted-workflow'));
    return {
      status: hosted ? 'fail' : 'warn',
      message: findings[0]!.message + (findings.length > 1 ? ` (+${findings.length - 1} more)` : ''),
      evidence: findings.map((f) => `${f.where}: ${f.message}`),
      fix: [...new Set(findings.map((f) => f.fix))],
      docs: 'https://openai.github.io/chatkit-python/guides/add-features/stream-widgets/',
    };
  },
};
