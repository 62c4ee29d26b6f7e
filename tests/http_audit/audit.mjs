// Audits a live GraphQL endpoint against the GraphQL over HTTP spec with graphql-http's auditServer.
// Usage: node audit.mjs http://127.0.0.1:8000/graphql/
// Prints one JSON object per line: {id, name, status, reason?}; exits 0 whatever the results (the caller judges).
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs <url>");
  process.exit(2);
}
const results = await auditServer({ url });
for (const result of results) {
  const line = { id: result.id, name: result.name, status: result.status };
  if (result.status !== "ok") {
    line.reason = result.reason;
    line.httpStatus = result.response.status;
    line.contentType = result.response.headers.get("content-type");
    line.body = await result.response.text();
  }
  console.log(JSON.stringify(line));
}
