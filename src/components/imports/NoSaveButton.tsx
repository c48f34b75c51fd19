/** Imports are not saved as documents: the import panel uploads, starts, stops and resumes them. */
export const NoSaveButton = () => null
