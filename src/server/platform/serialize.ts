// A faster response serializer for large, hot answers (search, impact, lineage). The default one encodes
// every response through its zod schema and then calls JSON.stringify; for a few hundred rows with
// nested paths that re-checks every UUID and date. This one compiles the same schema, as JSON Schema, to
// a fast-json-stringify function once at start-up. Like the zod serializer it writes only the declared
// properties, so nothing undeclared leaks; it does not re-check formats the services produce.
//
// A frozen answer (`Object.freeze`) is one a service shares between requests and never changes (the
// in-memory system graph's impact and lineage answers): its JSON is written once per route and kept for
// as long as the answer itself lives.
import fastJson from 'fast-json-stringify';
import { z } from 'zod';

export function fastSerializerCompiler({ schema }: { schema: unknown }) {
  const json = z.toJSONSchema(schema as z.ZodType, {
    io: 'output',
    unrepresentable: 'any',
    target: 'draft-7',
  });
  const stringify = fastJson(json as Parameters<typeof fastJson>[0]);
  const written = new WeakMap<object, string>();
  return (data: unknown) => {
    if (data === null || typeof data !== 'object' || !Object.isFrozen(data)) return stringify(data);
    let text = written.get(data);
    if (text === undefined) {
      text = stringify(data);
      written.set(data, text);
    }
    return text;
  };
}
