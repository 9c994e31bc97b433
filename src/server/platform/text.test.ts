import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedIn, type TestApp } from '../testing/http.ts';
import { fieldMessage } from './field-messages.ts';
import { inLanguage, requestLanguage, say } from './text.ts';

const lang = (header?: string) =>
  requestLanguage({ headers: header === undefined ? {} : { 'accept-language': header } });

describe('the language of an answer', () => {
  it('is the best of English and Swedish that Accept-Language names, else English', () => {
    expect(lang('sv')).toBe('sv');
    expect(lang('sv-SE,sv;q=0.9,en;q=0.8')).toBe('sv');
    expect(lang('en-GB,en;q=0.9,sv;q=0.8')).toBe('en');
    expect(lang('de-DE,sv;q=0.5')).toBe('sv');
    expect(lang('de-DE')).toBe('en');
    expect(lang('*')).toBe('en');
    expect(lang()).toBe('en');
    expect(inLanguage(say('Yes.', 'Ja.'), 'sv')).toBe('Ja.');
    expect(inLanguage('Only English.', 'sv')).toBe('Only English.');
  });

  it("words zod's generic messages plainly and the schemas' own sentences in both languages", () => {
    const tooShort = fieldMessage({
      keyword: 'too_small',
      message: 'Too small: expected string to have >=1 characters',
      params: { origin: 'string', minimum: 1 },
    });
    expect(tooShort).toEqual(say('This field is required.', 'Fältet måste fyllas i.'));
    expect(
      fieldMessage({
        keyword: 'too_big',
        message: 'Too big: expected string to have <=200 characters',
        params: { origin: 'string', maximum: 200 },
      }),
    ).toEqual(say('At most 200 characters.', 'Högst 200 tecken.'));
    expect(
      fieldMessage({
        keyword: 'invalid_type',
        message: 'Invalid input: expected string, received undefined',
      }),
    ).toEqual(say('This field is required.', 'Fältet måste fyllas i.'));
    expect(
      fieldMessage({
        keyword: 'invalid_value',
        message: 'Invalid option: expected one of "a"|"b"',
        params: { values: ['a', 'b'] },
      }),
    ).toEqual(say('Choose one of: a, b.', 'Välj ett av: a, b.'));
    expect(fieldMessage({ keyword: 'custom', message: 'A date like 2027-02-27.' })).toEqual(
      say('A date like 2027-02-27.', 'Ett datum som 2027-02-27.'),
    );
    // A schema sentence without a Swedish one is said as it is.
    expect(fieldMessage({ keyword: 'custom', message: 'Something new.' })).toBe('Something new.');
  });
});

describe('problem+json in the language of the request', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('a validation error: title and field messages in Swedish when asked, English otherwise', async () => {
    const { client } = await signedIn(t, ['administrator']);
    const body = { employeeId: 'LANG-1', givenName: '', familyName: 'Språk' };
    const sv = await client.post('/api/v1/persons', body, { 'accept-language': 'sv-SE,sv;q=0.9' });
    expect(sv.statusCode).toBe(400);
    expect(sv.headers['content-language']).toBe('sv');
    expect(sv.json().title).toBe('Begäran har ogiltiga fält.');
    expect(sv.json().errors).toEqual([
      expect.objectContaining({ field: 'givenName', message: 'Måste fyllas i.' }),
    ]);
    const en = await client.post('/api/v1/persons', body);
    expect(en.headers['content-language']).toBe('en');
    expect(en.json().title).toBe('The request has invalid fields.');
    expect(en.json().errors).toEqual([expect.objectContaining({ field: 'givenName', message: 'Required.' })]);
  });

  it('a refusal by the policy and a database constraint are worded in Swedish too', async () => {
    const { client } = await signedIn(t, []);
    const refused = await client.post(
      '/api/v1/org-units',
      { code: 'LNG', name: 'Språkenheten' },
      { 'accept-language': 'sv' },
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json().type).toBe('/problems/not-permitted');
    expect(refused.json().title).toMatch(/^Du har inte behörighet att göra detta/);

    const { client: admin } = await signedIn(t, ['administrator']);
    const person = { employeeId: 'LANG-2', givenName: 'Sara', familyName: 'Svensson' };
    expect((await admin.post('/api/v1/persons', person)).statusCode).toBe(201);
    const twice = await admin.post('/api/v1/persons', person, { 'accept-language': 'sv' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().errors).toEqual([
      expect.objectContaining({
        field: 'employeeId',
        message: 'En annan person har redan detta anställningsnummer.',
      }),
    ]);
  });
});
