import { describe, expect, it } from 'vitest';
import { ApiError, errorMessage } from './client';
import { errorText } from './error-text';

describe('errorText', () => {
  it('gives each API error code a sentence and keeps the server’s words as the detail', () => {
    expect(errorText('model_not_found', 404, 'model 1 not found')).toEqual({
      summary: 'That model isn’t there any more: it may have been deleted.',
      detail: 'model 1 not found',
    });
    expect(errorText('model_running', 409, 'model 3 is already running').summary).toBe('The model is running: stop it first.');
    expect(errorText('dates_out_of_range', 400, 'start_date: before the data set begins (2023-11-27)').detail).toBe('start_date: before the data set begins (2023-11-27)');
    expect(errorText('rate_limited', 429, 'too many login attempts; try again in 30 s').detail).toBe('too many login attempts; try again in 30 s');
  });

  it('hides what adds nothing and falls back on the status for codes it does not know', () => {
    expect(errorText('internal_error', 500, 'Internal server error').detail).toBeNull();
    expect(errorText('network_error', 0, 'Cannot reach the server.').detail).toBeNull();
    expect(errorText('http_error', 502, 'Bad Gateway').summary).toBe('The server had a problem. Try again in a moment.');
    expect(errorText('teapot', 418, 'short and stout').summary).toBe('Something went wrong.');
  });

  it('is what errorMessage shows for an API error; other errors keep their message', () => {
    expect(errorMessage(new ApiError(404, 'not_found', 'run 9 of model 2 not found'))).toBe(
      'It isn’t there any more: it may have been deleted. (run 9 of model 2 not found)',
    );
    expect(errorMessage(new ApiError(0, 'network_error', 'Cannot reach the server.'))).toBe('Can’t reach the server. Check your connection and try again.');
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('??')).toBe('Something went wrong');
  });
});
