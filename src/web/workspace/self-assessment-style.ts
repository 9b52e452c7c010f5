// The self-assessment screens' styles, added to the site's one stylesheet (src/web/style.ts, hashed in the CSP).
export const SELF_ASSESSMENT_CSS = '';
