// The self-hosted API reference (/docs) and home page (/): server-rendered, no script.
export { docsPage, type DocsPageOptions } from './page.js';
export { homeJson, homePage, SERVICE_NAME, LINKS, type HomeJson } from './home.js';
export { docsRoutes, type DocsRoutesOptions } from './routes.js';
