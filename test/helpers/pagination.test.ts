import { hasErrorCode } from '../../src/core/errors';
import { checkPagination, defaultQuery, nextLink, pagerAt, renderTemplate } from '../../src/helpers/pagination';

describe('pagination rules', () => {
  it('builds the pager of a position', () => {
    expect(pagerAt({ page: 3 }, 50)).toEqual({ page: 3, size: 50, skip: 100 });
    expect(pagerAt({ page: 2, cursor: 'abc' }, 10)).toEqual({ page: 2, size: 10, skip: 10, cursor: 'abc' });
  });

  it('has a default query per mode', () => {
    const p = pagerAt({ page: 2 }, 10);
    expect(defaultQuery('page', p)).toEqual({ page: 2, per_page: 10 });
    expect(defaultQuery('totalPages', p)).toEqual({ page: 2, per_page: 10 });
    expect(defaultQuery('offset', p)).toEqual({ offset: 10, limit: 10 });
    expect(defaultQuery('cursor', p)).toEqual({});
    expect(defaultQuery('cursor', { ...p, cursor: 'c2' })).toEqual({ cursor: 'c2' });
    expect(defaultQuery('link', p)).toEqual({ per_page: 10 });
    expect(defaultQuery('none', p)).toEqual({});
  });

  it('reads rel="next" from RFC 8288 Link headers, resolving relative targets', () => {
    const gh =
      '<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=9>; rel="last"';
    expect(nextLink(gh, 'https://api.github.com/repos/a/b/issues')).toBe('https://api.github.com/repositories/1/issues?page=2');
    expect(nextLink('</items?cursor=x,y>; rel="prev next"', 'https://h/items')).toBe('https://h/items?cursor=x,y');
    expect(nextLink('<https://h/p1>; rel=prev', 'https://h/')).toBeUndefined();
    expect(nextLink(undefined, 'https://h/')).toBeUndefined();
  });

  it('renders URL templates from params, input, pager and since', () => {
    const data = { params: { name: 'org/repo' }, input: { number: 7 }, pager: pagerAt({ page: 1 }, 10), since: '2024-01-01T00:00:00.000Z' };
    expect(renderTemplate('repos/{{params.name}}/issues/{{ input.number }}/comments?p={{pager.page}}&s={{since}}', data)).toBe(
      'repos/org/repo/issues/7/comments?p=1&s=2024-01-01T00:00:00.000Z',
    );
    let err: unknown;
    try {
      renderTemplate('x/{{input.id}}', { params: {} });
    } catch (e) {
      err = e;
    }
    expect(hasErrorCode(err, 'DEVLAKE_E_API_CONFIG')).toBe(true);
  });

  it('checks that each mode has the function it needs', () => {
    expect(() => checkPagination('cursor', { getTotalPages: false, getNextCursor: true }, '_raw_x')).not.toThrow();
    expect(() => checkPagination('cursor', { getTotalPages: false, getNextCursor: false }, '_raw_x')).toThrow(/getNextCursor/);
    expect(() => checkPagination('totalPages', { getTotalPages: false, getNextCursor: false }, '_raw_x')).toThrow(/getTotalPages/);
    expect(() => checkPagination('pages', { getTotalPages: true, getNextCursor: true }, '_raw_x')).toThrow(/unknown pagination/);
  });
});
