/** The version of the Ruff language this package implements. */
export const version = "0.9.0";
