// What a transform was made from: the factory's name and its arguments. A transform is a
// closure, which cannot be posted to a worker; its recipe can, and calling the same factory with
// the same arguments there makes the same function (the prefetching loader's workers rebuild
// the pipeline this way, see loader/portable.ts).
/** A factory's name and the arguments it was called with (transforms among them as recipes). */
export interface TransformRecipe {
  readonly factory: string;
  readonly args: readonly unknown[];
}

const recipes = new WeakMap<object, TransformRecipe>();

/** Records that `transform` is `factory(...args)`; returns it. */
export function madeBy<T extends (input: any, rng: any) => unknown>(factory: string, args: readonly unknown[], transform: T): T {
  recipes.set(transform, { factory, args });
  return transform;
}

/** How `transform` was made, or undefined for a function no factory of this package made. */
export function recipeOf(transform: unknown): TransformRecipe | undefined {
  return typeof transform === 'function' ? recipes.get(transform) : undefined;
}
