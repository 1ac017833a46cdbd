/**
 * Korean mobile numbers as the reference normalised them: digits only, a leading country code 82
 * becomes 0, then 010-XXXX-XXXX (11 digits) or 01X-XXX-XXXX (10 digits). Anything else is not a
 * number we accept.
 */
export function normalizeKoreanPhoneNumber(input: string): string | null {
  let digits = input.replace(/\D/g, '');
  if (digits.startsWith('82') && digits.length >= 11) digits = `0${digits.slice(2)}`;
  if (digits.length === 11 && digits.startsWith('010')) {
    return `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`;
  }
  if (digits.length === 10 && digits.startsWith('01')) {
    return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
  }
  return null;
}
