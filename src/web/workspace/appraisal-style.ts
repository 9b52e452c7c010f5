// The appraisal screens' styles, added to the site's one stylesheet (src/web/style.ts, hashed in the CSP).
export const APPRAISAL_CSS = '';
