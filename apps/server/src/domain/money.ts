/** Cents for cash and amounts; the epsilon keeps 1.005 from rounding down. */
export const toCents = (x: number) => Math.round((x + Math.sign(x) * Number.EPSILON * Math.abs(x)) * 100) / 100;

/** Fill prices keep four decimals, like most equity venues quote. */
export const toPrice = (x: number) => Math.round(x * 10_000) / 10_000;
