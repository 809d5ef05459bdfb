// Lints code snippets placed (virtually) at given paths with the project's real ESLint config, in
// one process: reads [{ code, file }] as JSON on stdin, writes the rule ids each snippet broke.
// One ESLint instance serves every snippet, so the type-aware parser starts once, not per snippet.
import { ESLint } from 'eslint';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const snippets = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({ cwd: process.cwd() });
const results = [];
for (const { code, file } of snippets) {
  const [report] = await eslint.lintText(code, { filePath: file });
  results.push(report.messages.map((message) => message.ruleId ?? 'parse-error'));
}
process.stdout.write(JSON.stringify(results));
