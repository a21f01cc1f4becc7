import { describe, expect, it } from 'vitest';
import { SECRET_FIELDS, sourceSchemas } from '../../src-main/engine/config.js';
import { PROVIDERS } from '../../src-main/engine/types.js';
import { PROVIDER_FIELDS } from '../../src-main/shared/providers.js';

const COMMON = ['id', 'provider', 'label', 'enabled'];

describe('source form fields follow the config schemas', () => {
  it.each(PROVIDERS.map((p) => [p]))('%s', (provider) => {
    const schemaKeys = Object.keys(sourceSchemas[provider].shape).filter(
      (k) => !COMMON.includes(k),
    );
    const fields = PROVIDER_FIELDS[provider];
    expect(fields.map((f) => f.name).sort()).toEqual(schemaKeys.sort());
    for (const f of fields) {
      expect(f.kind === 'secret').toBe((SECRET_FIELDS as readonly string[]).includes(f.name));
      const optional = sourceSchemas[provider].shape[f.name as never] as {
        safeParse(v: unknown): { success: boolean };
      };
      // Required in the form exactly when the schema refuses a missing value.
      expect(f.required).toBe(!optional.safeParse(undefined).success);
    }
  });
});
