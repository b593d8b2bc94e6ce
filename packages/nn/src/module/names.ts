// State-dict keys follow PyTorch (`bn1.running_mean`) while TypeScript properties follow
// the project's camelCase (`runningMean`): a property's key is its snake_case form.

/** `runningMean` → `running_mean`; names without capitals (`conv1`, `layer4`) are unchanged. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
