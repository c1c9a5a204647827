// npm run schema:print: writes the served schema to schema/schema.graphql (committed; a test
// fails when it is stale).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchemaFile } from './printed.js';

const path = fileURLToPath(new URL('./schema.graphql', import.meta.url));
writeFileSync(path, printSchemaFile());
console.log(`wrote ${path}`);
