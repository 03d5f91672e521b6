/**
 * Generated residents for the search index's tests and benchmark (tests/bench/search.bench.ts): UUID ids, names as a
 * Sichuan street office has them (polyphonic surnames and given names, a few with Latin letters or a character
 * outside the BMP), valid ID numbers (about one in eleven ends in X), mobiles and a few landlines or none, and
 * addresses of compounds, buildings, entrances and doors shared by a household's members. Seeded: the same seed gives
 * the same residents.
 */
import { mulberry32 } from '@shared/domain/registry/demo';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import type { ResidentSearchKeys } from '@shared/domain/registry/search';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';

export interface GeneratedResident {
  readonly id: string;
  readonly keys: ResidentSearchKeys;
  readonly deleted: 0 | 1;
}

// Frequent surnames first (picked skewed), with the polyphonic ones read differently as surnames: 曾 单 解 区 仇 朴 查
// 盖 乐 覃 缪 尉迟, and compound surnames.
const SURNAMES = [
  ...Array.from('王李张刘陈杨黄赵吴周何罗蒋唐徐孙马朱胡郭林谢邓曾彭冯肖袁田董潘蔡余杜叶程苏魏吕丁任沈姚卢'),
  ...Array.from('姜崔钟谭陆汪范廖贾付邹熊秦邱江尹雷侯龙陶黎贺毛龚严覃敬蒲单解区仇朴查盖乐缪'),
  '欧阳',
  '司马',
  '尉迟',
];
// Given-name characters, some polyphonic (乐 行 长 重 朝 会 和 传 都 曲 少 强 奇).
const GIVEN = Array.from(
  '伟强磊军洋勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊帆芳娜敏静丽艳娟霞燕玲婷雪慧乐行长重朝会和传都曲少奇',
);
const ROADS = ['西河路', '北湖路', '模范街', '和平街', '人民中路', '滨江北路', '玉带中路'];
const COMPOUNDS = ['北湖老院', '锦江花园', '西河小区', '金鱼岭', '丝绸厂宿舍', '城北家园', '滨江·壹号'];
const MOBILE = ['138', '139', '135', '150', '158', '182', '187', '199', '177', '133'];

/** A UUID (version 4 shape) from the seeded generator, as `crypto.randomUUID` makes them in the app. */
function uuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (Math.floor(next() * 4) + 8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export interface ResidentGenerator {
  /** A new resident (a new id), living in one of the generated households. */
  resident(): GeneratedResident;
  /** The same resident edited: another name, phone, ID number or home (what an edit by sync brings). */
  edited(resident: GeneratedResident): GeneratedResident;
  /** The same resident soft-deleted (or restored). */
  toggledDeleted(resident: GeneratedResident): GeneratedResident;
}

export function residentGenerator(seed: number): ResidentGenerator {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  // Frequent items come up more often (roughly Zipf-like), as surnames do.
  const skewed = <T>(items: readonly T[]): T =>
    pick(items.slice(0, Math.max(1, Math.ceil(items.length * next() ** 2))));

  const name = (): string => {
    const roll = next();
    if (roll < 0.003) return `Anna${pick(SURNAMES)}`;
    if (roll < 0.005) return `${skewed(SURNAMES)}𠮷${pick(GIVEN)}`;
    if (roll < 0.008) return `${skewed(SURNAMES)} ${pick(GIVEN)}`;
    return skewed(SURNAMES) + pick(GIVEN) + (next() < 0.7 ? pick(GIVEN) : '');
  };
  const idNumber = (): string => {
    const birth = `${int(1930, 2020)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
    return makeIdNumber(
      pick(['511302', '511303', '511304', '511321']),
      birth,
      seqForSex(int(0, 999), pick(['male', 'female'])),
    );
  };
  const phone = (): string | null => {
    const roll = next();
    if (roll < 0.08) return null;
    if (roll < 0.12) return `0817-${int(2_000_000, 8_999_999)}`;
    return pick(MOBILE) + String(int(0, 99_999_999)).padStart(8, '0');
  };
  // Households: about 2.8 people each, so a new household every few residents.
  let household = { address: '', building: '' };
  let left = 0;
  const home = () => {
    const building = `${int(1, 40)}栋`;
    const wide = next() < 0.02;
    const door = `${int(1, 33)}${String(int(1, 4)).padStart(2, '0')}`;
    // A few addresses typed with full-width digits and spaces (folded by the search).
    const address = `顺庆区${pick(ROADS)}${int(1, 300)}号${pick(COMPOUNDS)}${building}${int(1, 4)}单元${door}室`;
    return {
      address: wide
        ? address.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).replace('号', '号 ')
        : address,
      building,
    };
  };
  const keysOf = (person: { name: string; idNumber: string; phone: string | null }, place: typeof household) =>
    residentSearchKeys(person, { address: place.address }, { name: place.building });

  return {
    resident() {
      if (left <= 0) {
        household = home();
        left = int(1, 5);
      }
      left -= 1;
      return {
        id: uuid(next),
        keys: keysOf({ name: name(), idNumber: idNumber(), phone: phone() }, household),
        deleted: 0,
      };
    },
    edited(resident) {
      // The keys keep only the tails of the ID number and phone: an edit that leaves them keeps those tails.
      const person = { name: resident.keys.name, idNumber: resident.keys.idTail4, phone: resident.keys.phoneTail4 };
      let place = { address: resident.keys.address, building: '' };
      const roll = next();
      if (roll < 0.3) person.name = name();
      else if (roll < 0.5) place = home();
      else if (roll < 0.75) person.phone = phone() ?? '';
      else person.idNumber = idNumber();
      return { ...resident, keys: keysOf(person, place) };
    },
    toggledDeleted(resident) {
      return { ...resident, deleted: resident.deleted === 1 ? 0 : 1 };
    },
  };
}
