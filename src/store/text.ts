// Name search that ignores diacritics and case: "ha noi" finds "Hà Nội", "da nang" finds "Đà Nẵng".
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')
    .toLowerCase().replace(/\s+/g, ' ').trim();
}
