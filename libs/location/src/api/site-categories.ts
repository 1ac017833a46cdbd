export const PICKUP_CATEGORIES = [
  'clear_pet',
  'colored_pet',
  'can',
  'paper',
  'plastic',
  'glass',
  'textile',
  'electronics',
  'general',
] as const;
export type PickupCategory = (typeof PICKUP_CATEGORIES)[number];

export const STORE_CATEGORIES = [
  'refill_zero',
  'cafe_bakery',
  'vegan_dining',
  'upcycle_recycle',
  'book_workshop',
  'market_mart',
  'lodging',
  'public_dropbox',
  'general',
] as const;
export type StoreCategory = (typeof STORE_CATEGORIES)[number];

/** The text a site's collected items are described with, lowercased and with spaces removed. */
function compact(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}

/*
 * Collected-items keywords. The reference matched "pe" (so every "PET" counted as plastic), knew only
 * "무색" for clear PET although the data mostly says 투명페트병 (and misspells it 투명패트병, 투명페트명),
 * and also scanned the free-text notes. Here: PET spellings first and removed from the text before the
 * plastic resins are looked for, and only the collected-items column is read.
 */
const PET = '(?:페트|패트|pet)';
const CLEAR_PET = new RegExp(`(?:무색|투명)${PET}|${PET}\\(?(?:투명|무색)`);
const COLORED_PET = new RegExp(`유색(?:혼합)?${PET}|${PET}\\(?유색`);
// Sheet PET (판PET: trays, punnets) is sold as plastic, not as bottles, so it is left in place.
const PET_BOTTLE = new RegExp(`(?<!판)(?:무색|투명|유색)?(?:혼합)?${PET}(?:병|명)?`, 'g');

const PICKUP_KEYWORDS: readonly [PickupCategory, RegExp][] = [
  ['clear_pet', CLEAR_PET],
  ['colored_pet', COLORED_PET],
  ['can', /캔|알루미늄|고철|(?:^|[,(/·])철(?=[,)/·]|$)|금속|aluminum|metal/],
  ['paper', /종이|박스|서적|신문|책|우유팩|멸균팩|paper/],
  [
    'plastic',
    new RegExp(
      `플라스틱|플리스틱|비닐|판${PET}|(?<![a-z])(?:pp|ps|pe|hdpe|ldpe|others?)(?![a-z])|햇반|즉석밥|장난감|완구|블럭|빨대|스티로폼|plastic`,
    ),
  ],
  ['glass', /유리|소주병|맥주병|기타병|녹색병|갈색|glass/],
  ['textile', /의류|섬유|헌옷|신발|가방|textile|clothes/],
  ['electronics', /전자|가전|건전지|배터리|휴대폰|폐전지|electronic|battery/],
];

/** Collected-items text → pickup categories in the contract's order; nothing recognised → `general`. */
export function pickupCategoriesOf(collectedItems: string | null | undefined): PickupCategory[] {
  // Newlines separate items in the KECO column: keep them as separators once spaces are gone.
  const text = compact((collectedItems ?? '').replace(/\n/g, ','));
  const withoutPet = text.replace(PET_BOTTLE, '·');
  const found = new Set<PickupCategory>();
  for (const [category, pattern] of PICKUP_KEYWORDS) {
    const haystack = category === 'clear_pet' || category === 'colored_pet' ? text : withoutPet;
    if (pattern.test(haystack)) found.add(category);
  }
  // A bare "PET"/"페트병" without a colour is the common clear bottle.
  if (!found.has('clear_pet') && !found.has('colored_pet') && withoutPet !== text) found.add('clear_pet');
  return found.size > 0 ? PICKUP_CATEGORIES.filter((c) => found.has(c)) : ['general'];
}

/*
 * Store keywords, first match wins. Fixes against the reference: unmanned collection machines and boxes
 * are recognised before anything else (the reference checked them last, so a 무인회수기 whose intro
 * mentions 재활용 became upcycle_recycle); bare "센터"/"학교"/"교육" no longer make every
 * 행정복지센터 a book_workshop; "용기" (any container, e.g. 즉석밥용기) no longer means refill; and
 * addresses are not scanned, so a street named 시장로 does not make a market.
 */
const STORE_KEYWORDS: readonly [StoreCategory, RegExp, RegExp?][] = [
  ['public_dropbox', /무인|회수기|수거함|네프론|수퍼빈|superbin|nephron|reverse ?vending/],
  ['refill_zero', /제로웨이스트|zero ?waste|리필|무포장|알맹/],
  ['cafe_bakery', /카페|커피|베이커리|브루어리|cafe|coffee|bakery/],
  ['vegan_dining', /비건|채식|vegan/],
  ['upcycle_recycle', /되살림|업사이클|리사이클|재활용|자원순환|수거|리폼|수선|재사용|upcycl|recycl/],
  ['book_workshop', /책방|서점|도서관|공방|스튜디오|갤러리|클래스|워크숍|워크샵|아카데미|bookstore|studio/],
  ['market_mart', /마트|마켓|시장|생협|한살림|아이쿱|하나로|공동구매|무인상점|co-?op|market/],
  ['lodging', /숙소|게스트하우스|게하|민박|호텔|펜션|호스텔|guest ?house|hostel|hotel/, /스테이션|station/],
];

/** Name, location note and introduction → one store category; nothing recognised → `general`. */
export function storeCategoryOf(texts: readonly (string | null | undefined)[]): StoreCategory {
  const text = texts
    .filter((t): t is string => Boolean(t))
    .join(' ')
    .toLowerCase();
  for (const [category, pattern, exclusion] of STORE_KEYWORDS) {
    if (pattern.test(text) && !(exclusion && exclusion.test(text))) return category;
  }
  return 'general';
}
