// Request validation at the edge: parses a part of the request (body, query, params) with a zod
// schema and, on failure, throws the zod error with the part's name in front of each path, so
// errors.ts can name the field as the client sent it (`query.limit`, `body.reasonCode`).
import { z } from "zod";

export type RequestPart = "body" | "query" | "params" | "fields";

/** Returns `value` parsed by `schema`, or throws a ZodError whose paths start with `part`. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: RequestPart): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new z.ZodError(result.error.issues.map((issue) => ({ ...issue, path: [part, ...issue.path] })));
}
