import { describe, expect, it } from 'vitest';
import { matchResident } from '@shared/domain/registry/search';
import { residentSearchKeys } from '@shared/domain/registry/searchKeys';
import { freshId } from './fixtures';

function keys(name: string, phone: string | null = '13812345678', idNumber = freshId()) {
  return residentSearchKeys({ name, idNumber, phone }, { address: '北湖老院3栋1单元301' }, { name: '3栋' });
}

describe('resident search', () => {
  it('finds 张三 by initials zs, by full pinyin and by a name substring', () => {
    const k = keys('张三');
    expect(k.initials).toBe('zs');
    expect(k.fullPinyin).toBe('zhangsan');
    expect(matchResident(k, 'zs')).toBe('initials');
    expect(matchResident(k, 'ZS')).toBe('initials');
    expect(matchResident(k, 'zhangs')).toBe('pinyin');
    expect(matchResident(k, '三')).toBe('name');
    expect(matchResident(k, 'ls')).toBeNull();
  });

  it('reads polyphonic surnames as surnames, and still finds the everyday reading', () => {
    expect(keys('曾小贤').initials).toBe('zxx');
    expect(keys('单田芳').fullPinyin).toBe('shantianfang');
    expect(keys('解缙').fullPinyin).toBe('xiejin');
    expect(matchResident(keys('曾小贤'), 'cengx')).toBe('pinyin');
  });

  it('reads a name met before as the first time, with the rest of the keys its own', () => {
    const first = keys('曾小贤');
    expect(first).toMatchObject({ initials: 'zxx', fullPinyin: 'zengxiaoxian', altPinyin: ['cxx', 'cengxiaoxian'] });
    const again = keys(' 曾小贤 ', null, '110101199003071234');
    expect(again).toMatchObject({ initials: 'zxx', fullPinyin: 'zengxiaoxian', altPinyin: ['cxx', 'cengxiaoxian'] });
    expect(again).toMatchObject({ name: '曾小贤', phoneTail4: '', idTail4: '1234' });
    expect(first.phoneTail4).toBe('5678');
  });

  it('takes one letter per syllable for initials (zh, ch, sh and ü included), Latin letters as they are', () => {
    expect(keys('吕志成').initials).toBe('lzc');
    expect(keys('吕志成').fullPinyin).toBe('lvzhicheng');
    expect(keys('欧阳娜娜').initials).toBe('oynn');
    expect(keys('Anna李').initials).toBe('annal');
    expect(keys('Anna李').fullPinyin).toBe('annali');
  });

  it('matches the last 4 digits of the ID number or the phone', () => {
    const idNumber = freshId('female');
    const k = keys('李四', '13900005678', idNumber);
    expect(matchResident(k, idNumber.slice(-4).toLowerCase())).toBe('id-tail');
    expect(matchResident(k, '5678')).toBe('phone-tail');
    expect(keys('王五', null).phoneTail4).toBe('');
  });

  it('matches an address substring and ignores an empty query', () => {
    const k = keys('王五');
    expect(matchResident(k, '3栋1单元')).toBe('address');
    expect(matchResident(k, '北湖')).toBe('address');
    expect(matchResident(k, '  ')).toBeNull();
  });
});
