import { describe, expect, it } from 'vitest';
import { linkHref } from '../../../../../renderer/features/event-links/links';

describe('linkHref', () => {
  it('puts every kind of linked record on its route with its id encoded', () => {
    expect(linkHref('case', '2026/a b#c')).toBe('~/mediation/case/2026/a%20b%23c');
    expect(linkHref('meeting', '2026/m/1')).toBe('~/meetings/m/2026/m%2F1');
    expect(linkHref('task', '2025/t?1')).toBe('~/tasks/t/2025/t%3F1');
  });

  it('gives no link for a kept id without a year or an id', () => {
    expect(linkHref('case', 'no-year')).toBeNull();
    expect(linkHref('case', '26/x')).toBeNull();
    expect(linkHref('task', '2026/')).toBeNull();
  });
});
