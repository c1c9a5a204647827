import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';

export const printSchemaFile = (): string => `${printSchema(lexicographicSortSchema(schema))}\n`;
