// The secretariat screens' styles, added to the site's one stylesheet (src/web/style.ts, hashed in the CSP).
export const SECRETARIAT_CSS = '';
