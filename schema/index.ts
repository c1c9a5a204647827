// Imports every domain module (each registers its types on the builder) and builds the schema.
import { builder } from './builder.js';
import './merchant.js';
import './viewer.js';

export const schema = builder.toSchema({ sortSchema: false });
