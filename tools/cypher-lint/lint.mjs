// Reads [{name, text, parameters: [names]}] as JSON on stdin and prints, as JSON on stdout,
// the error-level diagnostics Neo4j's linter reports for each statement.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const statements = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const ERROR = 1;
const report = statements.map(({ name, text, parameters }) => {
  const dbSchema = { parameters: Object.fromEntries(parameters.map((p) => [p, null])) };
  const { diagnostics } = lintCypherQuery(text, dbSchema);
  return {
    name,
    errors: diagnostics
      .filter((d) => d.severity === ERROR)
      .map((d) => ({ message: d.message, offset: d.offsets?.start ?? null })),
    warnings: diagnostics.filter((d) => d.severity !== ERROR).map((d) => d.message),
  };
});
process.stdout.write(JSON.stringify(report));
