/**
 * What `importOnnx` throws for a model it cannot run: unsupported operators or attributes (all of
 * them at once, each with its node's name), missing weights, malformed graphs; and, when the
 * imported module runs, inputs that do not match the graph.
 */
export class OnnxImportError extends Error {
  /** One line per problem (for a model with several, the message lists them all). */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = [message]) {
    super(message);
    this.name = 'OnnxImportError';
    this.problems = problems;
  }
}
