/** The same cap as src/db/list-queries.ts's COUNT_CAP (a server module the admin bundle must not import). */
export const COUNT_CAP_FOR_DISPLAY = 10_000
