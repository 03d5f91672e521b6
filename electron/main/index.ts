/** Entry point of the main process (out/main/index.js). All logic lives in app.ts and the pure modules it wires. */
import { startApp } from './app';

startApp();
