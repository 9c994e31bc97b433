/** The calendar quarter (1–4) of an ISO date (2027-05-14 → 2): a plan activity's when, given by dates. */
export const quarterOf = (isoDate: string): number => Math.floor((Number(isoDate.slice(5, 7)) - 1) / 3) + 1;
