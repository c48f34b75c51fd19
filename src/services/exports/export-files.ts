import { storedFiles } from '../files/stored-files'

/** Finished export files: `<OUTPOST_DATA_DIR or .data>/exports/<random key>.csv`, removed when they expire. */
export const exportFiles = storedFiles('exports')
