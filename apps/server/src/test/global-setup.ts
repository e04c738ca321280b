import { buildServer } from './processes.js';

/** Tests that start real processes run the compiled server: build it once, before any of them. */
export default function setup() {
  buildServer();
}
