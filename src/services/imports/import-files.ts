import { storedFiles } from '../files/stored-files'

/** Uploaded import files: `<OUTPOST_DATA_DIR or .data>/imports/<random key>.csv`. */
const files = storedFiles('imports')

export const importsDir = files.dir
export const newImportKey = files.newKey
export const importFilePath = files.pathOf
export const removeImportFile = files.remove
