import { describe, expect, it } from 'vitest';
import { normalizeKoreanPhoneNumber } from './korean-phone-number.js';

describe('normalizeKoreanPhoneNumber', () => {
  it.each([
    ['01012345678', '010-1234-5678'],
    ['010-1234-5678', '010-1234-5678'],
    ['+82 10-1234-5678', '010-1234-5678'],
    ['821012345678', '010-1234-5678'],
    ['011-123-4567', '011-123-4567'],
  ])('normalises %s to %s', (input, expected) => {
    expect(normalizeKoreanPhoneNumber(input)).toBe(expected);
  });

  it.each(['02-123-4567', '12345', '0101234567890', 'phone'])('refuses %s', (input) => {
    expect(normalizeKoreanPhoneNumber(input)).toBeNull();
  });
});
