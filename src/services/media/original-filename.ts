/** The random tag the Media collection puts before a stored file's name (`3f9a0c2e71b4d8a5-report.pdf`). */
export const STORED_NAME_TAG = /^[0-9a-f]{16}-/

/** The name the uploader gave a file, without the tag that makes its stored name unique. */
export const originalFilename = (stored: string): string => stored.replace(STORED_NAME_TAG, '')
