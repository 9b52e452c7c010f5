// npm run bench: every benchmark of the project, figures and ratios side by side.
import { benchEngine } from './engine.js';
import { benchService } from './service.js';
import { benchBundle } from './bundle.js';

benchEngine();
await benchService();
benchBundle();
