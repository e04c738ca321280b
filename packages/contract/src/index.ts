export * from './common.js';
export * from './auth.js';
export * from './models.js';
export * from './market.js';
export * from './trading.js';
export * from './events.js';
