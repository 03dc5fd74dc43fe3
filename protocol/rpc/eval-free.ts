// Imported first by page entries whose Content-Security-Policy forbids 'unsafe-eval': message
// schemas are then checked by TypeBox's interpreter, and nothing ever tries `new Function` (even a
// probe for it is reported as a CSP violation).
import { useEvalFreeValidation } from './schema.ts';

useEvalFreeValidation();
