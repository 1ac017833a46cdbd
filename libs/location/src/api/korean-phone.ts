/*
 * Korean numbers: 02 (Seoul) + 3–4 + 4 digits; 0XX area/mobile/VoIP codes + 3–4 + 4 digits; 15XX/16XX/18XX
 * nationwide numbers + 4 digits. Anything else (an extension without its area code such as
 * "850-6921(자원순환과)", a department name) is not a phone number the app can dial.
 */
const PATTERNS: readonly RegExp[] = [
  /(?<!\d)(02)[-.)\s]*(\d{3,4})[-.\s]*(\d{4})(?!\d)/,
  /(?<!\d)(0\d{2})[-.)\s]*(\d{3,4})[-.\s]*(\d{4})(?!\d)/,
  /(?<!\d)(1[568]\d{2})[-.\s]*(\d{4})(?!\d)/,
];

/** The first dialable number in the text, in dashed groups ("031-8075-2706"), or null. */
export function normalizeKoreanPhone(text: string | null | undefined): string | null {
  if (!text) return null;
  let best: { index: number; phone: string } | null = null;
  for (const pattern of PATTERNS) {
    const match = pattern.exec(text);
    if (match && (!best || match.index < best.index)) {
      best = { index: match.index, phone: match.slice(1).join('-') };
    }
  }
  return best?.phone ?? null;
}
