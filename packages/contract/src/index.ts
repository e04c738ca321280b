import { z } from 'zod';

// A missing field reads "is required" rather than zod's "expected string, received undefined".
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
});

export * from './common.js';
export * from './auth.js';
export * from './models.js';
export * from './market.js';
export * from './trading.js';
export * from './events.js';
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
