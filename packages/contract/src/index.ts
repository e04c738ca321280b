import { config } from 'zod/v4/core';

// A missing field reads "is required" rather than zod's "expected string, received undefined"
// (zod's one configuration, for classic and mini schemas alike).
config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
});

export * from './common.js';
export * from './auth.js';
export * from './models.js';
export * from './market.js';
export * from './trading.js';
export * from './events.js';
export * from './trading-event.js';
export * from './admin.js';
export * from './search.js';
export * from './settings.js';
export * from './arena.js';
export * from './results.js';
export * from './backtest.js';
export * from './rules.js';
export * from './rules-describe.js';
export * from './rules-templates.js';
export * from './strategy-file.js';
export * from './assistant.js';
